// JobRegistry: job name → factory. The CLI, the operator and job files
// create a fresh Job per launch from here, so runs never share component
// state. Thread-safe.
//
//   registry.add("settlementJob", [](JobRepository& repo) { return make_settlement_job(repo); },
//                "nightly settlement (date, count)");
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cppbatch/common/result.hpp"
#include "cppbatch/core/job.hpp"
#include "cppbatch/core/job_repository.hpp"

namespace cppbatch {

using JobFactory = std::function<std::unique_ptr<Job>(JobRepository&)>;

class JobRegistry {
 public:
  // INVALID_ARGUMENT if the name is empty or already registered.
  Result<void> add(std::string name, JobFactory factory, std::string description = "");
  // NOT_FOUND naming the known jobs; INVALID_ARGUMENT if the factory threw.
  Result<std::unique_ptr<Job>> create(std::string_view name, JobRepository& repository) const;
  bool contains(std::string_view name) const;
  // Sorted names.
  std::vector<std::string> names() const;
  std::string description(std::string_view name) const;

 private:
  struct Entry {
    JobFactory factory;
    std::string description;
  };
  mutable std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> entries_;  // guarded by mutex_
};

}  // namespace cppbatch
