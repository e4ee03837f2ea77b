// Rules every JobRepository backend applies the same way: Spring Batch 5's
// launch refusals, dead-owner detection from a lease, optimistic-lock
// messages and the storage limits of Spring's columns. Internal.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cppbatch/common/result.hpp"
#include "cppbatch/core/batch_status.hpp"
#include "cppbatch/core/execution_context.hpp"
#include "cppbatch/core/job_instance.hpp"
#include "cppbatch/core/job_parameters.hpp"
#include "cppbatch/repository/execution_lease.hpp"

namespace cppbatch::internal {

// Spring's VARCHAR(2500) limits (EXIT_MESSAGE, SHORT_CONTEXT), in bytes.
inline constexpr size_t kMaxExitMessage = 2500;
inline constexpr size_t kShortContextLength = 2500;

// The longest prefix of `text` of at most `max_bytes` bytes that does not
// split a UTF-8 sequence.
std::string_view utf8_prefix(std::string_view text, size_t max_bytes);

// The context's JSON (ExecutionContext::to_json); INVALID_ARGUMENT when it
// cannot be written as JSON (a string value that is not valid UTF-8).
Result<std::string> context_json(const ExecutionContext& context, std::string_view owner);

// "JobInstance: id=1, version=0, Job=[name]" (Spring's toString).
std::string describe(const JobInstance& instance);

// The refusal for a launch that found a live running execution.
Error already_running(const JobInstance& instance);

// True if an execution in `status` can refuse a new launch of its instance
// with `parameters`: UNKNOWN always; COMPLETED and ABANDONED when the
// parameters have identifying ones (Spring 5).
bool blocks_launch(BatchStatus status, const JobParameters& parameters);

// The refusal (if any) given the status of the newest execution of the
// instance that is UNKNOWN, or COMPLETED/ABANDONED while `parameters` has
// identifying parameters (Spring 5: an instance without identifying
// parameters may run again once complete).
std::optional<Error> refuse_finished(std::optional<BatchStatus> newest_blocking, const JobParameters& parameters);

// Why the owner of a running execution is dead, or nullopt if it may be
// alive. `lease` is the execution's lease (nullopt if none);
// `last_updated` is its LAST_UPDATED (or CREATE_TIME when never updated).
// Dead: the lease names this host and a pid that no longer runs; or the
// last beat is older than `lease_duration`; or there is no lease and the
// execution was not updated for longer than `lease_duration`.
std::optional<std::string> dead_owner_reason(const std::optional<ExecutionLease>& lease,
                                             std::optional<Timestamp> last_updated, Timestamp now,
                                             std::chrono::milliseconds lease_duration);

// Spring's message for an optimistic locking failure.
Error version_conflict(std::string_view what, int64_t id, int64_t version, std::optional<int64_t> stored);

// "61s", "0.5s": a duration for messages.
std::string format_seconds(std::chrono::milliseconds duration);

}  // namespace cppbatch::internal
