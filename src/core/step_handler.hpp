// Internal: runs (or skips) one step of a job execution with Spring's
// SimpleStepHandler rules — shared by SimpleJob, FlowJob and FlowStep.
//
// A step COMPLETED in an earlier execution of the instance is skipped
// unless allow_start_if_complete; an ABANDONED one is never started again;
// a FAILED/STOPPED one restarts from its last context; UNKNOWN refuses to
// restart; start_limit is enforced. Throws JobInterruptedException when the
// job is stopping or the step stopped, std::runtime_error when the step
// cannot start.
//
// Thread-safe: the flows of a split share one handler; every access to the
// job execution is made under JobExecution::mutex, never held while the
// step runs.
#pragma once

#include <deque>
#include <memory>
#include <mutex>

#include "cppbatch/core/execution_context.hpp"
#include "cppbatch/core/job_repository.hpp"
#include "cppbatch/core/step.hpp"

namespace cppbatch::internal {

struct HandledStep {
  // The execution that ran (owned by the job execution) or, when skipped,
  // the earlier one (owned by the handler, valid while it lives).
  StepExecution* execution = nullptr;
  bool ran = false;
};

class StepHandler {
 public:
  // `initial_context`: the context a step starting fresh begins with (a
  // FlowStep passes its own; jobs pass none).
  StepHandler(JobRepository& repository, JobExecution& job, ExecutionContext initial_context = {});

  // `previous`: the step execution the caller ran just before (null if
  // none); if its final update saw a stop request, no new step starts.
  HandledStep handle(Step& step, const StepExecution* previous);

 private:
  JobRepository& repository_;
  JobExecution& job_;
  const ExecutionContext initial_context_;
  std::mutex earlier_mutex_;
  std::deque<std::unique_ptr<StepExecution>> earlier_;  // guarded by earlier_mutex_
};

}  // namespace cppbatch::internal
