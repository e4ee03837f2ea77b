#include "cppbatch/core/chunk_context.hpp"

namespace cppbatch {

const JobParameters& ChunkContext::job_parameters() const {
  static const JobParameters kEmpty;
  JobExecution* job = step_execution_->job_execution;
  return job ? job->job_parameters : kEmpty;
}

}  // namespace cppbatch
