// TransactionalListWriter<T>: a test writer that behaves like a
// transactional resource, for tests of retry, skip and scan: write() puts
// the chunk aside, update() (inside the chunk transaction, after the write)
// commits it to a list the test owns, discard_uncommitted() (the engine's
// rollback hook) drops it. So `committed` holds exactly the output a real
// transactional writer would keep — a rolled-back chunk leaves nothing —
// while attempts() shows every write() call, failed ones included.
//
//   std::vector<int> committed;
//   auto writer = std::make_unique<testing::TransactionalListWriter<int>>(committed);
//   writer->fault([](const int& item, size_t call) { if (item == 4) throw SkippableError("bad 4"); });
//
// Not thread-safe (one step thread).
#pragma once

#include <cstddef>
#include <functional>
#include <utility>
#include <vector>

#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/core/item_writer.hpp"

namespace cppbatch::testing {

template <class T>
class TransactionalListWriter final : public ItemWriter<T>, public ItemStream {
 public:
  // `committed` must outlive the writer.
  explicit TransactionalListWriter(std::vector<T>& committed) : committed_(committed) {}

  // Called for each item of each write() (with the 1-based call number)
  // before anything is kept; whatever it throws fails that write().
  void fault(std::function<void(const T& item, size_t call)> hook) { fault_ = std::move(hook); }

  void write(const Chunk<T>& chunk) override {
    ++calls_;
    attempts_.push_back(chunk.items());
    if (fault_) {
      for (const T& item : chunk) fault_(item, calls_);
    }
    pending_.insert(pending_.end(), chunk.begin(), chunk.end());
  }
  void update(ExecutionContext&) override {
    committed_.insert(committed_.end(), pending_.begin(), pending_.end());
    pending_.clear();
  }
  void discard_uncommitted() override {
    ++discards_;
    pending_.clear();
  }

  size_t calls() const { return calls_; }
  // Every write() call's items, in order, failed calls included.
  const std::vector<std::vector<T>>& attempts() const { return attempts_; }
  // Rollbacks the engine told this writer about.
  size_t discards() const { return discards_; }

 private:
  std::vector<T>& committed_;
  std::function<void(const T&, size_t)> fault_;
  std::vector<T> pending_;
  std::vector<std::vector<T>> attempts_;
  size_t calls_ = 0;
  size_t discards_ = 0;
};

}  // namespace cppbatch::testing
