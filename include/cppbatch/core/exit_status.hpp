// ExitStatus: the outcome code of a job or step plus a description, as
// persisted in EXIT_CODE / EXIT_MESSAGE. Codes are open: besides the
// standard ones a listener or decider may return any string ("COMPLETED
// WITH SKIPS"). Values are immutable; combining returns a new value.
//
//   ExitStatus s = ExitStatus::completed().and_(ExitStatus::failed("boom"));
//   // s.code() == "FAILED", s.description() == "boom"
#pragma once

#include <string>
#include <string_view>

#include "cppbatch/core/batch_status.hpp"

namespace cppbatch {

class ExitStatus {
 public:
  ExitStatus() : ExitStatus("UNKNOWN") {}
  explicit ExitStatus(std::string code, std::string description = "")
      : code_(std::move(code)), description_(std::move(description)) {}

  static ExitStatus unknown() { return ExitStatus("UNKNOWN"); }
  static ExitStatus executing() { return ExitStatus("EXECUTING"); }
  static ExitStatus completed() { return ExitStatus("COMPLETED"); }
  static ExitStatus noop() { return ExitStatus("NOOP"); }
  static ExitStatus failed(std::string description = "") { return ExitStatus("FAILED", std::move(description)); }
  static ExitStatus stopped(std::string description = "") { return ExitStatus("STOPPED", std::move(description)); }

  const std::string& code() const { return code_; }
  const std::string& description() const { return description_; }

  // Spring's severity: EXECUTING 1, COMPLETED 2, NOOP 3, STOPPED 4,
  // FAILED 5, UNKNOWN 6, any custom code 7 (prefix match, as Spring does).
  int severity() const;
  // Orders by severity, then by code text.
  int compare(const ExitStatus& other) const;

  // The more severe code of the two; descriptions are joined with "; ".
  ExitStatus and_(const ExitStatus& other) const;
  ExitStatus with_code(std::string code) const { return ExitStatus(std::move(code), description_); }
  // Appends a description (joined with "; " unless empty or identical).
  ExitStatus add_description(std::string_view description) const;

  bool operator==(const ExitStatus& other) const = default;

 private:
  std::string code_;
  std::string description_;
};

// The exit status that matches a batch status by name (COMPLETED→COMPLETED,
// STOPPED→STOPPED, FAILED/ABANDONED→FAILED, running→EXECUTING, UNKNOWN).
ExitStatus exit_status_for(BatchStatus status);

}  // namespace cppbatch
