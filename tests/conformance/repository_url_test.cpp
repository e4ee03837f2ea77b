// open_repository / redact_url: the URL forms the CLI accepts.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "conformance/repository_backends.hpp"
#include "cppbatch/repository/repository_url.hpp"

namespace cppbatch::conformance {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(RepositoryUrl, MemoryScheme) {
  auto repo = must(open_repository("memory:"));
  EXPECT_NE(dynamic_cast<InMemoryJobRepository*>(repo.get()), nullptr);
  EXPECT_EQ(open_repository("memory:/tmp/x").error().code(), ErrorCode::INVALID_ARGUMENT);
}

TEST(RepositoryUrl, SqliteSchemeAndBarePath) {
  TempDir dir;
  std::string path = (dir.path() / "a.db").string();
  LeaseOptions lease{std::chrono::milliseconds{5000}};
  for (const std::string& url : {"sqlite:" + path, "sqlite://" + path, path}) {
    auto repo = must(open_repository(url, lease));
    auto* sqlite = dynamic_cast<SqliteJobRepository*>(repo.get());
    ASSERT_NE(sqlite, nullptr) << url;
    EXPECT_EQ(sqlite->options().path, path) << url;
    EXPECT_EQ(repo->lease_options().lease_duration, lease.lease_duration);
  }
  EXPECT_EQ(open_repository("sqlite:").error().code(), ErrorCode::INVALID_ARGUMENT);
  EXPECT_EQ(open_repository("").error().code(), ErrorCode::INVALID_ARGUMENT);
}

TEST(RepositoryUrl, OtherSchemesAreRefusedWithoutLeakingPasswords) {
  auto result = open_repository("postgresql://batch:s3cret@db.example:5432/batch");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::INVALID_ARGUMENT);
  EXPECT_THAT(result.error().message(), HasSubstr("postgresql"));
  EXPECT_THAT(result.error().message(), HasSubstr("sqlite:"));
  EXPECT_THAT(result.error().message(), HasSubstr("memory:"));
  EXPECT_THAT(result.error().message(), Not(HasSubstr("s3cret")));
}

TEST(RepositoryUrl, RedactHidesPasswords) {
  EXPECT_EQ(redact_url("postgresql://batch:s3cret@db.example:5432/batch"),
            "postgresql://batch:***@db.example:5432/batch");
  EXPECT_EQ(redact_url("postgresql://batch@db.example/batch"), "postgresql://batch@db.example/batch");
  EXPECT_EQ(redact_url("postgresql://db.example/batch?user=b&password=s3cret&sslmode=require"),
            "postgresql://db.example/batch?user=b&password=***&sslmode=require");
  EXPECT_EQ(redact_url("host=db user=batch password=s3cret dbname=batch"),
            "host=db user=batch password=*** dbname=batch");
  EXPECT_EQ(redact_url("sqlite:/var/lib/batch.db"), "sqlite:/var/lib/batch.db");
  EXPECT_EQ(redact_url("memory:"), "memory:");
}

}  // namespace
}  // namespace cppbatch::conformance
