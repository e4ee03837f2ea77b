// KeysetPagingReader<T, Row>: the page hand-out shared by
// SqlitePagingReader<T> and PgPagingReader<T> (Spring's
// JdbcPagingItemReader). Each page is one short query
//   SELECT * FROM (<sql>) q [WHERE q.<sort_key> > <last key>] ORDER BY q.<sort_key> LIMIT <page_size>
// — keyset paging: the database seeks straight to the page through the
// sort key's index, whatever the page number, and no transaction or cursor
// stays open between pages.
//
// Thread safety: read(), open(), update() and close() may be called from
// several threads; one mutex guards the page (a page is fetched and
// mapped under it, items are handed out one by one). When several threads
// share a reader, the position saved by update() means nothing (another
// thread may hold items read after the ones committed): set
// save_state = false and do not restart such steps from a checkpoint.
//
// Restart (save_state): update() saves <name>.read.count and
// <name>.last.key, the sort key of the last item handed out; open() starts
// the next page after that key — rows read but not committed are read
// again, committed ones never. The sort key must be unique and not NULL
// (a NULL key fails the read).
//
// A mapper exception: the items of the page mapped before it are handed
// out first, then read() throws it; the row counts as read (a skip policy
// moves past it) and the next read() continues after it.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cppbatch/core/item_reader.hpp"
#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/infrastructure/sql_binding.hpp"

namespace cppbatch {
namespace internal {

// Context (de)serialisation of keys (NULL is never a key).
void put_sql_key(ExecutionContext& context, const std::string& key, const SqlValue& value);
std::optional<SqlValue> get_sql_key(const ExecutionContext& context, const std::string& key);

}  // namespace internal

template <class T, class Row>
class KeysetPagingReader : public ItemReader<T>, public ItemStream {
 public:
  using Mapper = std::function<T(const Row&)>;

  std::optional<T> read() override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!opened_) throw std::logic_error("reader '" + name_ + "': read() called before open()");
    if (next_ == items_.size() && !pending_) {
      if (exhausted_) return std::nullopt;
      fetch();
    }
    if (next_ < items_.size()) {
      last_handed_ = std::move(keys_[next_]);
      ++count_;
      return std::optional<T>(std::move(items_[next_++]));
    }
    if (pending_) {
      std::exception_ptr error = std::exchange(pending_, nullptr);
      last_handed_ = pending_key_;
      ++count_;
      std::rethrow_exception(error);
    }
    return std::nullopt;
  }

  void open(ExecutionContext& context) override {
    std::lock_guard<std::mutex> lock(mutex_);
    open_source(context);
    opened_ = true;
    items_.clear();
    keys_.clear();
    next_ = 0;
    exhausted_ = false;
    pending_ = nullptr;
    after_.reset();
    last_handed_.reset();
    count_ = 0;
    if (save_state_) {
      after_ = internal::get_sql_key(context, last_key_key_);
      last_handed_ = after_;
      count_ = context.get_long(count_key_).value_or(0);
    }
  }

  void update(ExecutionContext& context) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!save_state_) return;
    context.put_long(count_key_, count_);
    if (last_handed_) internal::put_sql_key(context, last_key_key_, *last_handed_);
  }

  void close() override {
    std::lock_guard<std::mutex> lock(mutex_);
    opened_ = false;
    items_.clear();
    keys_.clear();
    close_source();
  }

  // Items handed out since the start (restored on restart).
  int64_t read_count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return count_;
  }

 protected:
  KeysetPagingReader(std::string name, bool save_state, size_t page_size, Mapper mapper)
      : name_(std::move(name)), save_state_(save_state), page_size_(page_size), mapper_(std::move(mapper)) {
    if (!mapper_) throw std::invalid_argument("reader '" + name_ + "': empty mapper");
    if (page_size_ == 0) throw std::invalid_argument("reader '" + name_ + "': page_size must be > 0");
    count_key_ = name_ + ".read.count";
    last_key_key_ = name_ + ".last.key";
  }

  // The engine: called under the mutex.
  virtual void open_source(const ExecutionContext& context) = 0;
  virtual void close_source() = 0;
  // Runs the page query after `after` (none: the first page) with LIMIT
  // page_size, calling on_row(row, key) for each row in order.
  virtual void fetch_page(const std::optional<SqlValue>& after,
                          const std::function<void(const Row&, SqlValue&&)>& on_row) = 0;

 private:
  void fetch() {
    items_.clear();
    keys_.clear();
    next_ = 0;
    try {
      fetch_page(after_, [this](const Row& row, SqlValue&& key) {
        keys_.push_back(std::move(key));
        items_.push_back(mapper_(row));
      });
    } catch (...) {
      if (keys_.empty()) throw;  // the query itself failed: nothing consumed
      if (items_.size() == keys_.size()) {  // the database failed after the last row
        after_ = keys_.back();
        throw;
      }
      // The mapper failed on the last row seen: hand out what precedes it,
      // then the failure; continue after it.
      pending_ = std::current_exception();
      pending_key_ = std::move(keys_.back());
      keys_.pop_back();
      after_ = pending_key_;
      return;
    }
    if (!keys_.empty()) after_ = keys_.back();
    exhausted_ = keys_.size() < page_size_;
  }

  std::string name_;
  bool save_state_;
  size_t page_size_;
  Mapper mapper_;
  std::string count_key_, last_key_key_;

  mutable std::mutex mutex_;
  bool opened_ = false;
  std::vector<T> items_;
  std::vector<SqlValue> keys_;
  size_t next_ = 0;
  bool exhausted_ = false;
  std::optional<SqlValue> after_;        // key of the last row fetched
  std::optional<SqlValue> last_handed_;  // key of the last item handed out
  std::exception_ptr pending_;           // a mapper failure after items_
  std::optional<SqlValue> pending_key_;
  int64_t count_ = 0;
};

}  // namespace cppbatch
