// StepExecution: one attempt at running a step within a job execution
// (BATCH_STEP_EXECUTION + BATCH_STEP_EXECUTION_CONTEXT). Counters mean what
// they mean in Spring Batch: read, write, filter (processor returned empty),
// commit and rollback (chunk transactions), read/process/write skips.
//
// A mutable record owned by its JobExecution (or detached when loaded on
// its own, then job_execution is null). Not thread-safe: the step engine
// updates it from one thread; partitions get their own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cppbatch/common/time_format.hpp"
#include "cppbatch/core/batch_status.hpp"
#include "cppbatch/core/execution_context.hpp"
#include "cppbatch/core/exit_status.hpp"

namespace cppbatch {

struct JobExecution;
class StepContribution;

struct StepExecution {
  int64_t id = 0;        // 0 until the repository adds it
  int64_t version = 0;   // optimistic lock, bumped by every update
  std::string step_name;
  int64_t job_execution_id = 0;
  JobExecution* job_execution = nullptr;  // owner; null when detached

  BatchStatus status = BatchStatus::STARTING;
  ExitStatus exit_status = ExitStatus::executing();
  int64_t read_count = 0;
  int64_t write_count = 0;
  int64_t commit_count = 0;
  int64_t rollback_count = 0;
  int64_t read_skip_count = 0;
  int64_t process_skip_count = 0;
  int64_t write_skip_count = 0;
  int64_t filter_count = 0;
  std::optional<Timestamp> create_time, start_time, end_time, last_updated;
  ExecutionContext execution_context;

  // Set when the job was asked to stop: the step ends at the next chunk
  // boundary with status STOPPED. Not persisted.
  bool terminate_only = false;
  // Messages of the failures that ended this execution. Not persisted
  // beyond EXIT_MESSAGE.
  std::vector<std::string> failures;

  int64_t skip_count() const { return read_skip_count + process_skip_count + write_skip_count; }
  // Adds a committed chunk's counts (not commit_count) and exit status.
  void apply(const StepContribution& contribution);
  void upgrade_status(BatchStatus other) { status = upgrade_to(status, other); }
  // "StepExecution: id=3, name=settle, status=COMPLETED, exitStatus=COMPLETED, readCount=..."
  std::string summary() const;
};

// How long the step ran: to its end time; while it runs, to `now`; when it
// ended without an end time (its owner died), to its last update. nullopt
// if it never started.
std::optional<std::chrono::milliseconds> step_elapsed(const StepExecution& step, Timestamp now);

}  // namespace cppbatch
