// LaunchedJobs: what the job test fixtures share — launch a job
// synchronously and keep its execution alive for the rest of the test, and
// load what the repository stored. A refused launch or load fails the test.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "cppbatch/core/job.hpp"
#include "cppbatch/core/job_explorer.hpp"
#include "cppbatch/core/job_launcher.hpp"

namespace cppbatch::testing {

class LaunchedJobs {
 public:
  // The final execution (owned here). A refused launch fails the test and
  // returns an execution with id 0 and status UNKNOWN.
  JobExecution& run(JobLauncher& launcher, Job& job, const JobParameters& parameters) {
    auto handle = launcher.run(job, parameters);
    if (!handle.ok()) {
      ADD_FAILURE() << "launch of " << job.name() << " refused: " << handle.error().to_string();
      refused_.push_back(std::make_unique<JobExecution>());
      refused_.back()->status = BatchStatus::UNKNOWN;
      return *refused_.back();
    }
    handles_.push_back(std::move(handle).value());
    return handles_.back().wait();
  }
  // The stored state of an execution (what a JobExplorer sees).
  static std::unique_ptr<JobExecution> stored(JobExplorer& explorer, int64_t execution_id) {
    auto loaded = explorer.job_execution(execution_id);
    if (!loaded.ok()) {
      ADD_FAILURE() << "cannot load execution " << execution_id << ": " << loaded.error().to_string();
      return std::make_unique<JobExecution>();
    }
    return std::move(loaded).value();
  }
  void clear() {
    handles_.clear();
    refused_.clear();
  }

 private:
  std::vector<JobExecutionHandle> handles_;
  std::vector<std::unique_ptr<JobExecution>> refused_;
};

}  // namespace cppbatch::testing
