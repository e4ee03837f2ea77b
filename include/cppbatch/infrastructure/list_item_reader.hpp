// ListItemReader<T>: reads the items of a std::vector in order — for tests,
// small fixed inputs and items computed up front. Restartable: update()
// saves <name>.index (items handed out), open() resumes there.
//
//   ListItemReader<int> reader({1, 2, 3});
//   reader.open(ctx);
//   while (auto v = reader.read()) ...
//
// Copyable items are copied out (the list stays intact, so open() may
// rewind); move-only items are moved out. Not thread-safe.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "cppbatch/core/item_reader.hpp"
#include "cppbatch/core/item_stream.hpp"

namespace cppbatch {

template <class T>
class ListItemReader : public ItemReader<T>, public ItemStream {
 public:
  explicit ListItemReader(std::vector<T> items, std::string name = "listItemReader")
      : items_(std::move(items)), index_key_(std::move(name) + ".index") {}

  // Next item; nullopt once all were read. Works without open() (from 0).
  std::optional<T> read() override {
    if (index_ >= items_.size()) return std::nullopt;
    if constexpr (std::is_copy_constructible_v<T>) {
      return items_[index_++];
    } else {
      return std::move(items_[index_++]);
    }
  }

  // Resumes at the saved index (clamped to the list size), else at 0.
  void open(ExecutionContext& context) override {
    int64_t saved = context.get_long(index_key_).value_or(0);
    index_ = saved < 0 ? 0 : std::min(static_cast<size_t>(saved), items_.size());
  }
  void update(ExecutionContext& context) override {
    context.put_long(index_key_, static_cast<int64_t>(index_));
  }

  size_t index() const { return index_; }
  size_t size() const { return items_.size(); }

 private:
  std::vector<T> items_;
  std::string index_key_;
  size_t index_ = 0;
};

}  // namespace cppbatch
