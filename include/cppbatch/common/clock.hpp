// Clock: the injectable source of time for heartbeats, leases and
// timestamps. Production code uses system_clock(); tests pass a ManualClock
// (cppbatch/testing/manual_clock.hpp) so nothing waits on the wall clock.
#pragma once

#include "cppbatch/common/time_format.hpp"

namespace cppbatch {

class Clock {
 public:
  virtual ~Clock() = default;
  // Current instant. Thread-safe.
  virtual Timestamp now() const = 0;
};

// The process-wide wall clock. Never null; lives for the whole program.
Clock& system_clock();

}  // namespace cppbatch
