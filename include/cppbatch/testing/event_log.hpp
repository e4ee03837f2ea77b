// EventLog: an ordered, thread-safe list of strings that test doubles
// (RecordingListener, RecordingItemStream...) append to, so a test can
// assert on the exact order of callbacks across components.
//
//   testing::EventLog log;
//   auto listener = std::make_shared<testing::RecordingListener>(log);
//   ... run the job ...
//   EXPECT_THAT(log.events(), ElementsAre("before_job", "before_step:load", ...));
#pragma once

#include <algorithm>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cppbatch::testing {

class EventLog {
 public:
  void add(std::string event) {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(event));
  }
  // A copy of the events so far, oldest first.
  std::vector<std::string> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }
  // How many events equal `event`.
  size_t count(std::string_view event) const {
    std::lock_guard lock(mutex_);
    return static_cast<size_t>(std::count(events_.begin(), events_.end(), event));
  }
  void clear() {
    std::lock_guard lock(mutex_);
    events_.clear();
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> events_;  // guarded by mutex_
};

}  // namespace cppbatch::testing
