// CompletionPolicy: decides when a chunk is full. The chunk step calls
// start() before each chunk and is_complete(n) after each item read (n =
// items read so far in the chunk). A chunk always ends at end of input.
// RepeatTemplate uses the same policies for a repeated callback (n =
// iterations so far).
//
//   SimpleCompletionPolicy(100)                     after 100 items
//   TimeoutCompletionPolicy(5s)                     once 5 s have passed since start()
//   CompositeCompletionPolicy({count, timeout})     when any delegate says so
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <vector>

#include "cppbatch/common/clock.hpp"

namespace cppbatch {

class CompletionPolicy {
 public:
  virtual ~CompletionPolicy() = default;
  virtual void start() {}
  virtual bool is_complete(size_t items_in_chunk) = 0;
};

// Complete after a fixed number of items (the commit interval).
class SimpleCompletionPolicy final : public CompletionPolicy {
 public:
  explicit SimpleCompletionPolicy(size_t chunk_size) : chunk_size_(chunk_size == 0 ? 1 : chunk_size) {}
  bool is_complete(size_t items_in_chunk) override { return items_in_chunk >= chunk_size_; }
  size_t chunk_size() const { return chunk_size_; }

 private:
  size_t chunk_size_;
};

// Complete once `timeout` has passed since start() (and never before the
// first item). `clock` must outlive the policy; default: the system clock.
class TimeoutCompletionPolicy final : public CompletionPolicy {
 public:
  explicit TimeoutCompletionPolicy(std::chrono::milliseconds timeout, const Clock* clock = nullptr)
      : timeout_(timeout), clock_(clock != nullptr ? clock : &system_clock()) {}
  void start() override { started_ = clock_->now(); }
  bool is_complete(size_t items_in_chunk) override {
    return items_in_chunk > 0 && clock_->now() - started_ >= timeout_;
  }

 private:
  std::chrono::milliseconds timeout_;
  const Clock* clock_;
  Timestamp started_{};
};

// Complete when any delegate is complete.
class CompositeCompletionPolicy final : public CompletionPolicy {
 public:
  explicit CompositeCompletionPolicy(std::vector<std::unique_ptr<CompletionPolicy>> policies)
      : policies_(std::move(policies)) {}
  void start() override {
    for (auto& p : policies_) p->start();
  }
  bool is_complete(size_t items_in_chunk) override {
    bool complete = false;
    for (auto& p : policies_) complete = p->is_complete(items_in_chunk) || complete;
    return complete;
  }

 private:
  std::vector<std::unique_ptr<CompletionPolicy>> policies_;
};

}  // namespace cppbatch
