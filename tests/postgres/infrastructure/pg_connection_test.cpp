// PgConnection against the test server: URLs with and without a password,
// and errors that say which server and why without ever showing the
// password.
#include "cppbatch/infrastructure/pg_connection.hpp"

#include <gtest/gtest.h>

#include "cppbatch/infrastructure/pg_copy_writer.hpp"
#include "postgres/pg_test_support.hpp"

namespace cppbatch {
namespace {

std::string expect_pg_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const PgError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no PgError";
  return {};
}

TEST(PgConnectionTest, ConnectsWithAPercentEncodedPassword) {
  const std::string url = testing::read_state_file("password-url");
  PgConnection db(url);
  EXPECT_EQ(db.query_string("SELECT current_user"), "cppbatch_pw");
  EXPECT_EQ(db.redacted_url().find(testing::read_state_file("password")), std::string::npos);
  EXPECT_NE(db.redacted_url().find("cppbatch_pw:***@127.0.0.1"), std::string::npos) << db.redacted_url();
}

TEST(PgConnectionTest, ErrorsNameTheRedactedUrlAndNeverThePassword) {
  const std::string password = testing::read_state_file("password");
  const std::string good = testing::read_state_file("password-url");
  const std::string encoded = good.substr(good.find(':', 14) + 1, good.find('@') - good.find(':', 14) - 1);
  // Wrong password: the server refuses; neither the tried nor the real
  // password appears.
  std::string wrong = good;
  wrong.replace(wrong.find(encoded), encoded.size(), "wrong%2Fsecret");
  std::string message = expect_pg_error([&] { PgConnection db(wrong); });
  EXPECT_NE(message.find("password authentication failed"), std::string::npos) << message;
  EXPECT_NE(message.find("cppbatch_pw:***@127.0.0.1"), std::string::npos) << message;
  EXPECT_EQ(message.find("wrong"), std::string::npos) << message;
  EXPECT_EQ(message.find(password), std::string::npos) << message;
  try {
    PgConnection db(wrong);
  } catch (const PgError& e) {
    EXPECT_EQ(e.sqlstate(), "28P01");
  }

  // Connection refused: a port nobody listens on (the server's port + 1
  // would be a guess; port 1 is privileged and never ours).
  std::string refused = good;
  size_t port_at = refused.find(':', refused.find('@'));
  size_t port_end = refused.find('/', port_at);
  refused.replace(port_at + 1, port_end - port_at - 1, "1");
  message = expect_pg_error([&] { PgConnection db(refused + "?connect_timeout=5"); });
  EXPECT_NE(message.find("127.0.0.1:1/"), std::string::npos) << message;
  EXPECT_EQ(message.find(password), std::string::npos) << message;
  EXPECT_EQ(message.find(encoded), std::string::npos) << message;

  // A bad URL (bad port) and an unknown database.
  message = expect_pg_error([&] { PgConnection db("postgresql://u:" + encoded + "@127.0.0.1:99999/x"); });
  EXPECT_NE(message.find("port '99999'"), std::string::npos) << message;
  EXPECT_EQ(message.find(encoded), std::string::npos) << message;
  std::string no_db = good.substr(0, good.rfind('/')) + "/no_such_db";
  message = expect_pg_error([&] { PgConnection db(no_db); });
  EXPECT_NE(message.find("no_such_db"), std::string::npos) << message;
  EXPECT_EQ(message.find(encoded), std::string::npos) << message;

  // Errors of writers and statements on a password connection too.
  PgConnection db(good);
  message = expect_pg_error([&] { db.execute("SELECT * FROM no_such_table"); });
  EXPECT_NE(message.find("no_such_table"), std::string::npos) << message;
  EXPECT_EQ(message.find(encoded), std::string::npos) << message;
  EXPECT_EQ(message.find(password), std::string::npos) << message;
  message = expect_pg_error([&] {
    PgCopyWriter<int> writer({.url = good, .table = "no_such_table", .columns = {"a"}},
                             [](const int& i, PgCopyRow& row) { row.add(i); });
    Chunk<int> chunk;
    chunk.add(1);
    writer.write(chunk);
  });
  EXPECT_NE(message.find("no_such_table"), std::string::npos) << message;
  EXPECT_EQ(message.find(encoded), std::string::npos) << message;
  EXPECT_EQ(message.find(password), std::string::npos) << message;
}

TEST(PgConnectionTest, QueriesWithParameters) {
  PgConnection db(testing::pg_url());
  EXPECT_EQ(db.query_long("SELECT $1::bigint + $2::bigint", {int64_t{40}, int64_t{2}}), 42);
  EXPECT_EQ(db.query_string("SELECT $1::text || $2::text", {std::string("a'b"), std::string("\"c")}), "a'b\"c");
  EXPECT_EQ(db.query_long("SELECT NULL::bigint"), std::nullopt);
  EXPECT_EQ(db.query_string("SELECT $1::float8::text", {0.1}), "0.1");
  EXPECT_FALSE(db.in_transaction());
  db.execute("BEGIN");
  EXPECT_TRUE(db.in_transaction());
  db.execute("ROLLBACK");
}

}  // namespace
}  // namespace cppbatch
