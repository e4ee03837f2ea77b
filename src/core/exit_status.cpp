#include "cppbatch/core/exit_status.hpp"

namespace cppbatch {

int ExitStatus::severity() const {
  auto starts = [&](std::string_view prefix) { return std::string_view(code_).substr(0, prefix.size()) == prefix; };
  if (starts("EXECUTING")) return 1;
  if (starts("COMPLETED")) return 2;
  if (starts("NOOP")) return 3;
  if (starts("STOPPED")) return 4;
  if (starts("FAILED")) return 5;
  if (starts("UNKNOWN")) return 6;
  return 7;
}

int ExitStatus::compare(const ExitStatus& other) const {
  int a = severity(), b = other.severity();
  if (a != b) return a < b ? -1 : 1;
  int c = code_.compare(other.code_);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

ExitStatus ExitStatus::add_description(std::string_view description) const {
  if (description.empty() || description == description_) return *this;
  if (description_.empty()) return ExitStatus(code_, std::string(description));
  return ExitStatus(code_, description_ + "; " + std::string(description));
}

ExitStatus ExitStatus::and_(const ExitStatus& other) const {
  ExitStatus result = add_description(other.description_);
  if (compare(other) < 0) result = result.with_code(other.code_);
  return result;
}

ExitStatus exit_status_for(BatchStatus status) {
  switch (status) {
    case BatchStatus::COMPLETED: return ExitStatus::completed();
    case BatchStatus::STOPPED: return ExitStatus::stopped();
    case BatchStatus::FAILED:
    case BatchStatus::ABANDONED: return ExitStatus::failed();
    case BatchStatus::STARTING:
    case BatchStatus::STARTED:
    case BatchStatus::STOPPING: return ExitStatus::executing();
    case BatchStatus::UNKNOWN: return ExitStatus::unknown();
  }
  return ExitStatus::unknown();
}

}  // namespace cppbatch
