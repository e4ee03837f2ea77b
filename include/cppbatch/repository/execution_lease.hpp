// ExecutionLease: who owns a running job execution and when it last proved
// alive. The owner takes the lease when it creates the execution
// (JobRepository::create_job_execution), renews it with heartbeat() and
// gives it up with release(). A launch that finds a running execution
// whose lease shows a dead owner (same host, process gone; or no heartbeat
// for longer than LeaseOptions::lease_duration) marks it FAILED and
// proceeds (docs/schema.md, table JOB_EXECUTION_LEASE).
//
//   auto lease = repo.lease(execution.id);   // SqliteJobRepository
//   if (lease.ok() && *lease) fmt::print("{}:{}", (*lease)->host, (*lease)->pid);
#pragma once

#include <string>

#include "cppbatch/common/time_format.hpp"

namespace cppbatch {

struct ExecutionLease {
  std::string host;     // host_name() of the owner
  long pid = 0;         // current_pid() of the owner
  Timestamp last_beat;  // when the owner last renewed the lease

  bool operator==(const ExecutionLease& other) const = default;
};

}  // namespace cppbatch
