// JobExecutionDecider: a flow state that runs no step but chooses where the
// flow goes next, by returning a FlowExecutionStatus that the state's
// transitions match (Spring Batch's JobExecutionDecider). A decider runs
// again on every (re)start that reaches it.
//
//   auto parity = make_decider([](const JobExecution& job, const StepExecution*) {
//     return job.job_parameters.get_long("n").value_or(0) % 2 == 0 ? "EVEN" : "ODD";
//   });
//   FlowJobBuilder("job", repo).start(load).next(parity)
//       .on("EVEN").to(even).from(parity).on("ODD").to(odd).end().build();
#pragma once

#include <concepts>
#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

#include "cppbatch/core/flow_execution_status.hpp"
#include "cppbatch/core/job_execution.hpp"
#include "cppbatch/core/step_execution.hpp"

namespace cppbatch {

class JobExecutionDecider {
 public:
  virtual ~JobExecutionDecider() = default;
  // `last_step`: the step execution the same flow ran (or skipped as already
  // complete) just before, null if none (first state, or right after a
  // nested flow or a split). Called on the flow's thread; flows of a split
  // call their deciders concurrently, so a decider shared between them
  // must be thread-safe. Throwing fails the job.
  virtual FlowExecutionStatus decide(const JobExecution& job, const StepExecution* last_step) = 0;
};

// What make_decider accepts: any callable taking (const JobExecution&,
// const StepExecution*) and returning something FlowExecutionStatus is
// constructible from (a FlowExecutionStatus, a std::string, a const char*).
template <class F>
concept DeciderFunction = std::invocable<F&, const JobExecution&, const StepExecution*> &&
                          std::constructible_from<FlowExecutionStatus,
                                                  std::invoke_result_t<F&, const JobExecution&, const StepExecution*>>;

template <DeciderFunction F>
class FunctionDecider final : public JobExecutionDecider {
 public:
  explicit FunctionDecider(F function) : function_(std::move(function)) {}
  FlowExecutionStatus decide(const JobExecution& job, const StepExecution* last_step) override {
    return FlowExecutionStatus(function_(job, last_step));
  }

 private:
  F function_;
};

template <DeciderFunction F>
std::shared_ptr<JobExecutionDecider> make_decider(F function) {
  return std::make_shared<FunctionDecider<F>>(std::move(function));
}

}  // namespace cppbatch
