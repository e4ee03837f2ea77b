// ManualClock: a Clock that moves only when a test says so.
#pragma once

#include <atomic>

#include "cppbatch/common/clock.hpp"

namespace cppbatch::testing {

class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start = Timestamp{std::chrono::seconds{1'800'000'000}})
      : now_(start.time_since_epoch().count()) {}
  Timestamp now() const override { return Timestamp{Timestamp::duration{now_.load()}}; }
  void advance(Timestamp::duration by) { now_ += by.count(); }

 private:
  std::atomic<Timestamp::rep> now_;
};

}  // namespace cppbatch::testing
