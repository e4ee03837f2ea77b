// CompletionPolicy: decides when a chunk is full. The chunk step calls
// start() before each chunk and is_complete(n) after each item read (n =
// items read so far in the chunk). A chunk always ends at end of input.
#pragma once

#include <chrono>
#include <cstddef>

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

}  // namespace cppbatch
