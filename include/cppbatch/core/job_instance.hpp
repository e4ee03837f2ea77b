// JobInstance: one logical run of a job, identified by the job name and the
// job key of its identifying parameters (BATCH_JOB_INSTANCE).
#pragma once

#include <cstdint>
#include <string>

namespace cppbatch {

struct JobInstance {
  int64_t id = 0;
  int64_t version = 0;
  std::string job_name;
  std::string job_key;  // JobParameters::job_key() of the identifying parameters

  bool operator==(const JobInstance& other) const = default;
};

}  // namespace cppbatch
