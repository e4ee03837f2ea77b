#include "cppbatch/common/connection_url.hpp"

#include <gtest/gtest.h>

namespace cppbatch {
namespace {

TEST(ConnectionUrlTest, ParsesSqliteForms) {
  for (const char* text : {"sqlite:/var/lib/b.db", "sqlite:///var/lib/b.db", "/var/lib/b.db"}) {
    auto url = parse_connection_url(text);
    ASSERT_TRUE(url.ok()) << text;
    EXPECT_EQ(url->kind, DatabaseKind::SQLITE);
    EXPECT_EQ(url->path, "/var/lib/b.db") << text;
  }
  auto relative = parse_connection_url("sqlite:data/b.db");
  ASSERT_TRUE(relative.ok());
  EXPECT_EQ(relative->path, "data/b.db");
  EXPECT_EQ(relative->redacted(), "sqlite:data/b.db");
  EXPECT_FALSE(parse_connection_url("sqlite:").ok());
  EXPECT_FALSE(parse_connection_url("").ok());
}

TEST(ConnectionUrlTest, ParsesPostgresqlWithPercentDecoding) {
  auto url = parse_connection_url("postgresql://batch%40corp:p%40ss%3Aw%2Fd@db.example:6543/my%20db"
                                  "?sslmode=require&application_name=load%20job");
  ASSERT_TRUE(url.ok()) << url.error().message();
  EXPECT_EQ(url->kind, DatabaseKind::POSTGRESQL);
  EXPECT_EQ(url->user, "batch@corp");
  EXPECT_EQ(url->password, "p@ss:w/d");
  EXPECT_TRUE(url->has_password);
  EXPECT_EQ(url->host, "db.example");
  EXPECT_EQ(url->port, 6543);
  EXPECT_EQ(url->database, "my db");
  ASSERT_EQ(url->options.size(), 2u);
  EXPECT_EQ(url->options[1], (std::pair<std::string, std::string>{"application_name", "load job"}));
  EXPECT_EQ(url->redacted(),
            "postgresql://batch%40corp:***@db.example:6543/my%20db?sslmode=require&application_name=load%20job");

  auto minimal = parse_connection_url("postgres://localhost");
  ASSERT_TRUE(minimal.ok());
  EXPECT_EQ(minimal->host, "localhost");
  EXPECT_EQ(minimal->port, 0);
  EXPECT_TRUE(minimal->user.empty());
  EXPECT_FALSE(minimal->has_password);

  auto socket = parse_connection_url("postgresql:///batch?host=%2Fvar%2Frun%2Fpostgresql&password=s3cret");
  ASSERT_TRUE(socket.ok());
  EXPECT_EQ(socket->host, "");
  EXPECT_EQ(socket->database, "batch");
  EXPECT_EQ(socket->options[0].second, "/var/run/postgresql");
  EXPECT_EQ(socket->redacted().find("s3cret"), std::string::npos) << socket->redacted();

  auto v6 = parse_connection_url("postgresql://u@[::1]:5433/d");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 5433);
  EXPECT_EQ(v6->redacted(), "postgresql://u@[::1]:5433/d");
}

TEST(ConnectionUrlTest, ErrorsSayWhyAndNeverShowThePassword) {
  struct Case {
    const char* url;
    const char* reason;
  };
  for (const Case& c : {Case{"postgresql://u:s3cret@h:0/d", "port '0'"}, Case{"postgresql://u:s3cret@h:x1/d", "port 'x1'"},
                        Case{"postgresql://u:s3cret@h:/d", "port ''"}, Case{"postgresql://u:s3%ZZcret@h/d", "percent-escape"},
                        Case{"postgresql:u:s3cret@h/d", "'//'"}, Case{"mysql://u:s3cret@h/d", "unsupported scheme 'mysql'"},
                        Case{"postgresql://u:s3cret@h/d?novalue", "not key=value"},
                        Case{"postgresql://u@h/d?password=s3cret&x", "not key=value"}}) {
    auto url = parse_connection_url(c.url);
    ASSERT_FALSE(url.ok()) << c.url;
    EXPECT_EQ(url.error().code(), ErrorCode::INVALID_ARGUMENT);
    const std::string& message = url.error().message();
    EXPECT_NE(message.find(c.reason), std::string::npos) << message;
    EXPECT_EQ(message.find("s3cret"), std::string::npos) << message;
    EXPECT_EQ(message.find("s3%ZZcret"), std::string::npos) << message;
  }
}

TEST(ConnectionUrlTest, RedactsAnyText) {
  EXPECT_EQ(redact_url("postgresql://batch:s3cret@db:5432/batch"), "postgresql://batch:***@db:5432/batch");
  EXPECT_EQ(redact_url("postgresql://batch:p@ss@db/batch"), "postgresql://batch:***@db/batch");
  EXPECT_EQ(redact_url("host=db password=s3cret user=b"), "host=db password=*** user=b");
}

}  // namespace
}  // namespace cppbatch
