#include "cppbatch/repository/repository_url.hpp"

#include <cctype>

#include "cppbatch/repository/in_memory_job_repository.hpp"
#include "cppbatch/repository/sqlite_job_repository.hpp"

namespace cppbatch {
namespace {

constexpr std::string_view kSupported = "supported: sqlite:PATH (or a bare PATH), memory:";

// The scheme of "scheme:rest" (RFC 3986 syntax, at least two characters so
// a Windows drive letter stays a path); empty if there is none.
std::string_view scheme_of(std::string_view url) {
  size_t colon = url.find(':');
  if (colon == std::string_view::npos || colon < 2) return {};
  if (!std::isalpha(static_cast<unsigned char>(url[0]))) return {};
  for (size_t i = 1; i < colon; ++i) {
    char c = url[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return {};
  }
  return url.substr(0, colon);
}

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
  std::string_view scheme = scheme_of(url);
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

std::string redact_url(std::string_view url) {
  std::string out(url);
  // scheme://user:password@host
  size_t authority = out.find("://");
  if (authority != std::string::npos) {
    authority += 3;
    size_t end = out.find_first_of("/?#", authority);
    if (end == std::string::npos) end = out.size();
    size_t at = out.rfind('@', end - 1);
    if (at != std::string::npos && at >= authority) {
      size_t colon = out.find(':', authority);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // password=secret (query string or libpq "key=value" form)
  size_t pos = 0;
  while (pos < out.size()) {
    size_t found = std::string::npos;
    for (size_t i = pos; i + 9 <= out.size(); ++i) {
      if (iequals(std::string_view(out).substr(i, 9), "password=") &&
          (i == 0 || out[i - 1] == '?' || out[i - 1] == '&' || out[i - 1] == ';' ||
           std::isspace(static_cast<unsigned char>(out[i - 1])))) {
        found = i;
        break;
      }
    }
    if (found == std::string::npos) break;
    size_t value = found + 9;
    size_t end = out.find_first_of("&; \t\n#", value);
    if (end == std::string::npos) end = out.size();
    out.replace(value, end - value, "***");
    pos = value + 3;
  }
  return out;
}

}  // namespace cppbatch
