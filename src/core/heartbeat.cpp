#include "core/heartbeat.hpp"

#include "cppbatch/common/logging.hpp"

namespace cppbatch::internal {

Heartbeat::Heartbeat(JobRepository& repository, const JobExecution& execution)
    : repository_(repository), execution_(execution) {
  auto interval = std::max(std::chrono::milliseconds(10), repository_.lease_options().lease_duration / 4);
  thread_ = std::thread([this, interval] {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, interval, [this] { return stop_; })) {
      lock.unlock();
      auto beat = repository_.heartbeat(execution_);
      if (!beat) logger().warn("heartbeat of execution {} failed: {}", execution_.id, beat.error().to_string());
      lock.lock();
    }
  });
}

Heartbeat::~Heartbeat() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

}  // namespace cppbatch::internal
