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

constexpr const char* kCommands = "commands: run, restart, stop, abandon, jobs, executions, show, dlq";

struct Arguments {
  std::string repository;
  std::string log_level;
  internal::RunArguments run;
  std::string execution_id;
  internal::ExecutionsArguments executions;
  internal::DlqArguments dlq;
  bool json = false;
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
  run->add_flag("--next", arguments.run.next,
                "start the next instance: the job's incrementer applied to the last instance's parameters, "
                "then the given parameters on top");

  std::string known_jobs;
  for (const auto& name : registry.names()) known_jobs += (known_jobs.empty() ? "" : ", ") + name;
  run->footer(fmt::format("Registered jobs: {}.\n\n{}", known_jobs.empty() ? "none" : known_jobs, kFooter));

  CLI::App* restart = app.add_subcommand("restart", "restart a failed or stopped execution where it stopped");
  restart->add_option("EXECUTION_ID", arguments.execution_id, "id of the execution to restart")->required();

  CLI::App* stop = app.add_subcommand("stop", "ask a running execution (in any process) to stop");
  stop->add_option("EXECUTION_ID", arguments.execution_id, "id of the running execution")->required();

  CLI::App* abandon = app.add_subcommand("abandon", "mark a stopped or failed execution ABANDONED (never restarted)");
  abandon->add_option("EXECUTION_ID", arguments.execution_id, "id of the execution")->required();

  CLI::App* jobs = app.add_subcommand("jobs", "list the jobs: registered ones and those in the repository");
  add_json_flag(*jobs, arguments.json);

  CLI::App* executions = app.add_subcommand("executions", "list executions, newest first");
  executions->add_option("--job", arguments.executions.job_name, "only this job's executions");
  executions->add_option("--limit", arguments.executions.limit, "at most this many (default 20)")
      ->check(CLI::Range(int64_t{1}, std::numeric_limits<int64_t>::max()));
  add_json_flag(*executions, arguments.executions.json);

  CLI::App* show = app.add_subcommand("show", "show an execution and each of its steps with every counter");
  show->add_option("EXECUTION_ID", arguments.execution_id, "id of the execution")->required();
  add_json_flag(*show, arguments.json);

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
    if (run->parsed()) return internal::run_command(context, arguments.run);
    if (jobs->parsed()) return internal::jobs_command(context, arguments.json);
    if (executions->parsed()) return internal::executions_command(context, arguments.executions);
    if (dlq_list->parsed()) return internal::dlq_list_command(context, arguments.dlq);
    if (dlq_retry->parsed()) return internal::dlq_retry_command(context, arguments.dlq);
    auto id = internal::parse_execution_id(context, arguments.execution_id);
    if (!id) return kExitRunnerError;
    if (restart->parsed()) return internal::restart_command(context, *id);
    if (stop->parsed()) return internal::stop_command(context, *id);
    if (abandon->parsed()) return internal::abandon_command(context, *id);
    if (show->parsed()) return internal::show_command(context, *id, arguments.json);
    if (dlq_show->parsed()) return internal::dlq_show_command(context, *id, arguments.json);
    if (dlq_park->parsed()) return internal::dlq_park_command(context, *id);
  } catch (const std::exception& e) {
    return context.fail(fmt::format("internal error: {}", e.what()));
  }
  return context.fail("unknown command (see --help)");
}

}  // namespace cppbatch
