#include "cppbatch/core/flow_builder.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "cppbatch/core/status_pattern.hpp"

namespace cppbatch::internal {

FlowGraphBuilder::FlowGraphBuilder(std::string name) : name_(std::move(name)) {
  if (name_.empty()) throw std::invalid_argument("a flow needs a name");
}

void FlowGraphBuilder::register_state(FlowState state, const void* identity) {
  if (built_) throw std::logic_error(fmt::format("flow '{}' was already built", name_));
  if (state.name.empty()) throw std::invalid_argument(fmt::format("flow '{}': a state needs a name", name_));
  if (index_.contains(state.name)) {
    throw std::invalid_argument(fmt::format("flow '{}': two different states are named '{}'", name_, state.name));
  }
  index_.emplace(state.name, states_.size());
  if (identity != nullptr) identities_.emplace(identity, state.name);
  if (start_.empty() && state.kind != FlowStateKind::END) start_ = state.name;
  states_.push_back(std::move(state));
}

std::string FlowGraphBuilder::state_for(std::shared_ptr<Step> step) {
  if (!step) throw std::invalid_argument(fmt::format("flow '{}': null step", name_));
  if (auto known = identities_.find(step.get()); known != identities_.end()) return known->second;
  FlowState state;
  state.name = step->name();
  state.kind = FlowStateKind::STEP;
  const void* identity = step.get();
  state.step = std::move(step);
  std::string name = state.name;
  register_state(std::move(state), identity);
  return name;
}

std::string FlowGraphBuilder::state_for(std::shared_ptr<const Flow> flow) {
  if (!flow) throw std::invalid_argument(fmt::format("flow '{}': null flow", name_));
  if (auto known = identities_.find(flow.get()); known != identities_.end()) return known->second;
  std::string name = flow->name();
  const void* identity = flow.get();
  add_flow(name, std::move(flow));
  identities_.emplace(identity, name);
  return name;
}

std::string FlowGraphBuilder::state_for(std::shared_ptr<JobExecutionDecider> decider) {
  if (!decider) throw std::invalid_argument(fmt::format("flow '{}': null decider", name_));
  if (auto known = identities_.find(decider.get()); known != identities_.end()) return known->second;
  std::string name = fmt::format("{}.decision{}", name_, decisions_++);
  const void* identity = decider.get();
  add_decision(name, std::move(decider));
  identities_.emplace(identity, name);
  return name;
}

void FlowGraphBuilder::require_current(const char* operation) const {
  if (current_.empty()) {
    throw std::invalid_argument(fmt::format("flow '{}': {} needs a state before it (call start() first)", name_,
                                            operation));
  }
}

void FlowGraphBuilder::add(const std::string& from, std::string pattern, const std::string& to, bool fluent) {
  if (built_) throw std::logic_error(fmt::format("flow '{}' was already built", name_));
  if (pattern.empty()) {
    throw std::invalid_argument(fmt::format("flow '{}': a transition from '{}' has an empty pattern", name_, from));
  }
  if (fluent) fluent_.insert(to);
  transitions_.push_back(StateTransition{from, std::move(pattern), to});
}

const std::string& FlowGraphBuilder::end_state(FlowExecutionStatus status, const std::string& exit_code,
                                               bool abandon) {
  if (!status.is_end()) {
    throw std::invalid_argument(fmt::format("flow '{}': an end state must be COMPLETED, FAILED or STOPPED, not '{}'",
                                            name_, status.name()));
  }
  const std::string code = exit_code.empty() ? status.name() : exit_code;
  if (!abandon) {  // plain end states are shared, as Spring's completed/failed/stopped states are
    for (const auto& state : states_) {
      if (state.kind == FlowStateKind::END && !state.abandon && state.end_status == status && state.exit_code == code) {
        return state.name;
      }
    }
  }
  FlowState state;
  state.kind = FlowStateKind::END;
  const bool standard = !abandon && code == status.name();
  state.name = standard ? fmt::format("{}.{}", name_, status.name())
                        : fmt::format("{}.{}{}", name_, abandon ? "stop" : "end", ends_++);
  state.end_status = std::move(status);
  state.exit_code = code;
  state.abandon = abandon;
  register_state(std::move(state), nullptr);
  return states_.back().name;
}

void FlowGraphBuilder::start(const std::string& state) {
  if (!current_.empty()) fluent_.insert(current_);  // Spring: start() after a state is from()
  current_ = state;
}

void FlowGraphBuilder::next(const std::string& state) {
  require_current("next()");
  const std::string from = current_;
  add(from, "COMPLETED", state, true);
  add(from, "*", end_state(FlowExecutionStatus::failed(), "FAILED", false), true);
  current_ = state;
}

void FlowGraphBuilder::from(const std::string& state) {
  if (!index_.contains(state)) {
    throw std::invalid_argument(fmt::format("flow '{}': from('{}'): no such state yet", name_, state));
  }
  if (!current_.empty()) fluent_.insert(current_);
  current_ = state;
}

void FlowGraphBuilder::on_to(const std::string& pattern, const std::string& state) {
  require_current("on(...).to()");
  add(current_, pattern, state, true);
  current_ = state;
}

void FlowGraphBuilder::on_end(const std::string& pattern, FlowExecutionStatus status, const std::string& exit_code) {
  require_current("on(...).end()/fail()/stop()");
  add(current_, pattern, end_state(std::move(status), exit_code, false), true);
}

void FlowGraphBuilder::on_stop_and_restart(const std::string& pattern, const std::string& restart_state) {
  require_current("on(...).stop_and_restart()");
  const std::string stop = end_state(FlowExecutionStatus::stopped(), "STOPPED", true);
  add(current_, pattern, stop, true);
  current_ = stop;
  add(stop, "*", restart_state, true);
}

void FlowGraphBuilder::split(TaskExecutor& executor, std::vector<std::shared_ptr<const Flow>> flows) {
  const std::string name = fmt::format("{}.split{}", name_, splits_);
  if (!current_.empty()) {
    // Spring's SplitBuilder: a lone start state becomes the first branch.
    if (states_.size() != 1 || !transitions_.empty() || current_ != states_.front().name) {
      throw std::invalid_argument(fmt::format(
          "flow '{}': split() may only begin a flow or follow its lone start state; to run a split after other "
          "states, build it as its own flow (FlowBuilder(...).split(executor).add(...).build()) and use next()/to()",
          name_));
    }
    FlowState lone = std::move(states_.front());
    states_.clear();
    index_.clear();
    identities_.clear();
    start_.clear();
    current_.clear();
    fluent_.clear();
    std::shared_ptr<const Flow> first = lone.flow;
    if (lone.kind != FlowStateKind::FLOW) {
      FlowGraphBuilder branch(name + "_0");
      std::string state;
      switch (lone.kind) {
        case FlowStateKind::STEP: state = branch.state_for(lone.step); break;
        case FlowStateKind::DECISION:
          branch.add_decision(lone.name, lone.decider);
          state = lone.name;
          break;
        default: throw std::logic_error("unexpected lone state kind");
      }
      branch.start(state);
      first = branch.build();
    }
    std::vector<std::shared_ptr<const Flow>> branches{std::move(first)};
    for (auto& flow : flows) branches.push_back(std::move(flow));
    flows = std::move(branches);
  }
  ++splits_;
  add_split(name, std::move(flows), executor);
  current_ = name;
}

void FlowGraphBuilder::add_step(std::shared_ptr<Step> step) { (void)state_for(std::move(step)); }

void FlowGraphBuilder::add_flow(std::string name, std::shared_ptr<const Flow> flow) {
  if (!flow) throw std::invalid_argument(fmt::format("flow '{}': null flow for state '{}'", name_, name));
  FlowState state;
  state.name = std::move(name);
  state.kind = FlowStateKind::FLOW;
  state.flow = std::move(flow);
  register_state(std::move(state), nullptr);
}

void FlowGraphBuilder::add_decision(std::string name, std::shared_ptr<JobExecutionDecider> decider) {
  if (!decider) throw std::invalid_argument(fmt::format("flow '{}': null decider for state '{}'", name_, name));
  FlowState state;
  state.name = std::move(name);
  state.kind = FlowStateKind::DECISION;
  state.decider = std::move(decider);
  register_state(std::move(state), nullptr);
}

void FlowGraphBuilder::add_split(std::string name, std::vector<std::shared_ptr<const Flow>> flows,
                                 TaskExecutor& executor) {
  FlowState state;
  state.name = std::move(name);
  state.kind = FlowStateKind::SPLIT;
  state.flows = std::move(flows);
  state.executor = &executor;
  register_state(std::move(state), nullptr);
}

void FlowGraphBuilder::add_transition(const std::string& from, std::string pattern, const std::string& to) {
  add(from, std::move(pattern), to, false);
}

void FlowGraphBuilder::add_end_transition(const std::string& from, std::string pattern, FlowExecutionStatus status,
                                          std::string exit_code) {
  add(from, std::move(pattern), end_state(std::move(status), exit_code, false), false);
}

void FlowGraphBuilder::add_stop_and_restart_transition(const std::string& from, std::string pattern,
                                                       const std::string& restart, std::string exit_code) {
  const std::string stop = end_state(FlowExecutionStatus::stopped(), exit_code, true);
  add(from, std::move(pattern), stop, false);
  add(stop, "*", restart, false);
}

void FlowGraphBuilder::set_start(std::string state) { start_ = std::move(state); }

bool FlowGraphBuilder::has_transition_matching(const std::string& from, std::string_view code) const {
  for (const auto& transition : transitions_) {
    if (transition.from == from && status_pattern_matches(transition.pattern, code)) return true;
  }
  return false;
}

// Spring's FlowBuilder.addDanglingEndStates, over the states the fluent
// calls reached.
void FlowGraphBuilder::add_fluent_defaults() {
  std::set<std::string, std::less<>> froms;
  for (const auto& transition : transitions_) froms.insert(transition.from);
  if (fluent_.empty() && !current_.empty()) fluent_.insert(current_);
  auto is_end = [&](const std::string& name) {
    auto it = index_.find(name);
    return it != index_.end() && states_[it->second].kind == FlowStateKind::END;
  };
  const std::set<std::string, std::less<>> reached = fluent_;
  for (const auto& state : reached) {
    if (froms.contains(state) || is_end(state) || !index_.contains(state)) continue;
    add(state, "COMPLETED", end_state(FlowExecutionStatus::completed(), "COMPLETED", false), true);
    add(state, "*", end_state(FlowExecutionStatus::failed(), "FAILED", false), true);
  }
  for (const auto& state : reached) {
    if (is_end(state) || !index_.contains(state)) continue;
    if (!has_transition_matching(state, "FAILED")) {
      add(state, "*", end_state(FlowExecutionStatus::failed(), "FAILED", false), true);
    }
    if (!has_transition_matching(state, "COMPLETED")) {
      add(state, "*", end_state(FlowExecutionStatus::completed(), "COMPLETED", false), true);
    }
  }
}

std::shared_ptr<const Flow> FlowGraphBuilder::build() {
  if (built_) throw std::logic_error(fmt::format("flow '{}' was already built", name_));
  add_fluent_defaults();
  built_ = true;
  return std::make_shared<const Flow>(name_, start_, std::move(states_), std::move(transitions_));
}

}  // namespace cppbatch::internal
