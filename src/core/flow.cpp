#include "cppbatch/core/flow.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "cppbatch/core/status_pattern.hpp"

namespace cppbatch {

namespace {

// Adds every step reachable through `flow` (nested flows, splits) to
// `steps`, name → object; two objects under one name are refused.
void collect_steps(const Flow& flow, std::map<std::string, const Step*>& steps, std::vector<std::string>& order) {
  for (const FlowState& state : flow.states()) {
    switch (state.kind) {
      case FlowStateKind::STEP: {
        auto [it, added] = steps.emplace(state.step->name(), state.step.get());
        if (added) {
          order.push_back(state.step->name());
        } else if (it->second != state.step.get()) {
          throw std::invalid_argument(fmt::format("flow '{}': two different steps are named '{}' (step names identify "
                                                  "steps on restart, so they must be unique in a job)",
                                                  flow.name(), state.step->name()));
        }
        break;
      }
      case FlowStateKind::FLOW: collect_steps(*state.flow, steps, order); break;
      case FlowStateKind::SPLIT:
        for (const auto& branch : state.flows) collect_steps(*branch, steps, order);
        break;
      case FlowStateKind::DECISION:
      case FlowStateKind::END: break;
    }
  }
}

void check_state(const std::string& flow, const FlowState& state) {
  auto fail = [&](std::string_view what) {
    throw std::invalid_argument(fmt::format("flow '{}': state '{}' {}", flow, state.name, what));
  };
  if (state.name.empty()) throw std::invalid_argument(fmt::format("flow '{}': a state has no name", flow));
  switch (state.kind) {
    case FlowStateKind::STEP:
      if (!state.step) fail("has no step");
      break;
    case FlowStateKind::FLOW:
      if (!state.flow) fail("has no flow");
      break;
    case FlowStateKind::DECISION:
      if (!state.decider) fail("has no decider");
      break;
    case FlowStateKind::SPLIT:
      if (state.flows.empty()) fail("is a split without flows");
      if (state.executor == nullptr) fail("is a split without a task executor");
      for (const auto& branch : state.flows) {
        if (!branch) fail("is a split with a null flow");
      }
      break;
    case FlowStateKind::END:
      if (!state.end_status.is_end()) fail("is an end state whose status is not COMPLETED, FAILED or STOPPED");
      break;
  }
}

}  // namespace

Flow::Flow(std::string name, std::string start_state, std::vector<FlowState> states,
           std::vector<StateTransition> transitions)
    : name_(std::move(name)), start_state_(std::move(start_state)), states_(std::move(states)) {
  if (states_.empty()) throw std::invalid_argument(fmt::format("flow '{}' has no state", name_));
  std::map<std::string, size_t, std::less<>> index;
  for (size_t i = 0; i < states_.size(); ++i) {
    check_state(name_, states_[i]);
    if (!index.emplace(states_[i].name, i).second) {
      throw std::invalid_argument(fmt::format("flow '{}': two states are named '{}'", name_, states_[i].name));
    }
  }
  if (start_state_.empty()) start_state_ = states_.front().name;
  if (!index.contains(start_state_)) {
    throw std::invalid_argument(fmt::format("flow '{}': the start state '{}' does not exist", name_, start_state_));
  }

  transitions_.resize(states_.size());
  for (auto& transition : transitions) {
    auto from = index.find(transition.from);
    if (from == index.end()) {
      throw std::invalid_argument(fmt::format("flow '{}': a transition on '{}' leaves '{}', which is not a state",
                                              name_, transition.pattern, transition.from));
    }
    if (!transition.to.empty() && !index.contains(transition.to)) {
      throw std::invalid_argument(fmt::format("flow '{}': state '{}' goes on '{}' to '{}', which is not a state",
                                              name_, transition.from, transition.pattern, transition.to));
    }
    transitions_[from->second].push_back(std::move(transition));
  }
  for (size_t i = 0; i < states_.size(); ++i) {
    auto& list = transitions_[i];
    if (list.empty()) {
      if (states_[i].kind != FlowStateKind::END) {
        throw std::invalid_argument(fmt::format("flow '{}': state '{}' has no transition", name_, states_[i].name));
      }
      list.push_back(StateTransition{states_[i].name, "*", ""});  // an end state ends the flow
    }
    // Most specific first; of equal patterns the first given stays.
    std::stable_sort(list.begin(), list.end(), [](const StateTransition& a, const StateTransition& b) {
      return compare_status_patterns(a.pattern, b.pattern) > 0;
    });
    list.erase(std::unique(list.begin(), list.end(),
                           [](const StateTransition& a, const StateTransition& b) { return a.pattern == b.pattern; }),
               list.end());
  }

  // Every state reachable from the start...
  std::vector<bool> reached(states_.size(), false);
  std::vector<size_t> todo{index.find(start_state_)->second};
  reached[todo.front()] = true;
  while (!todo.empty()) {
    size_t at = todo.back();
    todo.pop_back();
    for (const auto& transition : transitions_[at]) {
      if (transition.to.empty()) continue;
      size_t next = index.find(transition.to)->second;
      if (!reached[next]) {
        reached[next] = true;
        todo.push_back(next);
      }
    }
  }
  for (size_t i = 0; i < states_.size(); ++i) {
    if (!reached[i]) {
      throw std::invalid_argument(fmt::format("flow '{}': state '{}' cannot be reached from the start state '{}'",
                                              name_, states_[i].name, start_state_));
    }
  }
  // ...and able to reach an end state (no cycle without exit).
  std::vector<bool> ends(states_.size(), false);
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < states_.size(); ++i) {
      if (ends[i]) continue;
      bool can_end = states_[i].kind == FlowStateKind::END;
      for (const auto& transition : transitions_[i]) {
        if (can_end) break;
        // An empty `to` ends the flow with the state's own status.
        can_end = transition.to.empty() || ends[index.find(transition.to)->second];
      }
      if (can_end) ends[i] = changed = true;
    }
  }
  for (size_t i = 0; i < states_.size(); ++i) {
    if (!ends[i]) {
      throw std::invalid_argument(fmt::format(
          "flow '{}': state '{}' never reaches an end (a cycle without exit)", name_, states_[i].name));
    }
  }
  (void)step_names();  // refuses two steps under one name
}

const FlowState* Flow::state(std::string_view name) const {
  for (const auto& state : states_) {
    if (state.name == name) return &state;
  }
  return nullptr;
}

const std::vector<StateTransition>& Flow::transitions_from(std::string_view state) const {
  static const std::vector<StateTransition> kNone;
  for (size_t i = 0; i < states_.size(); ++i) {
    if (states_[i].name == state) return transitions_[i];
  }
  return kNone;
}

std::vector<std::string> Flow::step_names() const {
  std::map<std::string, const Step*> steps;
  std::vector<std::string> order;
  collect_steps(*this, steps, order);
  return order;
}

}  // namespace cppbatch
