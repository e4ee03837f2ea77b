// run_cli: the CLI11 command tree, parse errors mapped to exit code 2, and
// dispatch to the commands.
#include "cppbatch/cli/cli_runner.hpp"

// GCC 12 reports a false "potential null pointer dereference" inside
// std::vector<std::string> growth inlined into CLI11's own functions
// (CLI::detail::split); it is not in our code, so it is silenced for the
// inline code of this header only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <CLI/CLI.hpp>
#pragma GCC diagnostic pop
#include <fmt/format.h>

#include <limits>

#include "cli/commands.hpp"
#include "cppbatch/common/logging.hpp"

namespace cppbatch {

namespace {

constexpr const char* kFooter =
    "Exit codes: 0 the job completed (or the command succeeded), 1 the job ended FAILED, STOPPED or\n"
    "otherwise not COMPLETED, 2 nothing ran (bad arguments, unknown job, bad parameter, repository\n"
    "not available, launch refused).\n"
    "Environment: CPPBATCH_REPOSITORY, the repository URL when --repository is not given\n"
    "(default sqlite:./batch.db). See docs/cli.md.";

constexpr const char* kCommands =
    "commands: run, restart, stop, abandon, jobs, executions, show, summary, instances, running, prune, dlq, validate";

struct Arguments {
  std::string repository;
  std::string log_level;
  internal::RunArguments run;
  std::string execution_id;
  internal::ExecutionsArguments executions;
  internal::InstancesArguments instances;
  internal::PruneArguments prune;
  std::string job_name;  // running [JOB]
  internal::DlqArguments dlq;
  bool json = false;
  std::string job_file;  // validate FILE, restart --file FILE
};

// Adds `--json` to a listing command.
void add_json_flag(CLI::App& command, bool& json) {
  command.add_flag("--json", json, "print JSON instead of a table");
}

}  // namespace

int run_cli(int argc, char** argv, const JobRegistry& registry, CliOptions options) {
  internal::CliContext context(registry, std::move(options));
  const std::string& program = context.options().program_name;
  Arguments arguments;

  CLI::App app("Runs and operates the batch jobs of this program.", program);
  app.footer(kFooter);
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option("--repository", arguments.repository,
                 "job repository URL: sqlite:PATH, PATH, memory: (default: $CPPBATCH_REPOSITORY, else "
                 "sqlite:./batch.db)");
  app.add_option("--log-level", arguments.log_level, "log level of the framework (default info)")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));

  CLI::App* run = app.add_subcommand("run", "run a job to its end in this process");
  run->add_option("JOB", arguments.run.job_name, "name of a registered job")->required();
  run->add_option("PARAMETERS", arguments.run.parameters,
                  "job parameters: name=value[,type[,identifying]]; type string|long|double|date|datetime "
                  "(default string), identifying true|false (default true)");
  run->add_option("--file", arguments.run.file,
                  "a job file (YAML or XML) declaring JOB (docs/job-files.md)");
  run->add_flag("--next", arguments.run.next,
                "start the next instance: the job's incrementer applied to the last instance's parameters, "
                "then the given parameters on top");

  std::string known_jobs;
  for (const auto& name : registry.names()) known_jobs += (known_jobs.empty() ? "" : ", ") + name;
  run->footer(fmt::format("Registered jobs: {}.\n\n{}", known_jobs.empty() ? "none" : known_jobs, kFooter));

  CLI::App* restart = app.add_subcommand("restart", "restart a failed or stopped execution where it stopped");
  restart->add_option("EXECUTION_ID", arguments.execution_id, "id of the execution to restart")->required();
  restart->add_option("--file", arguments.job_file, "the job file declaring the execution's job");

  CLI::App* validate = app.add_subcommand(
      "validate", "check a job file (YAML or XML): every error with line and column (exit 2), or a summary");
  validate->add_option("FILE", arguments.job_file, "the job file")->required();

  CLI::App* stop = app.add_subcommand("stop", "ask a running execution (in any process) to stop");
  stop->add_option("EXECUTION_ID", arguments.execution_id, "id of the running execution")->required();

  CLI::App* abandon = app.add_subcommand("abandon", "mark a stopped or failed execution ABANDONED (never restarted)");
  abandon->add_option("EXECUTION_ID", arguments.execution_id, "id of the execution")->required();

  CLI::App* jobs = app.add_subcommand("jobs", "list the jobs: registered ones and those in the repository");
  add_json_flag(*jobs, arguments.json);

  CLI::App* executions = app.add_subcommand("executions", "list executions, newest first");
  CLI::Option* executions_job =
      executions->add_option("--job", arguments.executions.job_name, "only this job's executions");
  executions->add_option("--instance", arguments.executions.instance_id, "only this job instance's executions")
      ->excludes(executions_job);
  executions->add_option("--limit", arguments.executions.limit, "at most this many (default 20)")
      ->check(CLI::Range(int64_t{1}, std::numeric_limits<int64_t>::max()));
  add_json_flag(*executions, arguments.executions.json);

  CLI::App* show = app.add_subcommand("show", "show an execution and each of its steps with every counter");
  show->add_option("EXECUTION_ID", arguments.execution_id, "id of the execution")->required();
  add_json_flag(*show, arguments.json);

  CLI::App* summary = app.add_subcommand("summary", "one line about an execution, then one per step");
  summary->add_option("EXECUTION_ID", arguments.execution_id, "id of the execution")->required();
  add_json_flag(*summary, arguments.json);

  CLI::App* instances = app.add_subcommand("instances", "list a job's instances, newest first");
  instances->add_option("JOB", arguments.instances.job_name, "a job registered or in the repository")->required();
  instances->add_option("--start", arguments.instances.start, "skip this many newest instances (default 0)")
      ->check(CLI::NonNegativeNumber);
  instances->add_option("--count", arguments.instances.count, "at most this many (default 20)")
      ->check(CLI::Range(int64_t{1}, std::numeric_limits<int64_t>::max()));
  add_json_flag(*instances, arguments.instances.json);

  CLI::App* running = app.add_subcommand("running", "list the running executions (STARTING, STARTED, STOPPING)");
  running->add_option("JOB", arguments.job_name, "only this job's (default: every job)");
  add_json_flag(*running, arguments.json);

  CLI::App* prune = app.add_subcommand(
      "prune", "delete executions created before a date with all their rows (never running ones)");
  CLI::Option* before = prune->add_option("--before", arguments.prune.before,
                                          "UTC date YYYY-MM-DD or date-time YYYY-MM-DDTHH:MM[:SS[.ffffff]][Z]");
  prune->add_option("--older-than", arguments.prune.older_than, "age: a count and s, m, h, d or w (e.g. 30d)")
      ->excludes(before);
  prune->add_option("--job", arguments.prune.job_name, "only this job's executions");
  prune->add_flag("--dry-run", arguments.prune.dry_run, "say what would be deleted, delete nothing");
  add_json_flag(*prune, arguments.prune.json);
  CLI::App* dlq = app.add_subcommand("dlq", "the dead-letter table: items fault-tolerant steps skipped");
  dlq->require_subcommand(1);
  CLI::App* dlq_list = dlq->add_subcommand("list", "list dead letters, oldest first");
  dlq_list->add_option("--job", arguments.dlq.job_name, "only this job's letters");
  dlq_list->add_option("--status", arguments.dlq.status,
                       "only these statuses, comma-separated: NEW, RESOLVED, FAILED_AGAIN, PARKED");
  dlq_list->add_option("--error-type", arguments.dlq.error_type, "only letters with this error type (exact)");
  dlq_list->add_option("--limit", arguments.dlq.limit, "at most this many (default 50)")
      ->check(CLI::Range(int64_t{1}, std::numeric_limits<int64_t>::max()));
  add_json_flag(*dlq_list, arguments.dlq.json);
  CLI::App* dlq_show = dlq->add_subcommand("show", "show a dead letter with its payload");
  dlq_show->add_option("ID", arguments.execution_id, "id of the dead letter")->required();
  add_json_flag(*dlq_show, arguments.json);
  CLI::App* dlq_retry = dlq->add_subcommand(
      "retry", "run the job's dead-letter reprocessing (a new instance of JOB.dlq): resolved, failed again or parked");
  dlq_retry->add_option("--job", arguments.dlq.job_name, "the job whose letters are retried")->required();
  dlq_retry->add_option("--error-type", arguments.dlq.error_type, "only letters with this error type (exact)");
  dlq_retry->add_option("--status", arguments.dlq.status, "statuses to retry (default NEW,FAILED_AGAIN)");
  dlq_retry->add_option("PARAMETERS", arguments.dlq.parameters,
                        "more job parameters for the reprocessing job: name=value[,type[,identifying]]");
  CLI::App* dlq_park = dlq->add_subcommand("park", "park a dead letter: reprocessing passes it over");
  dlq_park->add_option("ID", arguments.execution_id, "id of the dead letter")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help
    return app.exit(e, context.out(), context.out());
  } catch (const CLI::ParseError& e) {
    const auto commands = app.get_subcommands();
    if (commands.empty()) {
      if (auto unparsed = app.remaining(); !unparsed.empty() && dynamic_cast<const CLI::RequiredError*>(&e)) {
        return context.fail(fmt::format("unknown command '{}' ({}; see --help)", unparsed.front(), kCommands));
      }
      if (dynamic_cast<const CLI::RequiredError*>(&e)) {
        return context.fail(fmt::format("a command is required ({}; see --help)", kCommands));
      }
      return context.fail(fmt::format("{} (see --help)", e.what()));
    }
    const std::string& name = commands.back()->get_name();
    return context.fail(fmt::format("{}: {} (see '{} {} --help')", name, e.what(), program, name));
  }

  if (!arguments.log_level.empty()) set_log_level(spdlog::level::from_str(arguments.log_level));
  context.select_repository(arguments.repository);

  try {
    if (validate->parsed()) return internal::validate_command(context, arguments.job_file);
    const std::string& job_file = run->parsed() ? arguments.run.file : arguments.job_file;
    if (!job_file.empty() && (run->parsed() || restart->parsed())) {
      std::unique_ptr<ComponentRegistry> components;
      auto file_jobs = internal::registry_with_job_file(context, job_file, components);
      if (!file_jobs) return kExitRunnerError;
      internal::CliContext file_context(*file_jobs, context.options());
      file_context.select_repository(arguments.repository);
      if (run->parsed()) return internal::run_command(file_context, arguments.run);
      auto id = internal::parse_execution_id(file_context, arguments.execution_id);
      if (!id) return kExitRunnerError;
      return internal::restart_command(file_context, *id);
    }
    if (run->parsed()) return internal::run_command(context, arguments.run);
    if (jobs->parsed()) return internal::jobs_command(context, arguments.json);
    if (executions->parsed()) return internal::executions_command(context, arguments.executions);
    if (instances->parsed()) return internal::instances_command(context, arguments.instances);
    if (running->parsed()) return internal::running_command(context, arguments.job_name, arguments.json);
    if (prune->parsed()) return internal::prune_command(context, arguments.prune);
    if (dlq_list->parsed()) return internal::dlq_list_command(context, arguments.dlq);
    if (dlq_retry->parsed()) return internal::dlq_retry_command(context, arguments.dlq);
    const bool letter = dlq_show->parsed() || dlq_park->parsed();
    auto id = internal::parse_id(context, arguments.execution_id, letter ? "a dead letter id" : "an execution id");
    if (!id) return kExitRunnerError;
    if (restart->parsed()) return internal::restart_command(context, *id);
    if (stop->parsed()) return internal::stop_command(context, *id);
    if (abandon->parsed()) return internal::abandon_command(context, *id);
    if (show->parsed()) return internal::show_command(context, *id, arguments.json);
    if (summary->parsed()) return internal::summary_command(context, *id, arguments.json);
    if (dlq_show->parsed()) return internal::dlq_show_command(context, *id, arguments.json);
    if (dlq_park->parsed()) return internal::dlq_park_command(context, *id);
  } catch (const std::exception& e) {
    return context.fail(fmt::format("internal error: {}", e.what()));
  }
  return context.fail("unknown command (see --help)");
}

}  // namespace cppbatch
