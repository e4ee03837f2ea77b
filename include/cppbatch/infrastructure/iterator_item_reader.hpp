// IteratorItemReader<T, It>: reads the items of an iterator range in order
// (Spring's IteratorItemReader), from an iterator pair the caller keeps
// alive or from a container it owns.
//
//   std::vector<Trade> trades = ...;
//   auto a = make_iterator_reader(trades.begin(), trades.end());   // borrows: `trades` must outlive it
//   auto b = make_iterator_reader(std::move(trades));              // owns the container
//   auto c = make_generator_reader<int>([n = 0]() mutable -> std::optional<int> {
//     return n < 10 ? std::optional(n++) : std::nullopt;           // a generator function
//   });
//
// Restartable when the iterators are forward iterators: update() saves
// <name>.read.count and open() starts again from the beginning and skips
// that many items (the range must hold the same items on restart). Over
// single-pass (input) iterators the reader holds no restart state and
// open() does not rewind. A generator is a FunctionItemReader (core) and is
// not restartable. Not thread-safe (wrap in SynchronizedItemReader).
#pragma once

#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <ranges>
#include <string>
#include <type_traits>
#include <utility>

#include "cppbatch/core/function_adapters.hpp"
#include "cppbatch/core/item_reader.hpp"
#include "cppbatch/core/item_stream.hpp"

namespace cppbatch {

template <class T, std::input_iterator It, std::sentinel_for<It> S = It>
class IteratorItemReader final : public ItemReader<T>, public ItemStream {
 public:
  static constexpr bool kRestartable = std::forward_iterator<It>;

  IteratorItemReader(It first, S last, std::string name = "iteratorItemReader")
      : first_(first), current_(std::move(first)), last_(std::move(last)), count_key_(std::move(name) + ".read.count") {}

  std::optional<T> read() override {
    if (current_ == last_) return std::nullopt;
    std::optional<T> item(*current_);
    ++current_;
    ++count_;
    return item;
  }

  void open(ExecutionContext& context) override {
    if constexpr (kRestartable) {
      current_ = first_;
      count_ = 0;
      int64_t saved = context.get_long(count_key_).value_or(0);
      while (count_ < saved && current_ != last_) {
        ++current_;
        ++count_;
      }
    } else {
      (void)context;
    }
  }
  void update(ExecutionContext& context) override {
    if constexpr (kRestartable) context.put_long(count_key_, count_);
  }

  int64_t read_count() const { return count_; }

 private:
  It first_;
  It current_;
  S last_;
  std::string count_key_;
  int64_t count_ = 0;
};

namespace internal {
// Owns a container and reads it through its iterators.
template <std::ranges::forward_range R>
struct OwnedRange {
  explicit OwnedRange(R r) : range(std::move(r)) {}
  R range;
};
}  // namespace internal

// A reader over [first, last); the range must outlive the reader.
template <std::input_iterator It, std::sentinel_for<It> S>
auto make_iterator_reader(It first, S last, std::string name = "iteratorItemReader") {
  using T = std::iter_value_t<It>;
  return std::make_unique<IteratorItemReader<T, It, S>>(std::move(first), std::move(last), std::move(name));
}

// A reader that owns `range` (moved in) and reads its elements.
template <std::ranges::forward_range R>
  requires(!std::is_lvalue_reference_v<R>)
class OwningRangeItemReader final : public ItemReader<std::ranges::range_value_t<R>>, public ItemStream {
 public:
  using T = std::ranges::range_value_t<R>;
  explicit OwningRangeItemReader(R range, std::string name = "iteratorItemReader")
      : owned_(std::move(range)),
        reader_(std::ranges::begin(owned_.range), std::ranges::end(owned_.range), std::move(name)) {}
  OwningRangeItemReader(const OwningRangeItemReader&) = delete;  // the reader points into owned_
  OwningRangeItemReader& operator=(const OwningRangeItemReader&) = delete;
  std::optional<T> read() override { return reader_.read(); }
  void open(ExecutionContext& context) override { reader_.open(context); }
  void update(ExecutionContext& context) override { reader_.update(context); }
  int64_t read_count() const { return reader_.read_count(); }

 private:
  internal::OwnedRange<R> owned_;
  IteratorItemReader<T, std::ranges::iterator_t<R>, std::ranges::sentinel_t<R>> reader_;
};

template <std::ranges::forward_range R>
  requires(!std::is_lvalue_reference_v<R>)
auto make_iterator_reader(R&& range, std::string name = "iteratorItemReader") {
  return std::make_unique<OwningRangeItemReader<std::remove_cvref_t<R>>>(std::forward<R>(range), std::move(name));
}

// A reader calling `generator` until it returns an empty optional.
template <class T, ReaderFunction<T> F>
std::unique_ptr<ItemReader<T>> make_generator_reader(F generator) {
  return std::make_unique<FunctionItemReader<T, F>>(std::move(generator));
}

}  // namespace cppbatch
