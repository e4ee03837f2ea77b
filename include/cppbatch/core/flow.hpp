// Flow: an immutable graph of states — steps, nested flows, deciders,
// splits and end states — joined by transitions on exit-status patterns
// (Spring Batch's SimpleFlow). Built by FlowBuilder (a reusable flow),
// FlowJobBuilder (a job's flow) or StepBuilder::flow (a flow run as one
// step); run by FlowJob and FlowStep.
//
// How a flow runs (Spring's rules):
// - From the start state, each state is handled and yields a
//   FlowExecutionStatus: a step its exit code, a nested flow its final
//   status, a decider its answer, a split the most severe of its flows'
//   statuses, an end state its status.
// - The state's transitions are tried most specific pattern first
//   (compare_status_patterns); the first match names the next state or ends
//   the flow. No match fails the job: "Next state not found in flow=F for
//   state=S with exit status=X".
// - End states: COMPLETED (end), FAILED (fail), STOPPED (stop); each adds
//   its exit code to the job's exit status. A STOPPED end state ends the
//   flow; on a restart that reaches it again without having re-run the step
//   that led to it (the step completed before, or was abandoned by
//   stop_and_restart), it lets the flow pass to its restart state instead.
// - Steps run through the job's step handler: a step COMPLETED in an
//   earlier execution of the instance is not run again (its earlier exit
//   code is used) unless allow_start_if_complete; an ABANDONED one never
//   runs again; start_limit is enforced.
//
// Thread safety: a Flow is immutable and may be shared by several jobs and
// splits; its steps run one execution at a time each (a step object must
// not appear in two flows of one split).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cppbatch/core/flow_execution_status.hpp"
#include "cppbatch/core/job_execution_decider.hpp"
#include "cppbatch/core/step.hpp"
#include "cppbatch/core/task_executor.hpp"

namespace cppbatch {

class Flow;

enum class FlowStateKind { STEP, FLOW, DECISION, SPLIT, END };

// One state of a flow. Exactly the members of its kind are set.
struct FlowState {
  std::string name;
  FlowStateKind kind = FlowStateKind::STEP;
  std::shared_ptr<Step> step;                        // STEP
  std::shared_ptr<const Flow> flow;                  // FLOW
  std::shared_ptr<JobExecutionDecider> decider;      // DECISION
  std::vector<std::shared_ptr<const Flow>> flows;    // SPLIT: run in parallel
  TaskExecutor* executor = nullptr;                  // SPLIT: not owned; must outlive the flow
  FlowExecutionStatus end_status = FlowExecutionStatus::completed();  // END
  std::string exit_code;                             // END: added to the job's exit status
  bool abandon = false;                              // END (stop_and_restart): the step that led here
                                                     // is marked ABANDONED so a restart does not re-run it
};

// `from` --pattern--> `to`; an empty `to` ends the flow (only end states
// have such transitions).
struct StateTransition {
  std::string from;
  std::string pattern;
  std::string to;
};

class Flow {
 public:
  // Use FlowBuilder / FlowJobBuilder; this constructor validates (see
  // FlowBuilderBase::build) and throws std::invalid_argument.
  Flow(std::string name, std::string start_state, std::vector<FlowState> states,
       std::vector<StateTransition> transitions);

  const std::string& name() const { return name_; }
  const std::string& start_state() const { return start_state_; }
  const std::vector<FlowState>& states() const { return states_; }
  // Null if no such state.
  const FlowState* state(std::string_view name) const;
  // The transitions leaving `state`, in the order they are tried (most
  // specific pattern first; of equal patterns only the first given).
  const std::vector<StateTransition>& transitions_from(std::string_view state) const;
  // Names of every step this flow may run, nested flows and splits
  // included, in state order (a job's step names must be unique).
  std::vector<std::string> step_names() const;

 private:
  std::string name_;
  std::string start_state_;
  std::vector<FlowState> states_;
  std::vector<std::vector<StateTransition>> transitions_;  // per state, same index as states_
};

}  // namespace cppbatch
