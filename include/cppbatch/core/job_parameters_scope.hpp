// JobParametersScope: hands the running job's parameters to components that
// need them when the step opens (see deferred_item_io.hpp). Register it as
// a listener of every step that uses it; before_step binds the parameters,
// before the step opens its streams. Shared between steps of one job; one
// execution at a time.
//
//   auto scope = std::make_shared<JobParametersScope>();
//   StepBuilder("load", repo).chunk<Line>(100).listener(scope)
//       .reader(std::make_unique<DeferredItemReader<Line>>([scope] {
//         return make_reader(*scope->get().get_string("input"));
//       }))...
#pragma once

#include <optional>
#include <stdexcept>

#include "cppbatch/core/job_execution.hpp"
#include "cppbatch/core/job_parameters.hpp"
#include "cppbatch/core/step_execution_listener.hpp"

namespace cppbatch {

class JobParametersScope final : public StepExecutionListener {
 public:
  void before_step(StepExecution& execution) override {
    if (execution.job_execution == nullptr) throw std::logic_error("step runs outside a job: no job parameters");
    bound_ = execution.job_execution->job_parameters;
  }
  // The parameters of the running job. Throws std::logic_error before the
  // first step started.
  const JobParameters& get() const {
    if (!bound_) throw std::logic_error("job parameters used before the step started");
    return *bound_;
  }

 private:
  std::optional<JobParameters> bound_;
};

}  // namespace cppbatch
