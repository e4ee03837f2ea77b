#include "cppbatch/core/job_step.hpp"

#include <fmt/format.h>

#include <stdexcept>
#include <variant>

#include "core/stop_request.hpp"
#include "cppbatch/common/logging.hpp"
#include "cppbatch/core/job_parameters_parser.hpp"

namespace cppbatch {

namespace {

// Where the child's parameters are kept in the step's context: a count
// under kParametersKey, each parameter as "value,type,identifying" under
// kParametersKey + "." + name.
constexpr std::string_view kParametersKey = "JobStep.JOB_PARAMETERS";

std::string parameter_key(const std::string& name) { return fmt::format("{}.{}", kParametersKey, name); }

JobParameter parse_parameter(const std::string& name, const std::string& text, std::string_view origin) {
  auto parsed = parse_job_parameter(name + "=" + text);
  if (!parsed) {
    throw std::invalid_argument(fmt::format("{} '{}': {}", origin, name, parsed.error().message()));
  }
  return std::move(parsed).value().second;
}

void save_parameters(const JobParameters& parameters, ExecutionContext& context) {
  for (const auto& [name, parameter] : parameters.parameters()) {
    context.put_string(parameter_key(name), fmt::format("{},{},{}", parameter.value_text(), parameter.type_name(),
                                                        parameter.identifying() ? "true" : "false"));
  }
  context.put_long(kParametersKey, static_cast<int64_t>(parameters.parameters().size()));
}

std::optional<JobParameters> saved_parameters(const ExecutionContext& context) {
  if (!context.contains(kParametersKey)) return std::nullopt;
  JobParametersBuilder builder;
  const std::string prefix = std::string(kParametersKey) + ".";
  for (const auto& [key, value] : context.values()) {
    if (key.rfind(prefix, 0) != 0 || !std::holds_alternative<std::string>(value)) continue;
    std::string name = key.substr(prefix.size());
    builder.add(name, parse_parameter(name, std::get<std::string>(value), "the saved child job parameter"));
  }
  return builder.build();
}

// Keeps the launched run until the step has recorded the child's id.
class QueuedTaskExecutor final : public TaskExecutor {
 public:
  void execute(std::function<void()> task) override { tasks_.push_back(std::move(task)); }
  void run_queued() {
    for (auto& task : tasks_) task();
    tasks_.clear();
  }

 private:
  std::vector<std::function<void()>> tasks_;
};

}  // namespace

DefaultJobParametersExtractor::DefaultJobParametersExtractor(std::vector<std::string> keys,
                                                             bool use_all_parent_parameters)
    : keys_(std::move(keys)), use_all_parent_parameters_(use_all_parent_parameters) {}

JobParameters DefaultJobParametersExtractor::extract(const Job&, const StepExecution& step) const {
  static const JobParameters kNone;
  const JobParameters& parent = step.job_execution ? step.job_execution->job_parameters : kNone;
  JobParametersBuilder builder;
  if (use_all_parent_parameters_) builder = JobParametersBuilder(parent);
  for (const auto& key : keys_) {
    auto value = step.execution_context.values().find(key);
    if (value != step.execution_context.values().end()) {
      std::visit(
          [&](const auto& v) {
            using V = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<V, std::string>) {
              builder.add(key, parse_parameter(key, v, "the step's context value"));
            } else if constexpr (std::is_same_v<V, int64_t>) {
              builder.add_long(key, v);
            } else if constexpr (std::is_same_v<V, double>) {
              builder.add_double(key, v);
            } else {
              builder.add_string(key, v ? "true" : "false");
            }
          },
          value->second);
    } else if (const JobParameter* inherited = parent.find(key)) {
      builder.add(key, *inherited);
    }
  }
  return builder.build();
}

JobStep::JobStep(StepSettings settings, std::shared_ptr<Job> job,
                 std::shared_ptr<const JobParametersExtractor> extractor, JobLauncher* launcher)
    : AbstractStep(std::move(settings)), job_(std::move(job)), extractor_(std::move(extractor)), launcher_(launcher) {
  if (!job_) throw std::invalid_argument("step '" + name() + "' has no job");
  if (!extractor_) extractor_ = std::make_shared<DefaultJobParametersExtractor>();
}

// Spring's JobStep.doExecute, and stoppable: the child's execution id is
// stored in the step's context before the child runs, so a stop of the
// parent (JobOperator::stop, from any process) reaches the child.
void JobStep::do_execute(StepExecution& execution) {
  std::optional<JobParameters> parameters = saved_parameters(execution.execution_context);
  if (!parameters) {
    parameters = extractor_->extract(*job_, execution);
    save_parameters(*parameters, execution.execution_context);
  }
  // The default launcher only queues the run; a launcher of the program's
  // own runs it as it does (a synchronous one: before the id is stored).
  QueuedTaskExecutor queued;
  JobLauncher own_launcher(repository(), &queued);
  JobLauncher& launcher = launcher_ != nullptr ? *launcher_ : own_launcher;
  auto launched = launcher.run(*job_, *parameters);
  if (!launched) {
    throw std::runtime_error(fmt::format("the job '{}' could not be launched: {}", job_->name(),
                                         launched.error().to_string()));
  }
  execution.execution_context.put_long(internal::kJobStepChildExecutionKey, launched->id());
  Result<void> recorded = repository().update_execution_context(execution);
  if (recorded) recorded = repository().update(execution);  // sees a stop requested meanwhile (terminate_only)
  if (!recorded) {
    logger().warn("[{}] the child execution {} could not be recorded; a stop of the parent will not reach it: {}",
                  name(), launched->id(), recorded.error().to_string());
  } else if (execution.terminate_only) {
    if (auto stop = internal::request_stop(repository(), launched->id()); !stop) {
      logger().warn("[{}] could not pass the stop on to child execution {}: {}", name(), launched->id(),
                    stop.error().to_string());
    }
  }
  queued.run_queued();
  const JobExecution& child = launched->wait();
  execution.exit_status = execution.exit_status.and_(child.exit_status);
  if (is_unsuccessful(child.status)) {
    throw std::runtime_error(fmt::format("Step failure: the delegate Job failed in JobStep: job '{}' execution {} "
                                         "ended {} ({}{}{})",
                                         job_->name(), child.id, to_string(child.status), child.exit_status.code(),
                                         child.exit_status.description().empty() ? "" : ": ",
                                         child.exit_status.description()));
  }
  if (child.status == BatchStatus::STOPPED) execution.status = BatchStatus::STOPPED;
}

JobStepBuilder::JobStepBuilder(StepSettings settings, std::shared_ptr<Job> job)
    : StepBuilderBase(std::move(settings)), job_(std::move(job)) {}

JobStepBuilder& JobStepBuilder::parameters_extractor(std::shared_ptr<const JobParametersExtractor> extractor) {
  extractor_ = std::move(extractor);
  return *this;
}

JobStepBuilder& JobStepBuilder::launcher(JobLauncher& launcher) {
  launcher_ = &launcher;
  return *this;
}

std::unique_ptr<Step> JobStepBuilder::build() {
  return std::make_unique<JobStep>(std::move(settings_), std::move(job_), std::move(extractor_), launcher_);
}

JobStepBuilder StepBuilder::job(std::shared_ptr<Job> job) {
  return JobStepBuilder(std::move(settings_), std::move(job));
}

}  // namespace cppbatch
