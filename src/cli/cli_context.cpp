#include "cli/cli_context.hpp"

#include <unistd.h>

#include <charconv>
#include <cstdlib>

#include "cppbatch/repository/repository_url.hpp"

namespace cppbatch::internal {

namespace {

std::optional<std::string> process_getenv(const std::string& name) {
  const char* value = std::getenv(name.c_str());  // NOLINT(concurrency-mt-unsafe): read once, at startup
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

// One line, whatever the reason contains.
std::string single_line(std::string_view text) {
  std::string line(text);
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return line;
}

// Replaces every occurrence of `secret` in `text` with `replacement`.
std::string replace_all(std::string text, std::string_view secret, std::string_view replacement) {
  if (secret.empty() || secret == replacement) return text;
  for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + replacement.size())) {
    text.replace(at, secret.size(), replacement);
  }
  return text;
}

}  // namespace

CliContext::CliContext(const JobRegistry& registry, CliOptions options)
    : registry_(registry), options_(std::move(options)) {
  if (options_.out == nullptr) options_.out = &std::cout;
  if (options_.err == nullptr) options_.err = &std::cerr;
  if (!options_.getenv) options_.getenv = process_getenv;
  terminal_ = options_.terminal.value_or(options_.out == &std::cout && ::isatty(STDOUT_FILENO) == 1);
}

void CliContext::select_repository(const std::string& from_option) {
  if (!from_option.empty()) {
    repository_url_ = from_option;
    return;
  }
  auto from_environment = options_.getenv("CPPBATCH_REPOSITORY");
  repository_url_ = from_environment && !from_environment->empty() ? *from_environment
                                                                   : std::string(kDefaultRepositoryUrl);
}

std::unique_ptr<JobRepository> CliContext::open_repository() const {
  auto opened = cppbatch::open_repository(repository_url_);
  if (!opened) {
    const std::string redacted = redact_url(repository_url_);
    fail("cannot open repository " + redacted + ": " +
         replace_all(opened.error().message(), repository_url_, redacted));
    return nullptr;
  }
  return std::move(opened.value());
}

int CliContext::fail(std::string_view reason) const {
  *options_.err << options_.program_name << ": " << single_line(reason) << '\n' << std::flush;
  return kExitRunnerError;
}

std::string unknown_job(const JobRegistry& registry, std::string_view job_name) {
  std::string known;
  for (const auto& name : registry.names()) known += (known.empty() ? "" : ", ") + name;
  return "no job named '" + std::string(job_name) + "' (known: " + (known.empty() ? "none" : known) + ")";
}

std::optional<int64_t> parse_id(const CliContext& context, std::string_view text, std::string_view what) {
  int64_t id = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id <= 0) {
    context.fail(std::string(what) + " is a positive integer, got '" + std::string(text) + "'");
    return std::nullopt;
  }
  return id;
}

}  // namespace cppbatch::internal
