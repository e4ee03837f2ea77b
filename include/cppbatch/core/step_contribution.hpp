// StepContribution: what one chunk (or one tasklet call) adds to its step
// execution. The step engine applies it to the StepExecution when the
// chunk's transaction commits, so a rolled-back chunk contributes nothing.
#pragma once

#include <cstdint>

#include "cppbatch/core/exit_status.hpp"

namespace cppbatch {

struct StepExecution;

class StepContribution {
 public:
  explicit StepContribution(StepExecution& step_execution) : step_execution_(&step_execution) {}

  void increment_read_count(int64_t n = 1) { read_count_ += n; }
  void increment_write_count(int64_t n = 1) { write_count_ += n; }
  void increment_filter_count(int64_t n = 1) { filter_count_ += n; }
  void increment_read_skip_count(int64_t n = 1) { read_skip_count_ += n; }
  void increment_process_skip_count(int64_t n = 1) { process_skip_count_ += n; }
  void increment_write_skip_count(int64_t n = 1) { write_skip_count_ += n; }
  void set_exit_status(ExitStatus status) { exit_status_ = std::move(status); }

  int64_t read_count() const { return read_count_; }
  int64_t write_count() const { return write_count_; }
  int64_t filter_count() const { return filter_count_; }
  int64_t read_skip_count() const { return read_skip_count_; }
  int64_t process_skip_count() const { return process_skip_count_; }
  int64_t write_skip_count() const { return write_skip_count_; }
  int64_t skip_count() const { return read_skip_count_ + process_skip_count_ + write_skip_count_; }
  const ExitStatus& exit_status() const { return exit_status_; }
  // The step execution this contribution belongs to (read-only use).
  StepExecution& step_execution() const { return *step_execution_; }

 private:
  StepExecution* step_execution_;
  int64_t read_count_ = 0, write_count_ = 0, filter_count_ = 0;
  int64_t read_skip_count_ = 0, process_skip_count_ = 0, write_skip_count_ = 0;
  ExitStatus exit_status_ = ExitStatus::executing();
};

}  // namespace cppbatch
