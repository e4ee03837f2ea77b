// BackendJobTestFixture: a parameterized GoogleTest fixture that runs the
// same scenario against every embedded JobRepository — in memory and a
// fresh SQLite file — on a ManualClock, with a synchronous JobLauncher.
//
//   class MyScenario : public cppbatch::testing::BackendJobTestFixture {};
//   INSTANTIATE_TEST_SUITE_P(Repositories, MyScenario, cppbatch::testing::kEmbeddedBackends,
//                            cppbatch::testing::backend_test_name);
//   TEST_P(MyScenario, Completes) {
//     auto job = FlowJobBuilder("job", repository()).start(step).end().build();
//     EXPECT_THAT(run(*job), HasStatus(BatchStatus::COMPLETED));
//   }
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cppbatch/core/job_launcher.hpp"
#include "cppbatch/repository/in_memory_job_repository.hpp"
#include "cppbatch/repository/sqlite_job_repository.hpp"
#include "cppbatch/testing/launched_jobs.hpp"
#include "cppbatch/testing/manual_clock.hpp"

namespace cppbatch::testing {

enum class RepositoryBackend { IN_MEMORY, SQLITE };

inline const auto kEmbeddedBackends = ::testing::Values(RepositoryBackend::IN_MEMORY, RepositoryBackend::SQLITE);

inline std::string backend_test_name(const ::testing::TestParamInfo<RepositoryBackend>& info) {
  return info.param == RepositoryBackend::SQLITE ? "Sqlite" : "InMemory";
}

class BackendJobTestFixture : public ::testing::TestWithParam<RepositoryBackend> {
 protected:
  void SetUp() override {
    if (GetParam() == RepositoryBackend::SQLITE) {
      const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
      std::string name = std::string(info->test_suite_name()) + "_" + info->name();
      for (char& ch : name) {
        if (ch == '/') ch = '_';
      }
      path_ = std::filesystem::path(::testing::TempDir()) / ("repo_" + name + ".db");
      remove_database();
      SqliteRepositoryOptions options;
      options.path = path_.string();
      options.clock = &clock_;
      auto opened = SqliteJobRepository::open(options);
      ASSERT_TRUE(opened.ok()) << opened.error().to_string();
      repository_ = std::move(opened).value();
    } else {
      repository_ = std::make_unique<InMemoryJobRepository>(LeaseOptions{}, clock_);
    }
    launcher_ = std::make_unique<JobLauncher>(*repository_);
  }
  void TearDown() override {
    launched_.clear();
    launcher_.reset();
    repository_.reset();
    if (!path_.empty()) remove_database();
  }

  JobRepository& repository() { return *repository_; }

  // Launches `job` synchronously; its final execution, kept alive for the
  // test. A refused launch fails the test (execution id 0, UNKNOWN).
  JobExecution& run(Job& job, const JobParameters& parameters = {}) {
    return launched_.run(*launcher_, job, parameters);
  }
  // The launch result itself, for tests of refusals.
  Result<JobExecutionHandle> launch(Job& job, const JobParameters& parameters = {}) {
    return launcher_->run(job, parameters);
  }
  // What the repository stored (what a JobExplorer sees).
  std::unique_ptr<JobExecution> stored(int64_t execution_id) {
    return LaunchedJobs::stored(*repository_, execution_id);
  }

  ManualClock clock_;
  std::unique_ptr<JobRepository> repository_;
  std::unique_ptr<JobLauncher> launcher_;

 private:
  void remove_database() {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm", "-lock"}) std::filesystem::remove(path_.string() + suffix, ignored);
  }
  std::filesystem::path path_;
  LaunchedJobs launched_;
};

}  // namespace cppbatch::testing
