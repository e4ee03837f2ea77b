#include "cppbatch/core/batch_status.hpp"

#include <array>

namespace cppbatch {
namespace {
constexpr std::array<std::string_view, 8> kNames = {"COMPLETED", "STARTING", "STARTED", "STOPPING",
                                                    "STOPPED",   "FAILED",   "ABANDONED", "UNKNOWN"};
}

std::string_view to_string(BatchStatus status) { return kNames[static_cast<size_t>(status)]; }

std::optional<BatchStatus> parse_batch_status(std::string_view text) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == text) return static_cast<BatchStatus>(i);
  }
  return std::nullopt;
}

bool is_running(BatchStatus status) {
  return status == BatchStatus::STARTING || status == BatchStatus::STARTED ||
         status == BatchStatus::STOPPING;
}

bool is_unsuccessful(BatchStatus status) { return status >= BatchStatus::FAILED; }

BatchStatus max_status(BatchStatus a, BatchStatus b) { return a > b ? a : b; }

BatchStatus upgrade_to(BatchStatus current, BatchStatus other) {
  if (current > BatchStatus::STARTED || other > BatchStatus::STARTED) return max_status(current, other);
  if (current == BatchStatus::COMPLETED || other == BatchStatus::COMPLETED) return BatchStatus::COMPLETED;
  return max_status(current, other);
}

}  // namespace cppbatch
