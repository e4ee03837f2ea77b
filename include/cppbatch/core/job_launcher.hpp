// JobLauncher: starts a job for a set of parameters, applying Spring
// Batch's launch rules through the repository (already complete, already
// running, not restartable, invalid parameters) before anything runs.
//
// With the default SyncTaskExecutor run() returns after the job ended; with
// a ThreadPoolTaskExecutor it returns at once and the job runs on the pool.
// While it runs, a heartbeat renews the execution's lease so that another
// process can tell a live run from a dead one.
//
//   JobLauncher launcher(repo);
//   auto handle = launcher.run(*job, params);
//   if (!handle) return fail(handle.error());
//   JobExecution& done = handle->wait();
#pragma once

#include <future>
#include <memory>

#include "cppbatch/common/result.hpp"
#include "cppbatch/core/job.hpp"
#include "cppbatch/core/job_repository.hpp"
#include "cppbatch/core/task_executor.hpp"

namespace cppbatch {

// A launched execution. The execution object is written by the job's
// thread until the run ends: read it only after wait() (or through the
// JobExplorer while it runs).
class JobExecutionHandle {
 public:
  JobExecutionHandle(std::shared_ptr<JobExecution> execution, std::shared_future<void> done,
                     std::shared_ptr<void> keep_alive = nullptr)
      : id_(execution->id), execution_(std::move(execution)), done_(std::move(done)),
        keep_alive_(std::move(keep_alive)) {}

  int64_t id() const { return id_; }
  bool done() const { return done_.wait_for(std::chrono::seconds(0)) == std::future_status::ready; }
  // Blocks until the run ended; the final state.
  JobExecution& wait() const {
    done_.wait();
    return *execution_;
  }

 private:
  int64_t id_;
  std::shared_ptr<JobExecution> execution_;
  std::shared_future<void> done_;
  std::shared_ptr<void> keep_alive_;
};

class JobLauncher {
 public:
  // `repository` and `executor` must outlive the launcher and its runs; the
  // launcher itself may be destroyed while runs go on.
  explicit JobLauncher(JobRepository& repository, TaskExecutor* executor = nullptr);

  // Validates and creates the execution, then runs `job` on the executor.
  // `job` must outlive the run. Refusals: ALREADY_COMPLETE,
  // ALREADY_RUNNING, NOT_RESTARTABLE, INVALID_ARGUMENT, STORAGE.
  Result<JobExecutionHandle> run(Job& job, const JobParameters& parameters);
  // Same, keeping a shared job alive until the run ends.
  Result<JobExecutionHandle> run(std::shared_ptr<Job> job, const JobParameters& parameters);

 private:
  Result<JobExecutionHandle> launch(Job& job, std::shared_ptr<Job> owner, const JobParameters& parameters);
  JobRepository& repository_;
  TaskExecutor* executor_;
};

}  // namespace cppbatch
