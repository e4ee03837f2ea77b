// run and restart: launch a job in this process through the JobOperator on
// a one-thread executor, watch it (progress from the repository, SIGINT/
// SIGTERM as a graceful stop), wait for the end and print a summary.
#include <fmt/format.h>

#include <csignal>
#include <functional>
#include <mutex>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/signal_watcher.hpp"
#include "cppbatch/common/clock.hpp"
#include "cppbatch/common/logging.hpp"
#include "cppbatch/core/job_operator.hpp"
#include "cppbatch/core/job_parameters_parser.hpp"
#include "cppbatch/core/task_executor.hpp"
#include "cppbatch/operations/progress_reporter.hpp"

namespace cppbatch::internal {

namespace {

// The refusal, with what the operator can do about it.
std::string explain_refusal(const CliContext& context, JobRepository& repository, const Error& error,
                            std::string_view action, std::string_view job_name) {
  const std::string& program = context.options().program_name;
  std::string text = fmt::format("cannot {}: {}", action, error.message());
  switch (error.code()) {
    case ErrorCode::ALREADY_COMPLETE:
      return text + " (already complete: use new parameters or --next)";
    case ErrorCode::NOT_RESTARTABLE:
      return text + " (not restartable: start a new instance with new parameters or --next)";
    case ErrorCode::ALREADY_RUNNING: {
      std::string ids;
      if (auto running = repository.running_job_executions(job_name); running) {
        for (const auto& execution : running.value()) ids += (ids.empty() ? "" : ", ") + std::to_string(execution->id);
      }
      if (ids.empty()) return text + " (already running: wait for it to end)";
      return text + fmt::format(" (already running as execution {}: wait for it to end or '{} stop ID')", ids, program);
    }
    default:
      return text;
  }
}

// Relays a signal to the repository as a stop request, also when the
// signal came before the execution id was known.
class StopOnSignal {
 public:
  StopOnSignal(JobRepository& repository, const JobRegistry& registry)
      : repository_(repository), registry_(registry) {}

  void on_signal(int signal) {
    std::lock_guard lock(mutex_);
    requested_ = true;
    logger().warn("{} received: stopping at the next chunk boundary (press Ctrl-C again to exit at once)",
                  signal == SIGTERM ? "SIGTERM" : "SIGINT");
    if (execution_id_ != 0) stop();
  }
  void launched(int64_t execution_id) {
    std::lock_guard lock(mutex_);
    execution_id_ = execution_id;
    if (requested_) stop();
  }
 private:
  void stop() {
    if (auto stopped = JobOperator(registry_, repository_).stop(execution_id_); !stopped) {
      logger().warn("could not stop execution {}: {}", execution_id_, stopped.error().message());
    }
  }
  JobRepository& repository_;
  const JobRegistry& registry_;
  std::mutex mutex_;
  int64_t execution_id_ = 0;  // guarded by mutex_
  bool requested_ = false;    // guarded by mutex_
};

}  // namespace

int launch_and_wait(const CliContext& context, JobRepository& repository, const Launch& launch,
                    std::string_view action, std::string_view job_name, const AfterRun& after) {
  StopOnSignal stop_on_signal(repository, context.registry());
  std::optional<SignalWatcher> watcher;
  if (context.options().handle_signals) watcher.emplace([&](int signal) { stop_on_signal.on_signal(signal); });

  // Declared in this order so the executor (joined in its destructor)
  // outlives nothing that a run uses: the repository outlives both.
  ThreadPoolTaskExecutor executor(1);
  JobOperator job_operator(context.registry(), repository, &executor);
  auto handle = launch(job_operator);
  if (!handle) return context.fail(explain_refusal(context, repository, handle.error(), action, job_name));
  stop_on_signal.launched(handle->id());

  ProgressOptions progress;
  progress.terminal = context.terminal();
  progress.out = &context.out();
  progress.poll_interval = context.options().progress_poll_interval;
  progress.log_interval = context.options().progress_log_interval;
  ProgressReporter reporter(repository, handle->id(), std::move(progress));
  reporter.start();
  const JobExecution& execution = handle->wait();
  reporter.stop();
  watcher.reset();

  print_run_summary(context, execution, system_clock().now());
  if (after) after(execution);
  return execution.status == BatchStatus::COMPLETED ? kExitCompleted : kExitNotCompleted;
}

int run_command(const CliContext& context, const RunArguments& arguments) {
  const std::string& job_name = arguments.job_name;
  if (!context.registry().contains(job_name)) return context.fail(unknown_job(context.registry(), job_name));
  auto parameters = parse_job_parameters(arguments.parameters);
  if (!parameters) return context.fail(parameters.error());
  auto repository = context.open_repository();
  if (!repository) return kExitRunnerError;
  Launch launch = [&](JobOperator& job_operator) {
    return arguments.next ? job_operator.start_next_instance(job_name, *parameters)
                          : job_operator.start(job_name, *parameters);
  };
  return launch_and_wait(context, *repository, launch, fmt::format("run job '{}'", job_name), job_name);
}

int restart_command(const CliContext& context, int64_t execution_id) {
  auto repository = context.open_repository();
  if (!repository) return kExitRunnerError;
  auto previous = repository->job_execution(execution_id);
  if (!previous) return context.fail(previous.error());
  const std::string job_name = previous.value()->job_name();
  if (!context.registry().contains(job_name)) {
    return context.fail(fmt::format("cannot restart execution {}: {}", execution_id,
                                    unknown_job(context.registry(), job_name)));
  }
  Launch launch = [&](JobOperator& job_operator) { return job_operator.restart(execution_id); };
  return launch_and_wait(context, *repository, launch, fmt::format("restart execution {}", execution_id), job_name);
}

}  // namespace cppbatch::internal
