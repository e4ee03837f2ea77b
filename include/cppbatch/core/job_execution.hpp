// JobExecution: one attempt at running a JobInstance (BATCH_JOB_EXECUTION,
// its PARAMS and CONTEXT rows). Owns the StepExecutions it ran.
//
// A mutable record; not thread-safe. Steps of one execution run one at a
// time unless a split says otherwise (each flow then touches only its own
// step executions).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cppbatch/common/time_format.hpp"
#include "cppbatch/core/batch_status.hpp"
#include "cppbatch/core/execution_context.hpp"
#include "cppbatch/core/exit_status.hpp"
#include "cppbatch/core/job_instance.hpp"
#include "cppbatch/core/job_parameters.hpp"
#include "cppbatch/core/step_execution.hpp"

namespace cppbatch {

struct JobExecution {
  JobExecution() = default;
  JobExecution(const JobExecution&) = delete;
  JobExecution& operator=(const JobExecution&) = delete;

  int64_t id = 0;
  int64_t version = 0;
  JobInstance job_instance;
  JobParameters job_parameters;
  BatchStatus status = BatchStatus::STARTING;
  ExitStatus exit_status = ExitStatus::unknown();
  std::optional<Timestamp> create_time, start_time, end_time, last_updated;
  ExecutionContext execution_context;
  // Step executions of this job execution, in the order they started.
  std::vector<std::unique_ptr<StepExecution>> step_executions;
  std::vector<std::string> failures;
  // Guards step_executions, execution_context and status while the flows
  // of a split run steps of this execution in parallel: the flow engine
  // and ExecutionContextPromotionListener take it around each access;
  // nobody holds it while a step runs.
  mutable std::mutex mutex;

  const std::string& job_name() const { return job_instance.job_name; }
  bool is_running() const { return cppbatch::is_running(status); }
  void upgrade_status(BatchStatus other) { status = upgrade_to(status, other); }

  // Appends a new step execution owned by this one (not yet persisted).
  StepExecution& create_step_execution(std::string step_name);
  // Adopts a step execution loaded from storage.
  StepExecution& adopt(std::unique_ptr<StepExecution> step);
  // Null if no step execution of that name.
  StepExecution* find_step_execution(std::string_view step_name);
  // A deep copy (step executions re-parented to the copy).
  std::unique_ptr<JobExecution> clone() const;

  // One readable line (what JobOperator::get_summary returns), e.g.
  // "Execution 7 of job 'settlement' (instance 6): FAILED (disk full);
  //  started 2026-11-21 08:43:25 UTC, ended 2026-11-21 08:43:36 UTC after
  //  10.3s; parameters {date=2026-11-21}; steps load COMPLETED, settle FAILED"
  // The exit code is named when it differs from the status, with the first
  // line of the exit description in parentheses. `now` dates a running
  // execution's duration.
  std::string summary(Timestamp now) const;
};

// How long the execution ran: to its end time; while it runs, to `now`;
// when it ended without an end time (its owner died), to its last update.
// nullopt if it never started.
std::optional<std::chrono::milliseconds> execution_elapsed(const JobExecution& execution, Timestamp now);

}  // namespace cppbatch
