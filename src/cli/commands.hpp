// The commands of the CLI, one function each, called by run_cli() once the
// arguments are parsed. Each returns the process exit code (cli_runner.hpp)
// and reports runner errors through CliContext::fail(). Internal.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli_context.hpp"
#include "cppbatch/core/job_operator.hpp"
#include "cppbatch/jobfile/component_registry.hpp"

namespace cppbatch::internal {

struct RunArguments {
  std::string job_name;
  std::string file;  // --file: a job file whose jobs join the registry's
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

// commands_query.cpp: read the repository (through the JobOperator's
// queries where it has one).
struct ExecutionsArguments {
  std::string job_name;     // empty: every job
  std::string instance_id;  // empty: any instance (excludes job_name)
  int64_t limit = 20;
  bool json = false;
};
struct InstancesArguments {
  std::string job_name;
  int64_t start = 0;
  int64_t count = 20;
  bool json = false;
};
int jobs_command(const CliContext& context, bool json);
int executions_command(const CliContext& context, const ExecutionsArguments& arguments);
int show_command(const CliContext& context, int64_t execution_id, bool json);
int summary_command(const CliContext& context, int64_t execution_id, bool json);
int instances_command(const CliContext& context, const InstancesArguments& arguments);
int running_command(const CliContext& context, const std::string& job_name, bool json);

// commands_prune.cpp: retention.
struct PruneArguments {
  std::string before;      // --before DATE[THH:MM[:SS[.ffffff]]][Z] (UTC)
  std::string older_than;  // --older-than N{s,m,h,d,w}
  std::string job_name;    // empty: every job
  bool dry_run = false;
  bool json = false;
};
int prune_command(const CliContext& context, const PruneArguments& arguments);
// The cutoff of prune: exactly one of --before / --older-than (the latter
// counted back from `now`); a one-line reason otherwise.
Result<Timestamp> prune_cutoff(const PruneArguments& arguments, Timestamp now);

// commands_jobfile.cpp: jobs declared in files.
int validate_command(const CliContext& context, const std::string& path);
// The registry's jobs plus those of the job file `path`, or null after
// printing every error of the file (the caller exits with kExitRunnerError).
// `components` receives the default component registry when the options
// give none; it must outlive the returned registry.
std::unique_ptr<JobRegistry> registry_with_job_file(const CliContext& context, const std::string& path,
                                                    std::unique_ptr<ComponentRegistry>& components);

}  // namespace cppbatch::internal
