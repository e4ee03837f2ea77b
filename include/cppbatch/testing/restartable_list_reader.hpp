// RestartableListReader<T>: a test reader over a fixed list of items, for
// tests of the chunk loop and of restart. It implements ItemStream like a
// real reader that holds a position: open() resumes after the items the
// last committed chunk had read ("<name>.read.count", Spring's key), and
// update() saves the count reached. It can be told to throw when it reaches
// a given item (bad input on a first run, clean input on the restart) and
// counts its open/update/close calls. (For a production list reader see
// cppbatch/infrastructure/list_item_reader.hpp.)
//
//   auto reader = std::make_unique<testing::RestartableListReader<int>>(std::vector{1, 2, 3});
//   reader->fail_at(1, "bad record");   // the 2nd read throws once
//   reader->fault([](const int& item, size_t) { if (item == 4) throw ParseError("bad 4"); });
//
// Not thread-safe (one step thread).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cppbatch/core/item_reader.hpp"
#include "cppbatch/core/item_stream.hpp"

namespace cppbatch::testing {

template <class T>
class RestartableListReader final : public ItemReader<T>, public ItemStream {
 public:
  explicit RestartableListReader(std::vector<T> items, std::string name = "list.reader")
      : items_(std::move(items)), name_(std::move(name)) {}

  // The read of items()[index] throws std::runtime_error(message) the next
  // `times` times it is reached (a restart that reaches it again fails
  // again only if times > 1).
  void fail_at(size_t index, std::string message = "read failed", int times = 1) {
    fail_index_ = index;
    fail_message_ = std::move(message);
    fail_times_ = times;
  }

  // Called with each item (and its index) as it is read; whatever it
  // throws is the read's error. Unlike fail_at, the failed item is consumed,
  // as a bad record is by a real reader (the next read returns the next
  // item), so a skipped read does not come back. Empty: no fault.
  void fault(std::function<void(const T& item, size_t index)> hook) { fault_ = std::move(hook); }

  std::optional<T> read() override {
    if (position_ >= items_.size()) return std::nullopt;
    if (fail_index_ && *fail_index_ == position_ && fail_times_ > 0) {
      --fail_times_;
      throw std::runtime_error(fail_message_);
    }
    const size_t index = position_++;
    if (fault_) fault_(items_[index], index);
    return items_[index];
  }

  void open(ExecutionContext& context) override {
    ++open_count_;
    position_ = static_cast<size_t>(context.get_long(key()).value_or(0));
  }
  void update(ExecutionContext& context) override {
    ++update_count_;
    context.put_long(key(), static_cast<int64_t>(position_));
  }
  void close() override { ++close_count_; }

  // The context key holding the count of items read ("<name>.read.count").
  std::string key() const { return name_ + ".read.count"; }
  // Index of the next item read() returns.
  size_t position() const { return position_; }
  const std::vector<T>& items() const { return items_; }
  int open_count() const { return open_count_; }
  int update_count() const { return update_count_; }
  int close_count() const { return close_count_; }

 private:
  std::vector<T> items_;
  std::string name_;
  size_t position_ = 0;
  std::function<void(const T&, size_t)> fault_;
  std::optional<size_t> fail_index_;
  std::string fail_message_;
  int fail_times_ = 0;
  int open_count_ = 0, update_count_ = 0, close_count_ = 0;
};

}  // namespace cppbatch::testing
