#include "cppbatch/core/job_launcher.hpp"

#include "core/heartbeat.hpp"
#include "cppbatch/common/logging.hpp"

namespace cppbatch {

namespace {
SyncTaskExecutor& sync_executor() {
  static SyncTaskExecutor executor;
  return executor;
}
}  // namespace

JobLauncher::JobLauncher(JobRepository& repository, TaskExecutor* executor)
    : repository_(repository), executor_(executor ? executor : &sync_executor()) {}

Result<JobExecutionHandle> JobLauncher::run(Job& job, const JobParameters& parameters) {
  return launch(job, nullptr, parameters);
}

Result<JobExecutionHandle> JobLauncher::run(std::shared_ptr<Job> job, const JobParameters& parameters) {
  Job& ref = *job;
  return launch(ref, std::move(job), parameters);
}

Result<JobExecutionHandle> JobLauncher::launch(Job& job, std::shared_ptr<Job> owner, const JobParameters& parameters) {
  auto last = repository_.last_job_execution(job.name(), parameters);
  if (!last) return last.error();
  if (last.value()) {
    if (!job.restartable()) {
      return Error(ErrorCode::NOT_RESTARTABLE, "JobInstance already exists and is not restartable");
    }
    for (const auto& step : last.value()->step_executions) {
      if (step->status == BatchStatus::UNKNOWN) {
        return Error(ErrorCode::NOT_RESTARTABLE,
                     "Cannot restart step [" + step->step_name +
                         "] from UNKNOWN status. The last execution ended with a failure that could not be rolled "
                         "back, so it may be dangerous to proceed. Manual intervention is probably necessary.");
      }
    }
  }
  if (const JobParametersValidator* validator = job.validator()) {
    CPPBATCH_RETURN_IF_ERROR(validator->validate(parameters));
  }
  auto created = repository_.create_job_execution(job.name(), parameters);
  if (!created) return created.error();
  std::shared_ptr<JobExecution> execution = std::move(created.value());
  // The run uses only the repository and the job (both outlive it by
  // contract), never the launcher, which may be gone before the run ends.
  JobRepository& repository = repository_;
  auto task = std::make_shared<std::packaged_task<void()>>([&repository, &job, execution] {
    try {
      internal::Heartbeat heartbeat(repository, *execution);
      job.execute(*execution);
    } catch (const std::exception& e) {
      logger().error("job {} execution {} ended with an uncaught error: {}", job.name(), execution->id, e.what());
    }
    if (auto released = repository.release(*execution); !released) {
      logger().warn("could not release the lease of execution {}: {}", execution->id, released.error().to_string());
    }
  });
  std::shared_future<void> done = task->get_future().share();
  JobExecutionHandle handle(execution, done, std::move(owner));
  executor_->execute([task] { (*task)(); });
  return handle;
}

}  // namespace cppbatch
