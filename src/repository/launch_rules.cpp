#include "repository/launch_rules.hpp"

#include <fmt/format.h>

#include "cppbatch/common/process.hpp"

namespace cppbatch::internal {

std::string_view utf8_prefix(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  // Step back over continuation bytes (10xxxxxx) to a sequence start.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

Result<std::string> context_json(const ExecutionContext& context, std::string_view owner) {
  try {
    return context.to_json();
  } catch (const std::exception& e) {
    return Error(ErrorCode::INVALID_ARGUMENT,
                 fmt::format("the execution context of {} cannot be stored as JSON: {}", owner, e.what()));
  }
}

std::string describe(const JobInstance& instance) {
  return fmt::format("JobInstance: id={}, version={}, Job=[{}]", instance.id, instance.version, instance.job_name);
}

Error already_running(const JobInstance& instance) {
  return Error(ErrorCode::ALREADY_RUNNING, "A job execution for this job is already running: " + describe(instance));
}

bool blocks_launch(BatchStatus status, const JobParameters& parameters) {
  if (status == BatchStatus::UNKNOWN) return true;
  if (status != BatchStatus::COMPLETED && status != BatchStatus::ABANDONED) return false;
  for (const auto& entry : parameters.parameters()) {
    if (entry.second.identifying()) return true;
  }
  return false;
}

std::optional<Error> refuse_finished(std::optional<BatchStatus> newest_blocking, const JobParameters& parameters) {
  if (!newest_blocking) return std::nullopt;
  if (*newest_blocking == BatchStatus::UNKNOWN) {
    return Error(ErrorCode::NOT_RESTARTABLE,
                 "Cannot restart job from UNKNOWN status. The last execution ended with a failure that could not be "
                 "rolled back, so it may be dangerous to proceed. Manual intervention is probably necessary.");
  }
  JobParameters identifying = parameters.identifying();
  if (!identifying.empty() &&
      (*newest_blocking == BatchStatus::COMPLETED || *newest_blocking == BatchStatus::ABANDONED)) {
    return Error(ErrorCode::ALREADY_COMPLETE,
                 "A job instance already exists and is complete for identifying parameters=" + identifying.to_string() +
                     ". If you want to run this job again, change the parameters.");
  }
  return std::nullopt;
}

std::optional<std::string> dead_owner_reason(const std::optional<ExecutionLease>& lease,
                                             std::optional<Timestamp> last_updated, Timestamp now,
                                             std::chrono::milliseconds lease_duration) {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  if (lease) {
    if (lease->host == host_name() && !process_alive(lease->pid)) {
      return fmt::format("owner process {}:{} is no longer running", lease->host, lease->pid);
    }
    auto silent = duration_cast<milliseconds>(now - lease->last_beat);
    if (silent > lease_duration) {
      return fmt::format("owner {}:{} sent no heartbeat for {} (lease {})", lease->host, lease->pid,
                         format_seconds(silent), format_seconds(lease_duration));
    }
    return std::nullopt;
  }
  if (!last_updated) return std::string("execution has no lease and no recorded update");
  auto silent = duration_cast<milliseconds>(now - *last_updated);
  if (silent > lease_duration) {
    return fmt::format("execution has no lease and was not updated for {} (lease {})", format_seconds(silent),
                       format_seconds(lease_duration));
  }
  return std::nullopt;
}

Error version_conflict(std::string_view what, int64_t id, int64_t version, std::optional<int64_t> stored) {
  if (!stored) {
    return Error(ErrorCode::NOT_FOUND, fmt::format("No {} with id={} is stored", what, id));
  }
  return Error(ErrorCode::CONFLICT,
               fmt::format("Attempt to update {} id={} with wrong version ({}), where current version is {}: it was "
                           "changed by another process or thread; reload it",
                           what, id, version, *stored));
}

std::string format_seconds(std::chrono::milliseconds duration) {
  return fmt::format("{}s", static_cast<double>(duration.count()) / 1000.0);
}

}  // namespace cppbatch::internal
