#include "core/flow_executor.hpp"

#include <fmt/format.h>

#include <exception>
#include <future>
#include <memory>
#include <stdexcept>
#include <vector>

#include "cppbatch/common/logging.hpp"
#include "cppbatch/core/job_interrupted_exception.hpp"
#include "cppbatch/core/status_pattern.hpp"

namespace cppbatch::internal {

FlowExecutor::FlowExecutor(JobRepository& repository, JobExecution& job, ExecutionContext initial_step_context)
    : repository_(repository), job_(job), handler_(repository, job, std::move(initial_step_context)) {}

FlowResult FlowExecutor::run(const Flow& flow) {
  Position position;
  const FlowState* state = flow.state(flow.start_state());
  FlowResult result{flow.start_state(), FlowExecutionStatus::unknown()};
  while (state != nullptr) {
    result.state = state->name;
    bool stopped = false;
    result.status = handle(*state, position, stopped);
    if (stopped) break;
    const auto& transitions = flow.transitions_from(state->name);
    const StateTransition* taken = nullptr;
    for (const auto& transition : transitions) {
      if (status_pattern_matches(transition.pattern, result.status.name())) {
        taken = &transition;
        break;
      }
    }
    if (taken == nullptr) {
      throw std::runtime_error(fmt::format("Next state not found in flow={} for state={} with exit status={}",
                                           flow.name(), state->name, result.status.name()));
    }
    state = taken->to.empty() ? nullptr : flow.state(taken->to);
  }
  return result;
}

FlowExecutionStatus FlowExecutor::handle(const FlowState& state, Position& position, bool& stopped) {
  switch (state.kind) {
    case FlowStateKind::STEP: {
      HandledStep handled = handler_.handle(*state.step, position.last_step_ran ? position.last_step : nullptr);
      position.last_step = handled.execution;
      position.last_step_ran = handled.ran;
      return FlowExecutionStatus(handled.execution->exit_status.code());
    }
    case FlowStateKind::FLOW: {
      FlowResult nested = run(*state.flow);
      position = Position{};  // Spring closes the nested flow's step holder
      return nested.status;
    }
    case FlowStateKind::DECISION: {
      std::lock_guard lock(job_.mutex);
      return state.decider->decide(job_, position.last_step);
    }
    case FlowStateKind::SPLIT: {
      FlowExecutionStatus status = run_split(state);
      position = Position{};
      return status;
    }
    case FlowStateKind::END: return handle_end(state, position, stopped);
  }
  throw std::logic_error("unknown flow state kind");
}

// Spring's EndState.handle.
FlowExecutionStatus FlowExecutor::handle_end(const FlowState& state, Position& position, bool& stopped) {
  StepExecution* last = position.last_step;
  if (last != nullptr && last->status == BatchStatus::UNKNOWN) return FlowExecutionStatus::unknown();
  if (state.end_status.is_stop()) {
    bool no_step_ran;
    {
      std::lock_guard lock(job_.mutex);
      no_step_ran = job_.step_executions.empty();
    }
    // A restart passing the point where an earlier execution stopped: the
    // step that led here did not run again (it completed, or was abandoned
    // by stop_and_restart), so go on to the restart state.
    const bool restart =
        no_step_ran || (last != nullptr && (last->status == BatchStatus::ABANDONED || !position.last_step_ran));
    if (restart) return FlowExecutionStatus::completed();
    if (state.abandon && last != nullptr && position.last_step_ran && last->status > BatchStatus::STOPPING) {
      last->upgrade_status(BatchStatus::ABANDONED);
      if (auto saved = repository_.update(*last); !saved) {
        throw std::runtime_error("could not mark step " + last->step_name + " ABANDONED: " + saved.error().to_string());
      }
    }
    stopped = true;
  }
  std::string description;
  if (state.end_status.is_fail() && last != nullptr && is_unsuccessful(last->status)) {
    description = last->exit_status.description();
  }
  {
    std::lock_guard lock(exit_mutex_);
    exit_status_ = exit_status_.and_(ExitStatus(state.exit_code, description));
  }
  return state.end_status;
}

// Spring's SplitState: every flow on the executor, then the most severe
// of their statuses. All flows are waited for before an error of one is
// rethrown (the first, in flow order).
FlowExecutionStatus FlowExecutor::run_split(const FlowState& state) {
  std::vector<std::future<FlowResult>> results;
  results.reserve(state.flows.size());
  std::exception_ptr submit_error;
  for (const auto& flow : state.flows) {
    auto task = std::make_shared<std::packaged_task<FlowResult()>>([this, &flow] { return run(*flow); });
    results.push_back(task->get_future());
    try {
      state.executor->execute([task] { (*task)(); });
    } catch (...) {
      submit_error = std::current_exception();
      results.pop_back();
      break;
    }
  }
  std::exception_ptr first_error = submit_error;
  std::optional<FlowExecutionStatus> aggregate;
  for (auto& result : results) {
    try {
      FlowResult ended = result.get();
      if (!aggregate || ended.status.compare(*aggregate) > 0) aggregate = ended.status;
    } catch (...) {
      if (!first_error) first_error = std::current_exception();
    }
  }
  if (first_error) std::rethrow_exception(first_error);
  return aggregate.value_or(FlowExecutionStatus::unknown());
}

ExitStatus FlowExecutor::exit_status(const FlowResult& result) {
  std::lock_guard lock(exit_mutex_);
  return exit_status_.and_(ExitStatus(result.status.name()));
}

}  // namespace cppbatch::internal
