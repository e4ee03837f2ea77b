// CompositeItemWriter<T>: writes each chunk to every delegate, in the order
// given (Spring's CompositeItemWriter) — e.g. a file and a database table.
// Delegates that are ItemStreams are opened, updated and closed through the
// composite (in delegate order), so registering the composite with a step
// is enough.
//
//   std::vector<std::unique_ptr<ItemWriter<Trade>>> writers;
//   writers.push_back(std::make_unique<DelimitedFileWriter<Trade>>(...));
//   writers.push_back(std::make_unique<SqliteBatchWriter<Trade>>(...));
//   auto writer = std::make_unique<CompositeItemWriter<Trade>>(std::move(writers));
//
// A delegate that throws stops the chunk there: earlier delegates have
// written it, later ones have not; the chunk rolls back, and restart
// relies on each delegate's own transactional or idempotent behaviour (a
// file writer truncates to its committed offset). Not thread-safe beyond
// its delegates.
#pragma once

#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/core/item_writer.hpp"

namespace cppbatch {

template <class T>
class CompositeItemWriter final : public ItemWriter<T>, public ItemStream {
 public:
  // Throws std::invalid_argument when `delegates` is empty or holds a null.
  explicit CompositeItemWriter(std::vector<std::unique_ptr<ItemWriter<T>>> delegates)
      : delegates_(std::move(delegates)) {
    if (delegates_.empty()) throw std::invalid_argument("CompositeItemWriter: no delegate");
    for (size_t i = 0; i < delegates_.size(); ++i) {
      if (!delegates_[i]) throw std::invalid_argument("CompositeItemWriter: delegate " + std::to_string(i) + " is null");
      if (auto* s = dynamic_cast<ItemStream*>(delegates_[i].get())) streams_.push_back(s);
    }
  }

  void write(const Chunk<T>& chunk) override {
    for (auto& delegate : delegates_) delegate->write(chunk);
  }

  void open(ExecutionContext& context) override {
    for (ItemStream* s : streams_) s->open(context);
  }
  void update(ExecutionContext& context) override {
    for (ItemStream* s : streams_) s->update(context);
  }
  // Closes every delegate, even when one throws; rethrows the first error.
  void close() override {
    std::exception_ptr first;
    for (ItemStream* s : streams_) {
      try {
        s->close();
      } catch (...) {
        if (!first) first = std::current_exception();
      }
    }
    if (first) std::rethrow_exception(first);
  }

  size_t size() const { return delegates_.size(); }
  ItemWriter<T>& delegate(size_t index) { return *delegates_.at(index); }

 private:
  std::vector<std::unique_ptr<ItemWriter<T>>> delegates_;
  std::vector<ItemStream*> streams_;
};

}  // namespace cppbatch
