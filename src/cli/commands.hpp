// The commands of the CLI, one function each, called by run_cli() once the
// arguments are parsed. Each returns the process exit code (cli_runner.hpp)
// and reports runner errors through CliContext::fail(). Internal.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "cli/cli_context.hpp"
#include "cppbatch/core/job_operator.hpp"

namespace cppbatch::internal {

struct RunArguments {
  std::string job_name;
  std::vector<std::string> parameters;  // name=value[,type[,identifying]]
  bool next = false;
};

// commands_run.cpp: launch in this process and wait, with progress.
int run_command(const CliContext& context, const RunArguments& arguments);
int restart_command(const CliContext& context, int64_t execution_id);

// What the operator should do once it exists.
using Launch = std::function<Result<JobExecutionHandle>(JobOperator&)>;
// Told about the ended execution after the run summary is printed.
using AfterRun = std::function<void(const JobExecution&)>;
// Launches through a JobOperator on a one-thread executor, reports
// progress, relays SIGINT/SIGTERM as a stop, waits and prints the summary.
// Exit code: completed or not; a refusal (explained) is a runner error.
int launch_and_wait(const CliContext& context, JobRepository& repository, const Launch& launch,
                    std::string_view action, std::string_view job_name, const AfterRun& after = {});

// commands_dlq.cpp: the dead-letter table.
struct DlqArguments {
  std::string job_name;
  std::string status;      // comma-separated statuses; empty: all (list) / NEW,FAILED_AGAIN (retry)
  std::string error_type;
  int64_t limit = 50;
  bool json = false;
  std::vector<std::string> parameters;  // retry: extra job parameters
};
int dlq_list_command(const CliContext& context, const DlqArguments& arguments);
int dlq_show_command(const CliContext& context, int64_t id, bool json);
int dlq_retry_command(const CliContext& context, const DlqArguments& arguments);
int dlq_park_command(const CliContext& context, int64_t id);

// commands_control.cpp: change the state of an execution anywhere.
int stop_command(const CliContext& context, int64_t execution_id);
int abandon_command(const CliContext& context, int64_t execution_id);

// commands_query.cpp: read the repository.
struct ExecutionsArguments {
  std::string job_name;  // empty: every job
  int64_t limit = 20;
  bool json = false;
};
int jobs_command(const CliContext& context, bool json);
int executions_command(const CliContext& context, const ExecutionsArguments& arguments);
int show_command(const CliContext& context, int64_t execution_id, bool json);

// Asks a running execution to stop (STOPPING in the repository), retrying
// when the job itself updated the execution at the same moment.
Result<void> request_stop(JobRepository& repository, const JobRegistry& registry, int64_t execution_id);

}  // namespace cppbatch::internal
