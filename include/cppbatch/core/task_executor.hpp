// TaskExecutor: where the framework runs work asynchronously (launches,
// later splits and partitions). execute() never runs a task twice; tasks
// must not throw (the framework's own tasks catch everything).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace cppbatch {

class TaskExecutor {
 public:
  virtual ~TaskExecutor() = default;
  virtual void execute(std::function<void()> task) = 0;
};

// Runs each task on the caller's thread before returning.
class SyncTaskExecutor final : public TaskExecutor {
 public:
  void execute(std::function<void()> task) override { task(); }
};

// A fixed pool of threads (default: one per core). The destructor runs
// every queued task, then joins. Thread-safe.
class ThreadPoolTaskExecutor final : public TaskExecutor {
 public:
  explicit ThreadPoolTaskExecutor(size_t threads = 0);
  ~ThreadPoolTaskExecutor() override;
  ThreadPoolTaskExecutor(const ThreadPoolTaskExecutor&) = delete;
  ThreadPoolTaskExecutor& operator=(const ThreadPoolTaskExecutor&) = delete;
  void execute(std::function<void()> task) override;

 private:
  void work();
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;  // guarded by mutex_
  bool stopping_ = false;                    // guarded by mutex_
  std::vector<std::thread> threads_;
};

}  // namespace cppbatch
