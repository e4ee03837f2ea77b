// Internal: runs a Flow for one job execution (Spring's JobFlowExecutor +
// SimpleFlow.resume): handles states, follows transitions, runs splits on
// their task executors and accumulates the exit codes of the end states
// reached. One executor per FlowJob / FlowStep run; the flows of a split
// share it (thread-safe).
#pragma once

#include <mutex>
#include <string>

#include "core/step_handler.hpp"
#include "cppbatch/core/exit_status.hpp"
#include "cppbatch/core/flow.hpp"

namespace cppbatch::internal {

// How a flow ended: its last state and that state's status.
struct FlowResult {
  std::string state;
  FlowExecutionStatus status;
};

class FlowExecutor {
 public:
  FlowExecutor(JobRepository& repository, JobExecution& job, ExecutionContext initial_step_context = {});

  // Runs `flow` from its start state. Throws JobInterruptedException when
  // a step stopped, std::runtime_error when the flow cannot go on (no
  // matching transition...), or what a state threw.
  FlowResult run(const Flow& flow);
  // The exit status of the run: the end states' exit codes and the final
  // status, most severe first (Spring's updateJobExecutionStatus).
  ExitStatus exit_status(const FlowResult& result);

 private:
  // Per flow run (Spring keeps it thread-local): the step execution last
  // run or skipped by this flow.
  struct Position {
    StepExecution* last_step = nullptr;
    bool last_step_ran = false;
  };
  FlowExecutionStatus handle(const FlowState& state, Position& position, bool& stopped);
  FlowExecutionStatus handle_end(const FlowState& state, Position& position, bool& stopped);
  FlowExecutionStatus run_split(const FlowState& state);

  JobRepository& repository_;
  JobExecution& job_;
  StepHandler handler_;
  std::mutex exit_mutex_;
  ExitStatus exit_status_ = ExitStatus::executing();  // guarded by exit_mutex_
};

}  // namespace cppbatch::internal
