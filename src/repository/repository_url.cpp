#include "cppbatch/repository/repository_url.hpp"

#include <cctype>

#include "cppbatch/repository/in_memory_job_repository.hpp"
#include "cppbatch/repository/sqlite_job_repository.hpp"

namespace cppbatch {
namespace {

constexpr std::string_view kSupported = "supported: sqlite:PATH (or a bare PATH), memory:";

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

Result<std::unique_ptr<JobRepository>> open_sqlite(std::string_view path, const LeaseOptions& lease,
                                                   std::string_view url) {
  if (path.empty()) {
    return Error(ErrorCode::INVALID_ARGUMENT, "repository URL '" + redact_url(url) + "' names no file");
  }
  SqliteRepositoryOptions options;
  options.path = std::string(path);
  options.lease = lease;
  auto repository = SqliteJobRepository::open(options);
  if (!repository) return repository.error();
  return std::unique_ptr<JobRepository>(std::move(repository.value()));
}

}  // namespace

Result<std::unique_ptr<JobRepository>> open_repository(std::string_view url, const LeaseOptions& lease) {
  std::string_view scheme = url_scheme(url);
  if (scheme.empty()) return open_sqlite(url, lease, url);
  std::string_view rest = url.substr(scheme.size() + 1);
  if (iequals(scheme, "sqlite")) {
    if (rest.substr(0, 2) == "//") rest.remove_prefix(2);  // sqlite:///abs/path, sqlite://relative
    return open_sqlite(rest, lease, url);
  }
  if (iequals(scheme, "memory")) {
    if (!rest.empty() && rest != "//") {
      return Error(ErrorCode::INVALID_ARGUMENT,
                   "repository URL '" + redact_url(url) + "': memory: takes no path (" + std::string(kSupported) + ")");
    }
    return std::unique_ptr<JobRepository>(std::make_unique<InMemoryJobRepository>(lease));
  }
  return Error(ErrorCode::INVALID_ARGUMENT, "unsupported repository URL scheme '" + std::string(scheme) + "' in '" +
                                                redact_url(url) + "'; " + std::string(kSupported));
}

}  // namespace cppbatch
