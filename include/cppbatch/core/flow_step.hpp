// FlowStep: a whole flow run as one step (Spring Batch's FlowStep). The
// flow's steps are recorded as step executions of the same job execution,
// next to the flow step's own; the flow step ends with the flow's status
// and exit status (a flow ending FAILED fails the step, STOPPED stops it).
// On restart the flow step runs again if it did not complete, and inside it
// the completed steps are skipped. Steps of the flow that start fresh get a
// copy of the flow step's ExecutionContext.
//
//   auto extracts = FlowBuilder("extracts").start(extract_a).next(extract_b).build();
//   auto step = StepBuilder("extracts", repo).flow(extracts).build();
#pragma once

#include <memory>

#include "cppbatch/core/abstract_step.hpp"
#include "cppbatch/core/flow.hpp"
#include "cppbatch/core/step_builder.hpp"

namespace cppbatch {

class FlowStep final : public AbstractStep {
 public:
  FlowStep(StepSettings settings, std::shared_ptr<const Flow> flow);
  const Flow& flow() const { return *flow_; }

 protected:
  void do_execute(StepExecution& execution) override;

 private:
  std::shared_ptr<const Flow> flow_;
};

// Returned by StepBuilder::flow(flow).
class FlowStepBuilder : public StepBuilderBase<FlowStepBuilder> {
 public:
  FlowStepBuilder(StepSettings settings, std::shared_ptr<const Flow> flow);
  template <class L>
  FlowStepBuilder& listener(std::shared_ptr<L> listener) {
    add_step_level_listener(listener);
    return *this;
  }
  // Throws std::invalid_argument without a flow.
  std::unique_ptr<Step> build();

 private:
  std::shared_ptr<const Flow> flow_;
};

}  // namespace cppbatch
