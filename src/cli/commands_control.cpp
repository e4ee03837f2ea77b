// stop and abandon: change an execution's state in the repository, so they
// reach a job running in any process that shares it.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cppbatch/core/job_operator.hpp"

namespace cppbatch::internal {

int stop_command(const CliContext& context, int64_t execution_id) {
  auto repository = context.open_repository();
  if (!repository) return kExitRunnerError;
  auto stopped = JobOperator(context.registry(), *repository).stop(execution_id);
  if (!stopped) return context.fail(fmt::format("cannot stop execution {}: {}", execution_id, stopped.error().message()));
  context.out() << fmt::format("stop requested for execution {} (it stops at its next chunk boundary)\n", execution_id);
  return kExitCompleted;
}

int abandon_command(const CliContext& context, int64_t execution_id) {
  auto repository = context.open_repository();
  if (!repository) return kExitRunnerError;
  JobOperator job_operator(context.registry(), *repository);
  auto abandoned = job_operator.abandon(execution_id);
  if (!abandoned) {
    return context.fail(fmt::format("cannot abandon execution {}: {}", execution_id, abandoned.error().message()));
  }
  context.out() << fmt::format("execution {} abandoned: its instance will not be restarted\n", execution_id);
  return kExitCompleted;
}

}  // namespace cppbatch::internal
