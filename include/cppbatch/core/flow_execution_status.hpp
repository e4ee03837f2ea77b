// FlowExecutionStatus: the outcome of one state of a flow (a step's exit
// code, a decider's answer, an end state's status) or of a whole flow —
// what transition patterns are matched against (Spring Batch's
// FlowExecutionStatus).
//
// Any name is allowed ("ODD", "COMPLETED WITH SKIPS"). Severity, used to
// aggregate the flows of a split, follows the name's prefix: COMPLETED <
// STOPPED < FAILED < UNKNOWN; a name with none of these prefixes ranks as
// COMPLETED. Values are immutable.
//
//   FlowExecutionStatus s("FAILED_VALIDATION");
//   s.is_fail();                       // true
//   s.batch_status();                  // BatchStatus::FAILED
#pragma once

#include <string>
#include <string_view>

#include "cppbatch/core/batch_status.hpp"

namespace cppbatch {

class FlowExecutionStatus {
 public:
  // Implicit, so a decider may `return "ODD";`.
  FlowExecutionStatus(std::string name) : name_(std::move(name)) {}  // NOLINT(google-explicit-constructor)
  FlowExecutionStatus(const char* name) : name_(name) {}             // NOLINT(google-explicit-constructor)

  static FlowExecutionStatus completed() { return FlowExecutionStatus("COMPLETED"); }
  static FlowExecutionStatus stopped() { return FlowExecutionStatus("STOPPED"); }
  static FlowExecutionStatus failed() { return FlowExecutionStatus("FAILED"); }
  static FlowExecutionStatus unknown() { return FlowExecutionStatus("UNKNOWN"); }

  const std::string& name() const { return name_; }
  bool is_complete() const;  // name starts with COMPLETED
  bool is_stop() const;      // name starts with STOPPED
  bool is_fail() const;      // name starts with FAILED
  // is_complete() || is_stop() || is_fail().
  bool is_end() const;

  // The job or step status this outcome means: the first BatchStatus (in
  // declaration order) whose name prefixes this name; UNKNOWN if none.
  BatchStatus batch_status() const;

  // < 0, 0, > 0: by severity (see above), then by name.
  int compare(const FlowExecutionStatus& other) const;
  bool operator==(const FlowExecutionStatus& other) const = default;

 private:
  std::string name_;
};

}  // namespace cppbatch
