// jobs, executions, show: read-only views of the repository.
#include <limits>
#include <set>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cppbatch/common/clock.hpp"
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

int executions_command(const CliContext& context, const ExecutionsArguments& arguments) {
  auto repository = context.open_repository();
  if (!repository) return kExitRunnerError;
  auto executions = repository->find_job_executions(ExecutionQuery{arguments.job_name, arguments.limit});
  if (!executions) return context.fail(executions.error());
  const Timestamp now = system_clock().now();
  if (arguments.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& execution : executions.value()) {
      out.push_back(execution_to_json(*execution, ExecutionJson::SUMMARY, now));
    }
    context.out() << out.dump(2) << '\n';
  } else {
    print_executions_table(context.out(), executions.value(), now);
  }
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
