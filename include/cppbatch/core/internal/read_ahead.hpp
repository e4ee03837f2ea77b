// internal::ReadAhead<I>: the reading half of a chunk step built with
// read_ahead() — a second thread reads chunk k+1 (reader, read listeners,
// completion policy) while the step's thread processes, writes and commits
// chunk k, so a writer that waits on a server (COPY, a batch INSERT and its
// COMMIT) and a reader that parses a file overlap instead of taking turns.
//
// Restart stays exact: after each chunk the reading thread asks the reader
// for its position (update() into a context of its own) and hands it over
// with the chunk's items; ReadAhead, registered with the step in the
// reader's place, saves that position when the step commits the chunk —
// never the reader's live position, which may be a chunk further on.
//
// One chunk is read ahead at most: the step holds chunk k, the reading
// thread fills k+1 and begins k+2 only once the step took k+1. The reading
// thread starts at the first take() and ends at close(), at the end of
// input or at the reader's first error, which take() rethrows for the chunk
// it belongs to. Used by ChunkOrientedStep only.
#pragma once

#include <atomic>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "cppbatch/core/chunk.hpp"
#include "cppbatch/core/completion_policy.hpp"
#include "cppbatch/core/execution_context.hpp"
#include "cppbatch/core/item_listeners.hpp"
#include "cppbatch/core/item_reader.hpp"
#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/core/internal/read_chunk.hpp"

namespace cppbatch::internal {

template <class I>
class ReadAhead final : public ItemStream {
 public:
  // `stream` is the reader's ItemStream (null if it has none); everything
  // must outlive this object.
  ReadAhead(ItemReader<I>& reader, ItemStream* stream, CompletionPolicy& policy,
            const std::vector<std::shared_ptr<ItemReadListener<I>>>& listeners)
      : reader_(reader), stream_(stream), policy_(policy), listeners_(listeners) {}
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;
  ~ReadAhead() override { halt(); }

  void open(ExecutionContext& context) override {
    halt();
    ready_.reset();
    finished_ = false;
    if (stream_ == nullptr) return;
    stream_->open(context);
    position_ = ExecutionContext{};
    stream_->update(position_);
  }
  // The reader's position after the last chunk take() handed out.
  void update(ExecutionContext& context) override {
    for (const auto& [key, value] : position_.values()) context.put(key, value);
  }
  void close() override {
    halt();
    if (stream_ != nullptr) stream_->close();
  }

  // Moves the next chunk's items into `items` (waiting until they are read)
  // and returns true when the reader reached the end of input with them.
  // Rethrows the reader's error when the chunk ended with one.
  bool take(Chunk<I>& items) {
    if (finished_) throw std::logic_error("read-ahead: take() after the last chunk");
    if (!thread_.joinable()) {
      stopping_ = false;
      thread_ = std::thread([this] { read_chunks(); });
    }
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return ready_.has_value(); });
    std::swap(items, ready_->items);
    spare_ = std::move(ready_->items);
    const bool end = ready_->end;
    std::exception_ptr error = ready_->error;
    position_ = std::move(ready_->position);
    ready_.reset();
    if (end || error) finished_ = true;
    lock.unlock();
    changed_.notify_all();
    if (error) std::rethrow_exception(error);
    return end;
  }

 private:
  struct ReadChunk {
    Chunk<I> items;
    bool end = false;
    std::exception_ptr error;
    ExecutionContext position;
  };

  // The reading thread: a chunk is begun only once the step took the one
  // before it.
  void read_chunks() {
    while (true) {
      ReadChunk chunk;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return !ready_.has_value() || stopping_.load(std::memory_order_relaxed); });
        if (stopping_.load(std::memory_order_relaxed)) return;
        chunk.items = std::move(spare_);
      }
      chunk.items.clear();
      try {
        chunk.end = read_chunk(reader_, listeners_, policy_, chunk.items, &stopping_);
        if (stopping_.load(std::memory_order_relaxed)) return;
        if (stream_ != nullptr) stream_->update(chunk.position);
      } catch (...) {
        chunk.error = std::current_exception();
      }
      const bool last = chunk.end || chunk.error;
      {
        std::lock_guard lock(mutex_);
        if (stopping_.load(std::memory_order_relaxed)) return;
        ready_ = std::move(chunk);
      }
      changed_.notify_all();
      if (last) return;
    }
  }

  // Stops and joins the reading thread (it ends at its next item).
  void halt() {
    if (!thread_.joinable()) return;
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
    ready_.reset();
  }

  ItemReader<I>& reader_;
  ItemStream* stream_;
  CompletionPolicy& policy_;
  const std::vector<std::shared_ptr<ItemReadListener<I>>>& listeners_;
  ExecutionContext position_;  // the reader's position after the chunk last taken
  bool finished_ = false;      // the last chunk was taken: no thread to start
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<ReadChunk> ready_;  // guarded by mutex_
  Chunk<I> spare_;                  // guarded by mutex_: storage for the next chunk
  std::atomic<bool> stopping_{false};
};

}  // namespace cppbatch::internal
