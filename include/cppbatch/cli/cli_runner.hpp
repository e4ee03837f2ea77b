// The `cppbatch` command line as one function. A program registers its jobs
// and hands its arguments to run_cli(), which gives it every command of the
// CLI: run, restart, stop, abandon, jobs, executions, show, summary,
// instances, running, prune (docs/cli.md).
//
//   int main(int argc, char** argv) {
//     cppbatch::JobRegistry registry;
//     registry.add("settlementJob", make_settlement_job, "nightly settlement (date)");
//     return cppbatch::run_cli(argc, argv, registry);
//   }
//
//   $ ./mybatch run settlementJob date=2026-01-02,date
//   $ ./mybatch executions --job settlementJob --json
//
// The return value is the process exit code an operator's scheduler reads:
// kExitCompleted, kExitNotCompleted, kExitRunnerError (below).
#pragma once

#include <chrono>
#include <functional>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include "cppbatch/core/job_registry.hpp"

namespace cppbatch {
class ComponentRegistry;
}

namespace cppbatch {

// The job ended COMPLETED; stop/abandon/listings succeeded; --help.
inline constexpr int kExitCompleted = 0;
// The job ran and ended FAILED, STOPPED or any status but COMPLETED.
inline constexpr int kExitNotCompleted = 1;
// Nothing ran: bad arguments, unknown job, bad parameter, repository not
// available, launch refused (already complete/running, not restartable),
// stop/abandon/show/summary refused, unknown job or instance in a query,
// prune failed. One line `cppbatch: <reason>` on `err`.
inline constexpr int kExitRunnerError = 2;

// The repository used when neither --repository nor CPPBATCH_REPOSITORY
// says otherwise: a SQLite file in the working directory.
inline constexpr std::string_view kDefaultRepositoryUrl = "sqlite:./batch.db";

struct CliOptions {
  // Shown in help and as the prefix of error lines. Default "cppbatch".
  std::string program_name = "cppbatch";
  // Where results (summaries, tables, JSON, help) go. Never null; must
  // outlive the call. Default std::cout.
  std::ostream* out = &std::cout;
  // Where the one-line runner errors go. Never null; must outlive the call.
  // Default std::cerr. (The engine's logs go to the framework logger.)
  std::ostream* err = &std::cerr;
  // Looks up an environment variable (CPPBATCH_REPOSITORY); nullopt when
  // unset. Empty function: the process environment.
  std::function<std::optional<std::string>(const std::string&)> getenv;
  // Whether `out` is a terminal, which switches live progress lines on.
  // nullopt: true when `out` is std::cout and standard output is a tty.
  std::optional<bool> terminal;
  // run/restart turn SIGINT and SIGTERM into a graceful stop of the job
  // (a second SIGINT ends the process at once). Turn off when the host
  // program handles signals itself. Default true.
  bool handle_signals = true;
  // How often progress polls the repository while a job runs (default
  // 250 ms), and the least time between two plain progress log lines about
  // one step when `out` is not a terminal (default 10 s).
  std::chrono::milliseconds progress_poll_interval{250};
  std::chrono::milliseconds progress_log_interval{std::chrono::seconds{10}};
  // Components that job files (`run --file`, `restart --file`, `validate`)
  // may name besides the built-ins; must outlive the call. Null: the
  // built-ins only.
  const ComponentRegistry* components = nullptr;
};

// Parses `argv` and runs the command against `registry` and the repository
// named by --repository, else $CPPBATCH_REPOSITORY, else
// kDefaultRepositoryUrl. Returns the exit code; never throws for bad input
// or refusals (they become kExitRunnerError with a message). `registry` is
// only read. Runs one command at a time per process when handle_signals is
// on (signal handlers are process-wide).
int run_cli(int argc, char** argv, const JobRegistry& registry, CliOptions options = {});

}  // namespace cppbatch
