// RecordingItemWriter<T>: a test writer that appends every chunk it is
// given to a list the test owns, so a test sees exactly which items were
// written, in which chunks, across restarts (the list outlives the step and
// the job). It can be told to throw on a given write call.
//
//   std::vector<std::vector<int>> written;
//   auto writer = std::make_unique<testing::RecordingItemWriter<int>>(written);
//   writer->fail_on_call(2, "disk full");   // the 2nd write() throws once
//
// A failing call records nothing. Not thread-safe (one step thread).
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "cppbatch/core/item_writer.hpp"

namespace cppbatch::testing {

template <class T>
class RecordingItemWriter final : public ItemWriter<T> {
 public:
  // `chunks` must outlive the writer.
  explicit RecordingItemWriter(std::vector<std::vector<T>>& chunks) : chunks_(chunks) {}

  // The `call`-th write() (1-based, counted over this writer's life)
  // throws std::runtime_error(message).
  void fail_on_call(size_t call, std::string message = "write failed") {
    fail_call_ = call;
    fail_message_ = std::move(message);
  }

  void write(const Chunk<T>& chunk) override {
    ++calls_;
    if (fail_call_ && *fail_call_ == calls_) throw std::runtime_error(fail_message_);
    chunks_.push_back(chunk.items());
  }

  size_t calls() const { return calls_; }

  // Every item of `chunks`, in write order.
  static std::vector<T> flatten(const std::vector<std::vector<T>>& chunks) {
    std::vector<T> out;
    for (const auto& chunk : chunks) out.insert(out.end(), chunk.begin(), chunk.end());
    return out;
  }

 private:
  std::vector<std::vector<T>>& chunks_;
  std::optional<size_t> fail_call_;
  std::string fail_message_;
  size_t calls_ = 0;
};

}  // namespace cppbatch::testing
