#include "cppbatch/core/job_execution.hpp"

namespace cppbatch {

StepExecution& JobExecution::create_step_execution(std::string step_name) {
  auto step = std::make_unique<StepExecution>();
  step->step_name = std::move(step_name);
  return adopt(std::move(step));
}

StepExecution& JobExecution::adopt(std::unique_ptr<StepExecution> step) {
  step->job_execution = this;
  step->job_execution_id = id;
  step_executions.push_back(std::move(step));
  return *step_executions.back();
}

StepExecution* JobExecution::find_step_execution(std::string_view step_name) {
  for (auto& step : step_executions) {
    if (step->step_name == step_name) return step.get();
  }
  return nullptr;
}

std::unique_ptr<JobExecution> JobExecution::clone() const {
  auto copy = std::make_unique<JobExecution>();
  copy->id = id;
  copy->version = version;
  copy->job_instance = job_instance;
  copy->job_parameters = job_parameters;
  copy->status = status;
  copy->exit_status = exit_status;
  copy->create_time = create_time;
  copy->start_time = start_time;
  copy->end_time = end_time;
  copy->last_updated = last_updated;
  copy->execution_context = execution_context;
  copy->failures = failures;
  for (const auto& step : step_executions) {
    copy->adopt(std::make_unique<StepExecution>(*step));
  }
  return copy;
}

}  // namespace cppbatch
