#include "cppbatch/core/step_execution.hpp"

#include <fmt/format.h>

#include "cppbatch/core/step_contribution.hpp"

namespace cppbatch {

void StepExecution::apply(const StepContribution& c) {
  read_count += c.read_count();
  write_count += c.write_count();
  filter_count += c.filter_count();
  read_skip_count += c.read_skip_count();
  process_skip_count += c.process_skip_count();
  write_skip_count += c.write_skip_count();
  exit_status = exit_status.and_(c.exit_status());
}

std::string StepExecution::summary() const {
  return fmt::format(
      "StepExecution: id={}, version={}, name={}, status={}, exitStatus={}, exitDescription={}, readCount={}, "
      "filterCount={}, writeCount={}, readSkipCount={}, writeSkipCount={}, processSkipCount={}, commitCount={}, "
      "rollbackCount={}",
      id, version, step_name, to_string(status), exit_status.code(), exit_status.description(), read_count,
      filter_count, write_count, read_skip_count, write_skip_count, process_skip_count, commit_count,
      rollback_count);
}

std::optional<std::chrono::milliseconds> step_elapsed(const StepExecution& step, Timestamp now) {
  std::optional<Timestamp> end = step.end_time;
  if (!end && !is_running(step.status)) end = step.last_updated;
  return elapsed(step.start_time, end, now);
}

}  // namespace cppbatch
