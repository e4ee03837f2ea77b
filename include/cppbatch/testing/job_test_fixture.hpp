// JobTestFixture: a GoogleTest fixture with what an engine test needs — a
// ManualClock, an InMemoryJobRepository on it and a synchronous
// JobLauncher — plus helpers that launch a job and keep its execution alive
// for the rest of the test (Spring's JobLauncherTestUtils, as a fixture).
//
//   class MyJobTest : public cppbatch::testing::JobTestFixture {};
//   TEST_F(MyJobTest, Completes) {
//     auto job = JobBuilder("job", repository_).start(make_step()).build();
//     JobExecution& execution = run(*job, params);
//     EXPECT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
//   }
//
// The clock starts at a fixed instant and moves only with clock_.advance():
// leases never expire unless a test says so.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <vector>

#include "cppbatch/core/job.hpp"
#include "cppbatch/core/job_launcher.hpp"
#include "cppbatch/repository/in_memory_job_repository.hpp"
#include "cppbatch/testing/await_completion.hpp"
#include "cppbatch/testing/launched_jobs.hpp"
#include "cppbatch/testing/manual_clock.hpp"

namespace cppbatch::testing {

class JobTestFixture : public ::testing::Test {
 protected:
  // Launches `job` synchronously and returns its final execution (owned by
  // the fixture). A refused launch fails the test and returns an execution
  // with id 0 and status UNKNOWN.
  JobExecution& run(Job& job, const JobParameters& parameters = {}) {
    return launched_.run(launcher_, job, parameters);
  }

  // The launch result itself, for tests of refusals.
  Result<JobExecutionHandle> launch(Job& job, const JobParameters& parameters = {}) {
    return launcher_.run(job, parameters);
  }

  // The stored state of an execution (what a JobExplorer sees); fails the
  // test if it cannot be loaded.
  std::unique_ptr<JobExecution> stored(int64_t execution_id) { return LaunchedJobs::stored(repository_, execution_id); }

  // Waits for an asynchronous run, at most `limit` of wall-clock time;
  // false if it did not end in time (see await_completion.hpp).
  static bool wait_for(const JobExecutionHandle& handle,
                       std::chrono::milliseconds limit = std::chrono::seconds(30)) {
    return await_completion(handle, limit);
  }

  ManualClock clock_;
  InMemoryJobRepository repository_{LeaseOptions{}, clock_};
  JobLauncher launcher_{repository_};

 private:
  LaunchedJobs launched_;
};

}  // namespace cppbatch::testing
