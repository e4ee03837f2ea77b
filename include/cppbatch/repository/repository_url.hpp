// Opening a job repository from a URL, as the CLI's --repository option and
// job files name it.
//
//   sqlite:PATH     SQLite file (created if missing); also sqlite://PATH
//   PATH            a bare path (no scheme) means the same
//   memory:         an in-memory repository (lost at exit)
//
// Anything else (e.g. postgresql://...) is refused with INVALID_ARGUMENT
// naming the supported schemes.
//
//   auto repo = open_repository("sqlite:/var/lib/batch/batch.db");
//   if (!repo) { std::cerr << repo.error().to_string(); return 2; }
//   std::cout << "repository " << redact_url(url) << "\n";
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "cppbatch/common/connection_url.hpp"
#include "cppbatch/common/result.hpp"
#include "cppbatch/core/job_repository.hpp"

namespace cppbatch {

// Opens the repository `url` designates (SQLite with default options apart
// from `lease`; memory with the system clock). Errors: INVALID_ARGUMENT
// for an unsupported scheme or an empty path, STORAGE when the database
// cannot be opened.
Result<std::unique_ptr<JobRepository>> open_repository(std::string_view url, const LeaseOptions& lease = {});

// redact_url(url) (connection_url.hpp) makes a URL safe to log.

}  // namespace cppbatch
