// stop and abandon: change an execution's state in the repository, so they
// reach a job running in any process that shares it.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cppbatch/core/job_operator.hpp"

namespace cppbatch::internal {

namespace {
// A running job updates its execution now and then; a stop request that
// loses that race (CONFLICT) reloads and tries again.
constexpr int kStopAttempts = 10;
}  // namespace

Result<void> request_stop(JobRepository& repository, const JobRegistry& registry, int64_t execution_id) {
  JobOperator job_operator(registry, repository);
  Result<void> stopped;
  for (int attempt = 0; attempt < kStopAttempts; ++attempt) {
    stopped = job_operator.stop(execution_id);
    if (stopped || stopped.error().code() != ErrorCode::CONFLICT) return stopped;
  }
  return stopped;
}

int stop_command(const CliContext& context, int64_t execution_id) {
  auto repository = context.open_repository();
  if (!repository) return kExitRunnerError;
  auto stopped = request_stop(*repository, context.registry(), execution_id);
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
