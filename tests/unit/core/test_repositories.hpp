// The two local JobRepository backends the step tests run on, one test
// parameter each: in memory, and SQLite in a file of the test's own that is
// removed afterwards.
//
//   class MyTest : public RepositoryBackendTest {
//    protected:
//     MyTest() : RepositoryBackendTest("my") {}
//   };
//   TEST_P(MyTest, Runs) { JobExecution& e = launch(*job); ... }
//   INSTANTIATE_TEST_SUITE_P(Repositories, MyTest, kRepositoryBackends, repository_backend_name);
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include <vector>

#include "cppbatch/core/job_launcher.hpp"
#include "cppbatch/repository/in_memory_job_repository.hpp"
#include "cppbatch/repository/sqlite_job_repository.hpp"
#include "cppbatch/testing/manual_clock.hpp"

namespace cppbatch::testing {

enum class RepositoryBackend { IN_MEMORY, SQLITE };

inline const auto kRepositoryBackends = ::testing::Values(RepositoryBackend::IN_MEMORY, RepositoryBackend::SQLITE);

inline std::string repository_backend_name(const ::testing::TestParamInfo<RepositoryBackend>& info) {
  return info.param == RepositoryBackend::SQLITE ? "Sqlite" : "InMemory";
}

// A fresh repository of `backend` for the running test, on `clock`; a
// SQLite file (named after `tag` and the test) is deleted with the object.
inline std::shared_ptr<JobRepository> open_test_repository(RepositoryBackend backend, Clock& clock,
                                                           const std::string& tag) {
  if (backend == RepositoryBackend::IN_MEMORY) return std::make_shared<InMemoryJobRepository>(LeaseOptions{}, clock);
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = tag + "_" + info->test_suite_name() + "_" + info->name();
  for (char& ch : name) {
    if (ch == '/') ch = '_';
  }
  std::filesystem::path path = std::filesystem::path(::testing::TempDir()) / (name + ".db");
  for (const char* suffix : {"", "-wal", "-shm", "-lock"}) std::filesystem::remove(path.string() + suffix);
  SqliteRepositoryOptions options;
  options.path = path.string();
  options.clock = &clock;
  auto opened = SqliteJobRepository::open(options);
  if (!opened.ok()) throw std::runtime_error(opened.error().to_string());
  return std::shared_ptr<JobRepository>(std::move(opened).value().release(), [path](JobRepository* repository) {
    delete repository;
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm", "-lock"}) std::filesystem::remove(path.string() + suffix, ignored);
  });
}

// A test run on each backend: a ManualClock, a repository of GetParam() on
// it and a synchronous JobLauncher; launch() runs a job and keeps its
// execution alive for the rest of the test.
class RepositoryBackendTest : public ::testing::TestWithParam<RepositoryBackend> {
 protected:
  // `tag` names the test's SQLite file.
  explicit RepositoryBackendTest(std::string tag) : tag_(std::move(tag)) {}

  void SetUp() override {
    repository_ = open_test_repository(GetParam(), clock_, tag_);
    launcher_ = std::make_unique<JobLauncher>(*repository_);
  }
  void TearDown() override {
    handles_.clear();
    launcher_.reset();
    repository_.reset();
  }

  // Runs `job` and returns its final execution; a refused launch fails the
  // test and returns an execution with id 0.
  JobExecution& launch(Job& job, const JobParameters& parameters = JobParameters{}) {
    auto handle = launcher_->run(job, parameters);
    if (!handle.ok()) {
      ADD_FAILURE() << handle.error().to_string();
      static JobExecution refused;
      return refused;
    }
    handles_.push_back(std::move(handle).value());
    return handles_.back().wait();
  }

  ManualClock clock_;
  std::shared_ptr<JobRepository> repository_;
  std::unique_ptr<JobLauncher> launcher_;
  std::vector<JobExecutionHandle> handles_;

 private:
  std::string tag_;
};

}  // namespace cppbatch::testing
