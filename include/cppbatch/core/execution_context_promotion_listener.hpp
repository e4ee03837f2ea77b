// ExecutionContextPromotionListener: after a step, copies the listed keys
// of the step's ExecutionContext into the job's, so that a later step (or
// a decider) reads what an earlier one produced (Spring Batch's
// ExecutionContextPromotionListener). The job's context is saved with the
// step's end, so a restart sees the promoted values too.
//
// Promotion happens only when the step's exit code matches one of
// `statuses` (patterns with `*` and `?`; default {"COMPLETED"}). A listed
// key missing from the step's context is ignored, or, when `strict`, fails
// the step.
//
//   auto promote = std::make_shared<ExecutionContextPromotionListener>(
//       std::vector<std::string>{"total.count"});
//   auto count = StepBuilder("count", repo).tasklet(...).listener(promote).build();
//   // later: job_execution.execution_context.get_long("total.count")
//
// Thread-safe: steps of parallel flows may promote into one job context.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cppbatch/core/step_execution_listener.hpp"

namespace cppbatch {

class ExecutionContextPromotionListener final : public StepExecutionListener {
 public:
  explicit ExecutionContextPromotionListener(std::vector<std::string> keys,
                                             std::vector<std::string> statuses = {"COMPLETED"}, bool strict = false);
  std::optional<ExitStatus> after_step(StepExecution& execution) override;

 private:
  std::vector<std::string> keys_;
  std::vector<std::string> statuses_;
  bool strict_;
};

}  // namespace cppbatch
