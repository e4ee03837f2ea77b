// What every command of the CLI shares: the registry, the resolved options
// and streams, the repository URL, and the one way to report a runner
// error. Internal to src/cli.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "cppbatch/cli/cli_runner.hpp"
#include "cppbatch/common/result.hpp"
#include "cppbatch/core/job_repository.hpp"

namespace cppbatch::internal {

class CliContext {
 public:
  CliContext(const JobRegistry& registry, CliOptions options);

  const JobRegistry& registry() const { return registry_; }
  const CliOptions& options() const { return options_; }
  std::ostream& out() const { return *options_.out; }
  bool terminal() const { return terminal_; }

  // Chooses the repository: --repository if given, else the environment's
  // CPPBATCH_REPOSITORY, else the default.
  void select_repository(const std::string& from_option);
  const std::string& repository_url() const { return repository_url_; }

  // Opens the selected repository; on failure prints the error (password
  // redacted) and returns null.
  std::unique_ptr<JobRepository> open_repository() const;

  // Prints `<program>: <reason>` as one line on err; kExitRunnerError.
  int fail(std::string_view reason) const;
  int fail(const Error& error) const { return fail(error.message()); }

 private:
  const JobRegistry& registry_;
  CliOptions options_;
  bool terminal_ = false;
  std::string repository_url_;
};

// "no job named 'x' (known: a, b)": what an unknown job name gets.
std::string unknown_job(const JobRegistry& registry, std::string_view job_name);

// Parses a positive id; nullopt (after fail(): "<what> is a positive
// integer, got '...'") when it is not one.
std::optional<int64_t> parse_id(const CliContext& context, std::string_view text, std::string_view what);
inline std::optional<int64_t> parse_execution_id(const CliContext& context, std::string_view text) {
  return parse_id(context, text, "an execution id");
}

}  // namespace cppbatch::internal
