#include "cppbatch/core/execution_context_promotion_listener.hpp"

#include <mutex>
#include <stdexcept>

#include "cppbatch/core/job_execution.hpp"
#include "cppbatch/core/status_pattern.hpp"

namespace cppbatch {

ExecutionContextPromotionListener::ExecutionContextPromotionListener(std::vector<std::string> keys,
                                                                     std::vector<std::string> statuses, bool strict)
    : keys_(std::move(keys)), statuses_(std::move(statuses)), strict_(strict) {}

std::optional<ExitStatus> ExecutionContextPromotionListener::after_step(StepExecution& execution) {
  if (execution.job_execution == nullptr) return std::nullopt;
  const std::string& code = execution.exit_status.code();
  for (const auto& pattern : statuses_) {
    if (!status_pattern_matches(pattern, code)) continue;
    JobExecution& job = *execution.job_execution;
    std::lock_guard lock(job.mutex);
    for (const auto& key : keys_) {
      auto found = execution.execution_context.values().find(key);
      if (found != execution.execution_context.values().end()) {
        job.execution_context.put(key, found->second);
      } else if (strict_) {
        throw std::invalid_argument("The key [" + key + "] was not found in the Step's ExecutionContext.");
      }
    }
    break;
  }
  return std::nullopt;
}

}  // namespace cppbatch
