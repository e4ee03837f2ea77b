// Chunk<T>: the items of one chunk, handed to ItemWriter::write in one call.
// The step engine reuses a chunk's storage between chunks, so writers must
// not keep references to items after write() returns.
#pragma once

#include <cstddef>
#include <vector>

namespace cppbatch {

template <class T>
class Chunk {
 public:
  Chunk() = default;
  explicit Chunk(std::vector<T> items) : items_(std::move(items)) {}

  void add(T item) { items_.push_back(std::move(item)); }
  template <class... Args>
  T& emplace(Args&&... args) { return items_.emplace_back(std::forward<Args>(args)...); }
  void clear() { items_.clear(); }  // keeps capacity
  void reserve(size_t n) { items_.reserve(n); }

  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  const T& operator[](size_t i) const { return items_[i]; }
  T& operator[](size_t i) { return items_[i]; }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }
  auto begin() { return items_.begin(); }
  auto end() { return items_.end(); }
  const std::vector<T>& items() const { return items_; }
  std::vector<T>& items() { return items_; }

 private:
  std::vector<T> items_;
};

}  // namespace cppbatch
