// JobExplorer: read-only queries over the job repository (what the CLI's
// listings, the dashboard and operators use). Results are detached copies:
// changing them changes nothing stored.
//
// Thread-safe in every implementation. Listings are newest first.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cppbatch/common/result.hpp"
#include "cppbatch/core/job_execution.hpp"
#include "cppbatch/core/job_instance.hpp"

namespace cppbatch {

struct ExecutionQuery {
  std::string job_name;  // empty: every job
  int64_t limit = 50;    // newest first; <= 0: no limit
};

class JobExplorer {
 public:
  virtual ~JobExplorer() = default;

  // Distinct job names with at least one instance, sorted.
  virtual Result<std::vector<std::string>> job_names() = 0;
  // Instances of a job, newest first, skipping `start`, at most `count`
  // (count < 0: no limit).
  virtual Result<std::vector<JobInstance>> job_instances(std::string_view job_name, int64_t start,
                                                         int64_t count) = 0;
  // NOT_FOUND if there is no such instance.
  virtual Result<JobInstance> job_instance(int64_t instance_id) = 0;
  // The instance of that name and identifying parameters; nullopt if none.
  virtual Result<std::optional<JobInstance>> find_job_instance(std::string_view job_name,
                                                               const JobParameters& parameters) = 0;
  // The execution with its parameters, context and step executions (with
  // their contexts). NOT_FOUND if there is no such execution.
  virtual Result<std::unique_ptr<JobExecution>> job_execution(int64_t execution_id) = 0;
  // Every execution of an instance, newest first, with step executions
  // and contexts.
  virtual Result<std::vector<std::unique_ptr<JobExecution>>> job_executions(const JobInstance& instance) = 0;
  // Executions matching the query, newest first, with step executions
  // but without contexts.
  virtual Result<std::vector<std::unique_ptr<JobExecution>>> find_job_executions(const ExecutionQuery& query) = 0;
  // Executions of the job (every job if empty) whose status is running,
  // with step executions and contexts.
  virtual Result<std::vector<std::unique_ptr<JobExecution>>> running_job_executions(std::string_view job_name) = 0;
};

}  // namespace cppbatch
