// SynchronizedItemReader<T>: makes one reader safe to drain from several
// threads (Spring's SynchronizedItemStreamReader), for multi-threaded
// steps. read(), open(), update() and close() run under one mutex, so each
// item is handed to exactly one caller and the delegate never sees two
// calls at once. The delegate's stream calls are forwarded when it is an
// ItemStream.
//
//   auto reader = std::make_unique<SynchronizedItemReader<Record>>(std::move(file_reader));
//   // worker threads: while (auto item = reader->read()) process(*item);
//
// In a multi-threaded step a saved position means nothing (items read by
// one thread may be committed before items read earlier by another): give
// the delegate save_state = false, as with Spring.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <utility>

#include "cppbatch/core/item_reader.hpp"
#include "cppbatch/core/item_stream.hpp"

namespace cppbatch {

template <class T>
class SynchronizedItemReader final : public ItemReader<T>, public ItemStream {
 public:
  // Throws std::invalid_argument on a null delegate.
  explicit SynchronizedItemReader(std::unique_ptr<ItemReader<T>> delegate)
      : delegate_(std::move(delegate)), stream_(dynamic_cast<ItemStream*>(delegate_.get())) {
    if (!delegate_) throw std::invalid_argument("SynchronizedItemReader: null delegate");
  }

  // Thread-safe. Exceptions of the delegate propagate to the caller whose
  // read() raised them.
  std::optional<T> read() override {
    std::lock_guard lock(mutex_);
    return delegate_->read();
  }
  void open(ExecutionContext& context) override {
    std::lock_guard lock(mutex_);
    if (stream_) stream_->open(context);
  }
  void update(ExecutionContext& context) override {
    std::lock_guard lock(mutex_);
    if (stream_) stream_->update(context);
  }
  void close() override {
    std::lock_guard lock(mutex_);
    if (stream_) stream_->close();
  }

 private:
  std::mutex mutex_;
  std::unique_ptr<ItemReader<T>> delegate_;  // guarded by mutex_
  ItemStream* stream_;                       // the delegate as a stream, or null
};

}  // namespace cppbatch
