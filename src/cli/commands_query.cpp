// jobs, executions, show, summary, instances, running: read-only views of
// the repository.
#include <limits>
#include <set>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cppbatch/common/clock.hpp"
#include "cppbatch/core/job_operator.hpp"
#include "cppbatch/operations/execution_json.hpp"

namespace cppbatch::internal {

int jobs_command(const CliContext& context, bool json) {
  auto repository = context.open_repository();
  if (!repository) return kExitRunnerError;
  std::set<std::string> names;
  for (auto& name : context.registry().names()) names.insert(std::move(name));
  auto stored_names = repository->job_names();
  if (!stored_names) return context.fail(stored_names.error());
  names.insert(stored_names->begin(), stored_names->end());

  std::vector<JobRow> rows;
  std::vector<std::unique_ptr<JobExecution>> newest;  // keeps JobRow::last alive
  for (const auto& name : names) {
    JobRow row;
    row.name = name;
    row.registered = context.registry().contains(name);
    row.description = context.registry().description(name);
    auto instances = repository->job_instances(name, 0, std::numeric_limits<int64_t>::max());
    if (!instances) return context.fail(instances.error());
    row.instances = static_cast<int64_t>(instances->size());
    auto last = repository->find_job_executions(ExecutionQuery{name, 1});
    if (!last) return context.fail(last.error());
    if (!last->empty()) {
      newest.push_back(std::move(last->front()));
      row.last = newest.back().get();
    }
    rows.push_back(std::move(row));
  }
  if (json) {
    context.out() << jobs_to_json(rows).dump(2) << '\n';
  } else {
    print_jobs_table(context.out(), rows);
  }
  return kExitCompleted;
}

namespace {

// A listing of executions as a table or a JSON array; `empty` is what the
// table says when there is none.
void print_executions(const CliContext& context, const std::vector<std::unique_ptr<JobExecution>>& executions,
                      bool json, std::string_view empty) {
  const Timestamp now = system_clock().now();
  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& execution : executions) out.push_back(execution_to_json(*execution, ExecutionJson::SUMMARY, now));
    context.out() << out.dump(2) << '\n';
  } else if (executions.empty()) {
    context.out() << empty << '\n';
  } else {
    print_executions_table(context.out(), executions, now);
  }
}

}  // namespace

int executions_command(const CliContext& context, const ExecutionsArguments& arguments) {
  std::optional<int64_t> instance_id;
  if (!arguments.instance_id.empty()) {
    instance_id = parse_id(context, arguments.instance_id, "an instance id");
    if (!instance_id) return kExitRunnerError;
  }
  auto repository = context.open_repository();
  if (!repository) return kExitRunnerError;
  auto executions = instance_id
                        ? JobOperator(context.registry(), *repository).get_executions(*instance_id)
                        : repository->find_job_executions(ExecutionQuery{arguments.job_name, arguments.limit});
  if (!executions) return context.fail(executions.error());
  if (executions->size() > static_cast<size_t>(arguments.limit)) executions->resize(static_cast<size_t>(arguments.limit));
  print_executions(context, executions.value(), arguments.json, "no executions");
  return kExitCompleted;
}

int running_command(const CliContext& context, const std::string& job_name, bool json) {
  auto repository = context.open_repository();
  if (!repository) return kExitRunnerError;
  auto executions = JobOperator(context.registry(), *repository).get_running_executions(job_name);
  if (!executions) return context.fail(executions.error());
  print_executions(context, executions.value(), json,
                   job_name.empty() ? "no running executions" : "no running executions of job '" + job_name + "'");
  return kExitCompleted;
}

int instances_command(const CliContext& context, const InstancesArguments& arguments) {
  auto repository = context.open_repository();
  if (!repository) return kExitRunnerError;
  JobOperator job_operator(context.registry(), *repository);
  auto instances = job_operator.get_job_instances(arguments.job_name, arguments.start, arguments.count);
  if (!instances) return context.fail(instances.error());
  std::vector<InstanceRow> rows;
  for (auto& instance : instances.value()) {
    auto executions = job_operator.get_executions(instance.id);
    if (!executions) return context.fail(executions.error());
    rows.push_back(InstanceRow{std::move(instance), std::move(executions.value())});
  }
  if (arguments.json) {
    context.out() << instances_to_json(rows).dump(2) << '\n';
  } else if (rows.empty()) {
    context.out() << "no instances of job '" << arguments.job_name << "'"
                  << (arguments.start > 0 ? " after the first " + std::to_string(arguments.start) : "") << '\n';
  } else {
    print_instances_table(context.out(), rows);
  }
  return kExitCompleted;
}

int summary_command(const CliContext& context, int64_t execution_id, bool json) {
  auto repository = context.open_repository();
  if (!repository) return kExitRunnerError;
  JobOperator job_operator(context.registry(), *repository);
  auto summary = job_operator.get_summary(execution_id);
  if (!summary) return context.fail(summary.error());
  auto steps = job_operator.get_step_execution_summaries(execution_id);
  if (!steps) return context.fail(steps.error());
  if (json) {
    nlohmann::json step_summaries = nlohmann::json::array();
    for (const auto& [id, text] : steps.value()) step_summaries.push_back({{"id", id}, {"summary", text}});
    context.out() << nlohmann::json{{"id", execution_id}, {"summary", summary.value()}, {"steps", step_summaries}}.dump(2)
                  << '\n';
    return kExitCompleted;
  }
  context.out() << summary.value() << '\n';
  for (const auto& [id, text] : steps.value()) context.out() << "  " << text << '\n';
  return kExitCompleted;
}

int show_command(const CliContext& context, int64_t execution_id, bool json) {
  auto repository = context.open_repository();
  if (!repository) return kExitRunnerError;
  auto execution = repository->job_execution(execution_id);
  if (!execution) return context.fail(execution.error());
  const Timestamp now = system_clock().now();
  if (json) {
    context.out() << execution_to_json(*execution.value(), ExecutionJson::WITH_STEPS, now).dump(2) << '\n';
  } else {
    print_execution_detail(context.out(), *execution.value(), now);
  }
  return kExitCompleted;
}

}  // namespace cppbatch::internal
