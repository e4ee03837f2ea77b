#include "cppbatch/core/flow_execution_status.hpp"

#include <array>

namespace cppbatch {

namespace {

bool starts_with(const std::string& name, std::string_view prefix) { return name.rfind(prefix, 0) == 0; }

// Spring's FlowExecutionStatus.Status: the most severe prefix that
// matches; a name with none ranks lowest (as COMPLETED).
int severity(const std::string& name) {
  static constexpr std::array<std::string_view, 4> kOrder = {"COMPLETED", "STOPPED", "FAILED", "UNKNOWN"};
  for (size_t i = kOrder.size(); i-- > 0;) {
    if (starts_with(name, kOrder[i])) return static_cast<int>(i);
  }
  return 0;
}

}  // namespace

bool FlowExecutionStatus::is_complete() const { return starts_with(name_, "COMPLETED"); }
bool FlowExecutionStatus::is_stop() const { return starts_with(name_, "STOPPED"); }
bool FlowExecutionStatus::is_fail() const { return starts_with(name_, "FAILED"); }
bool FlowExecutionStatus::is_end() const { return is_complete() || is_stop() || is_fail(); }

BatchStatus FlowExecutionStatus::batch_status() const {
  for (int i = static_cast<int>(BatchStatus::COMPLETED); i <= static_cast<int>(BatchStatus::UNKNOWN); ++i) {
    auto status = static_cast<BatchStatus>(i);
    if (starts_with(name_, to_string(status))) return status;
  }
  return BatchStatus::UNKNOWN;
}

int FlowExecutionStatus::compare(const FlowExecutionStatus& other) const {
  const int mine = severity(name_), theirs = severity(other.name_);
  if (mine != theirs) return mine < theirs ? -1 : 1;
  const int text = name_.compare(other.name_);
  return text < 0 ? -1 : (text > 0 ? 1 : 0);
}

}  // namespace cppbatch
