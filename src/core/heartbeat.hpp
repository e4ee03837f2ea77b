// Internal: renews an execution's lease every lease/4 on a background
// thread until destroyed. Failures are logged, never thrown.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "cppbatch/core/job_repository.hpp"

namespace cppbatch::internal {

class Heartbeat {
 public:
  Heartbeat(JobRepository& repository, const JobExecution& execution);
  ~Heartbeat();
  Heartbeat(const Heartbeat&) = delete;
  Heartbeat& operator=(const Heartbeat&) = delete;

 private:
  JobRepository& repository_;
  const JobExecution& execution_;  // only id and instance are read
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace cppbatch::internal
