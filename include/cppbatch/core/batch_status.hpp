// BatchStatus: the lifecycle state of a job or step execution, persisted by
// name in the STATUS columns (Spring Batch 5 names and ordering).
//
// Ordering is by declaration (COMPLETED lowest, UNKNOWN highest); upgrade_to
// combines two statuses the way Spring does when aggregating steps or flows.
#pragma once

#include <optional>
#include <string_view>

namespace cppbatch {

enum class BatchStatus { COMPLETED, STARTING, STARTED, STOPPING, STOPPED, FAILED, ABANDONED, UNKNOWN };

std::string_view to_string(BatchStatus status);
std::optional<BatchStatus> parse_batch_status(std::string_view text);

// STARTING, STARTED or STOPPING.
bool is_running(BatchStatus status);
// FAILED or worse (ABANDONED, UNKNOWN).
bool is_unsuccessful(BatchStatus status);
// Spring's BatchStatus.upgradeTo: if either status is beyond STARTED the
// more severe wins; otherwise COMPLETED wins over STARTING/STARTED.
BatchStatus upgrade_to(BatchStatus current, BatchStatus other);
// The more severe of the two (declaration order).
BatchStatus max_status(BatchStatus a, BatchStatus b);

}  // namespace cppbatch
