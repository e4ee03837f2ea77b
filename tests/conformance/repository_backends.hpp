// The JobRepository backends the conformance suite runs against, behind
// one small interface, plus helpers shared by the repository tests.
//
// Each backend opens a fresh, empty repository with a given clock and
// lease, and can overwrite an execution's lease (to simulate an owner that
// died): the in-memory repository through its documented test hook, SQLite
// by writing the lease row from a second connection, as another process
// would.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "cppbatch/common/time_format.hpp"
#include "cppbatch/core/job_repository.hpp"
#include "cppbatch/repository/in_memory_job_repository.hpp"
#include "cppbatch/repository/sqlite_job_repository.hpp"

namespace cppbatch::conformance {

// A directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    path_ = std::filesystem::temp_directory_path() /
            ("cppbatch-repo-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
             std::to_string(stamp));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The value of a Result that must succeed; otherwise the test fails with
// the error (gtest reports the exception).
template <class T>
T must(Result<T> result) {
  if (!result.ok()) throw std::runtime_error("unexpected error: " + result.error().to_string());
  return std::move(result).value();
}
inline void must(Result<void> result) {
  if (!result.ok()) throw std::runtime_error("unexpected error: " + result.error().to_string());
}

class MemoryBackend {
 public:
  static constexpr bool kSqlite = false;
  static constexpr const char* kName = "Memory";

  std::unique_ptr<JobRepository> open(Clock& clock, LeaseOptions lease = {}) {
    return std::make_unique<InMemoryJobRepository>(lease, clock);
  }
  void set_lease(JobRepository& repo, int64_t execution_id, const ExecutionLease& lease) {
    dynamic_cast<InMemoryJobRepository&>(repo).set_lease_for_testing(execution_id, lease);
  }
  std::optional<ExecutionLease> lease(JobRepository& repo, int64_t execution_id) {
    return must(dynamic_cast<InMemoryJobRepository&>(repo).lease(execution_id));
  }
};

class SqliteBackend {
 public:
  static constexpr bool kSqlite = true;
  static constexpr const char* kName = "Sqlite";

  std::unique_ptr<JobRepository> open(Clock& clock, LeaseOptions lease = {}) {
    SqliteRepositoryOptions options;
    options.path = path();
    options.lease = lease;
    options.clock = &clock;
    return must(SqliteJobRepository::open(options));
  }
  // Writes the lease row from another connection, as another process would.
  void set_lease(JobRepository&, int64_t execution_id, const ExecutionLease& lease) {
    SQLite::Database db(path(), SQLite::OPEN_READWRITE, 30000);
    SQLite::Statement insert(db,
                             "INSERT OR REPLACE INTO BATCH_JOB_EXECUTION_LEASE (JOB_EXECUTION_ID, HOST, PID, "
                             "LAST_BEAT) VALUES (?, ?, ?, ?)");
    insert.bind(1, execution_id);
    insert.bind(2, lease.host);
    insert.bind(3, static_cast<int64_t>(lease.pid));
    insert.bind(4, format_timestamp(lease.last_beat));
    insert.exec();
  }
  std::optional<ExecutionLease> lease(JobRepository& repo, int64_t execution_id) {
    return must(dynamic_cast<SqliteJobRepository&>(repo).lease(execution_id));
  }
  std::string path() const { return (dir_.path() / "batch.db").string(); }

 private:
  TempDir dir_;
};

struct BackendNames {
  template <class T>
  static std::string GetName(int) {
    return T::kName;
  }
};

}  // namespace cppbatch::conformance
