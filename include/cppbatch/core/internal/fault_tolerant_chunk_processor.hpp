// Internal: the engine of a fault-tolerant chunk step (Spring Batch's
// FaultTolerantChunkProvider + FaultTolerantChunkProcessor, rebuilt). Not
// for users: ChunkOrientedStep drives it when fault tolerance is on.
//
// A chunk is read once and kept here (with each item's fate) until it is
// done; every transaction of the step does one piece of it:
//   NORMAL  process the items still open (a processor error rolls the
//           transaction back; the item's retry context says whether the
//           next transaction tries it again or recovers: skip or fail),
//           then write them in one call (a write error rolls back; the
//           chunk is written again while the retry policy allows, then
//           the chunk goes to SCAN if the error is skippable);
//   SCAN    write one queued part of the chunk — one item (ITEM_BY_ITEM)
//           or a half (BISECT) — per transaction; a failing single item is
//           skipped (or fails the step), a failing half is halved again.
// A transaction that must roll back but leaves the step able to carry on
// sets redrive(); anything else thrown fails the step.
//
// Counts that belong to the chunk rather than to one transaction (reads,
// read/process/write skips, filtered items) are kept pending and added to
// the contribution of the next transaction that commits, so a rolled-back
// transaction contributes nothing (the engine's rule) and nothing is
// counted twice. Skip listeners are called for them at the same moment,
// just before that commit.
//
// Restart: while a chunk is partly committed (a scan commits item by
// item), the reader's position is not updated — it stays at the chunk's
// start — and "<kOffsetKey>" holds how many reads of the chunk are settled;
// open() on restart reads and drops that many, so nothing is written or
// skipped twice (Spring's ChunkMonitor). It wraps the reader's ItemStream
// for that.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

#include "cppbatch/common/logging.hpp"
#include "cppbatch/core/chunk.hpp"
#include "cppbatch/core/completion_policy.hpp"
#include "cppbatch/core/fault_tolerance.hpp"
#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/core/skip_listener.hpp"
#include "cppbatch/core/step_contribution.hpp"
#include "cppbatch/core/step_execution.hpp"

namespace cppbatch {

template <class I, class O>
struct ChunkComponents;

namespace internal {

template <class I, class O>
class FaultTolerantChunkProcessor final : public ItemStream {
 public:
  static constexpr const char* kOffsetKey = "faultTolerant.chunk.offset";
  // Spring's cap on read skips within one chunk, max(chunk size, 100): the
  // chunk then ends early (its FaultTolerantStepBuilder sets the provider's
  // maxSkipsOnRead so). For a completion policy other than a fixed size: 100.
  static constexpr int64_t kMaxSkipsOnRead = 100;

  // `components` must outlive this; `reader_stream` (may be null) is the
  // reader's ItemStream, which this wraps.
  FaultTolerantChunkProcessor(ChunkComponents<I, O>& components, FaultToleranceOptions options,
                              ItemStream* reader_stream)
      : c_(components), o_(std::move(options)), reader_stream_(reader_stream) {
    if (const auto* fixed = dynamic_cast<const SimpleCompletionPolicy*>(c_.completion_policy.get())) {
      max_skips_on_read_ = std::max(kMaxSkipsOnRead, static_cast<int64_t>(fixed->chunk_size()));
    }
    auto limit_checking = std::make_shared<LimitCheckingItemSkipPolicy>(o_.skip_limit, o_.skippable);
    if (o_.skip_policy) {
      skip_ = std::make_shared<CompositeSkipPolicy>(std::vector<std::shared_ptr<SkipPolicy>>{o_.skip_policy,
                                                                                             limit_checking});
    } else {
      skip_ = std::move(limit_checking);
    }
    auto simple = std::make_shared<SimpleRetryPolicy>(o_.retry_limit, o_.retryable);
    if (!o_.retry_policy) {
      retry_ = std::move(simple);
    } else if (!o_.retryable.empty() && o_.retry_limit > 0) {
      retry_ = std::make_shared<CompositeRetryPolicy>(
          std::vector<std::shared_ptr<RetryPolicy>>{std::const_pointer_cast<RetryPolicy>(o_.retry_policy), simple});
    } else {
      retry_ = o_.retry_policy;
    }
  }

  // The work of one transaction (the body of AbstractStep::run_chunk).
  void run_transaction(StepContribution& contribution) {
    redrive_ = false;
    complete_ = false;
    if (!active_) start_chunk(contribution);
    switch (mode_) {
      case Mode::NORMAL:
        process_and_write(contribution);
        break;
      case Mode::RECOVER_WRITE:
        recover_write();
        scan_step(contribution);
        break;
      case Mode::SCAN:
        scan_step(contribution);
        break;
    }
    finish(contribution);
  }

  // After the transaction committed.
  void committed() {
    pending_ = Pending{};
    read_skips_.clear();
    process_skips_.clear();
    write_skips_.clear();
    if (!complete_) return;
    active_ = false;
    slots_.clear();
    mode_ = Mode::NORMAL;
    write_retry_.reset();
    scan_items_.clear();
    scan_queue_.clear();
    if (end_) finished_ = true;
  }

  // After the transaction rolled back: true when the step carries on with
  // the same chunk (retry, recovery or scan), false when it must fail.
  bool redrive() const { return redrive_; }
  // The reader ended and its last chunk is done.
  bool finished() const { return finished_; }

  void open(ExecutionContext& context) override {
    reset();
    if (reader_stream_ != nullptr) reader_stream_->open(context);
    const int64_t settled = context.get_long(kOffsetKey).value_or(0);
    // Reads of a partly committed chunk that the last execution settled
    // (written, skipped or filtered): drop them, errors included.
    for (int64_t k = 0; k < settled; ++k) {
      try {
        if (!c_.reader->read()) break;
      } catch (...) {
      }
    }
  }
  void update(ExecutionContext& context) override {
    if (mid_chunk_) {
      context.put_long(kOffsetKey, offset_);
      return;  // the reader's keys stay where the chunk started
    }
    if (reader_stream_ != nullptr) reader_stream_->update(context);
    if (context.contains(kOffsetKey)) context.remove(kOffsetKey);
  }
  void close() override {
    if (reader_stream_ != nullptr) reader_stream_->close();
  }
  void discard_uncommitted() override {
    if (reader_stream_ != nullptr) reader_stream_->discard_uncommitted();
  }

 private:
  enum class Status : uint8_t { ACTIVE, FILTERED, SKIPPED, WRITTEN };
  enum class Mode : uint8_t { NORMAL, RECOVER_WRITE, SCAN };

  struct Slot {
    I item;
    int64_t read_call;  // read() calls of the chunk before this item
    Status status = Status::ACTIVE;
    std::unique_ptr<RetryContext> retry;  // set once processing it failed
    BackOffState backoff{};
  };

  struct Pending {
    int64_t read = 0, filter = 0, read_skip = 0, process_skip = 0, write_skip = 0;
    int64_t skips() const { return read_skip + process_skip + write_skip; }
  };

  void reset() {
    slots_.clear();
    active_ = end_ = finished_ = complete_ = redrive_ = mid_chunk_ = false;
    mode_ = Mode::NORMAL;
    write_retry_.reset();
    scan_items_.clear();
    scan_queue_.clear();
    pending_ = Pending{};
    read_skips_.clear();
    process_skips_.clear();
    write_skips_.clear();
  }

  int64_t skip_count(const StepContribution& contribution) const {
    return contribution.step_execution().skip_count() + pending_.skips();
  }

  // --- read -----------------------------------------------------------
  void start_chunk(StepContribution& contribution) {
    slots_.clear();
    read_calls_ = 0;
    int64_t read_errors = 0;
    c_.completion_policy->start();
    while (true) {
      for (auto& l : c_.read_listeners) l->before_read();
      std::optional<I> item;
      const int64_t call = read_calls_++;
      try {
        item = c_.reader->read();
      } catch (...) {
        std::exception_ptr error = std::current_exception();
        notify_read_error(error);
        if (skip_->should_skip(error, skip_count(contribution))) {
          ++pending_.read_skip;
          read_skips_.push_back(error);
          if (++read_errors >= max_skips_on_read_) break;
          continue;
        }
        if (o_.no_rollback.classify(error)) {
          logger().warn("read error ignored (no-rollback kind, not skippable): {}", describe_exception(error));
          continue;
        }
        throw NonSkippableReadException(error);
      }
      if (!item) {
        end_ = true;
        break;
      }
      for (auto& l : c_.read_listeners) l->after_read(*item);
      ++pending_.read;
      slots_.push_back(Slot{std::move(*item), call, Status::ACTIVE, nullptr, BackOffState{}});
      if (c_.completion_policy->is_complete(slots_.size())) break;
    }
    active_ = true;
    mode_ = Mode::NORMAL;
  }

  void notify_read_error(const std::exception_ptr& error) {
    if (c_.read_listeners.empty()) return;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      for (auto& l : c_.read_listeners) l->on_read_error(e);
    } catch (...) {
    }
  }

  // --- process --------------------------------------------------------
  // The output of slot i, or empty when it is filtered or skipped. Throws
  // (with redrive_ set) to roll back for a retry or a recovery.
  std::optional<O> process_slot(size_t i, StepContribution& contribution) {
    Slot& slot = slots_[i];
    if (slot.retry && !retry_->can_retry(*slot.retry)) {
      // No more attempts (decided in an earlier transaction): recover.
      std::exception_ptr error = slot.retry->last_error;
      const int64_t attempts = slot.retry->retry_count;
      const bool skip = skip_->should_skip(error, skip_count(contribution));
      close_retry(*slot.retry, skip ? nullptr : error);
      slot.retry.reset();
      if (!skip) throw NonSkippableProcessException(error, attempts);
      skip_in_process(i, error);
      return std::nullopt;
    }
    std::optional<O> result;
    try {
      result = call_processor(slot.item);
    } catch (...) {
      std::exception_ptr error = std::current_exception();
      if (o_.no_rollback.classify(error)) {
        if (!skip_->should_skip(error, skip_count(contribution))) throw NonSkippableProcessException(error, 1);
        skip_in_process(i, error);
        return std::nullopt;
      }
      failed_attempt(slot.retry, slot.backoff, error);
      redrive_ = true;
      throw;
    }
    if (slot.retry) {
      close_retry(*slot.retry, nullptr);
      slot.retry.reset();
    }
    if (!result) {
      slot.status = Status::FILTERED;
      ++pending_.filter;
    }
    return result;
  }

  std::optional<O> call_processor(const I& item) {
    if constexpr (std::is_same_v<I, O>) {
      if (!c_.processor) {
        // No processor: the item is its own output, copied because the chunk
        // keeps the item for a retry or a scan.
        if constexpr (std::is_copy_constructible_v<I>) {
          return std::optional<O>(item);
        } else {
          throw std::logic_error("a fault-tolerant step without a processor needs copyable items");
        }
      }
    }
    for (auto& l : c_.process_listeners) l->before_process(item);
    std::optional<O> result;
    try {
      result = c_.processor->process(item);
    } catch (const std::exception& error) {
      for (auto& l : c_.process_listeners) l->on_process_error(item, error);
      throw;
    }
    for (auto& l : c_.process_listeners) l->after_process(item, result);
    return result;
  }

  void skip_in_process(size_t i, const std::exception_ptr& error) {
    slots_[i].status = Status::SKIPPED;
    ++pending_.process_skip;
    process_skips_.emplace_back(i, error);
  }

  // --- write ----------------------------------------------------------
  void write_outputs() {
    for (auto& l : c_.write_listeners) l->before_write(outputs_);
    try {
      c_.writer->write(outputs_);
    } catch (const std::exception& error) {
      for (auto& l : c_.write_listeners) l->on_write_error(error, outputs_);
      throw;
    }
    for (auto& l : c_.write_listeners) l->after_write(outputs_);
  }

  void written(StepContribution& contribution) {
    contribution.increment_write_count(static_cast<int64_t>(outputs_.size()));
    for (size_t i : output_slots_) slots_[i].status = Status::WRITTEN;
  }

  void process_and_write(StepContribution& contribution) {
    outputs_.clear();
    output_slots_.clear();
    for (size_t i = 0; i < slots_.size(); ++i) {
      if (slots_[i].status != Status::ACTIVE) continue;
      std::optional<O> output = process_slot(i, contribution);
      if (!output) continue;
      outputs_.add(std::move(*output));
      output_slots_.push_back(i);
    }
    if (!outputs_.empty()) {
      try {
        write_outputs();
      } catch (...) {
        std::exception_ptr error = std::current_exception();
        failed_attempt(write_retry_, write_backoff_, error);
        // Out of attempts: the next transaction recovers (Spring's
        // stateful retry), scanning only if the error is skippable.
        if (!retry_->can_retry(*write_retry_)) mode_ = Mode::RECOVER_WRITE;
        redrive_ = true;
        throw;
      }
      written(contribution);
      if (write_retry_) {
        close_retry(*write_retry_, nullptr);
        write_retry_.reset();
      }
    }
    complete_ = true;
  }

  void recover_write() {
    std::exception_ptr error = write_retry_->last_error;
    const int64_t attempts = write_retry_->retry_count;
    // Spring asks the skip policy with a count of -1: is the kind skippable
    // at all (the limit is checked item by item in the scan)?
    const bool scan = skip_->should_skip(error, -1) || o_.no_rollback.classify(error);
    close_retry(*write_retry_, scan ? nullptr : error);
    write_retry_.reset();
    if (!scan) throw NonSkippableWriteException(error, attempts);
    scan_items_.clear();
    for (size_t i = 0; i < slots_.size(); ++i) {
      if (slots_[i].status == Status::ACTIVE) scan_items_.push_back(i);
    }
    scan_queue_.clear();
    const size_t n = scan_items_.size();
    if (o_.scan == ScanMode::BISECT && n > 1) {
      // The whole chunk already failed: start with its halves.
      scan_queue_.emplace_back(0, n / 2);
      scan_queue_.emplace_back(n / 2, n);
    } else {
      for (size_t k = 0; k < n; ++k) scan_queue_.emplace_back(k, k + 1);
    }
    mode_ = Mode::SCAN;
  }

  // Writes the first queued part of the chunk (passing over parts whose
  // items all became filtered or skipped).
  void scan_step(StepContribution& contribution) {
    while (!scan_queue_.empty()) {
      const auto [begin, end] = scan_queue_.front();
      outputs_.clear();
      output_slots_.clear();
      for (size_t k = begin; k < end; ++k) {
        const size_t i = scan_items_[k];
        if (slots_[i].status != Status::ACTIVE) continue;
        std::optional<O> output = process_slot(i, contribution);
        if (!output) continue;
        outputs_.add(std::move(*output));
        output_slots_.push_back(i);
      }
      if (outputs_.empty()) {
        scan_queue_.pop_front();
        continue;
      }
      try {
        write_outputs();
      } catch (...) {
        std::exception_ptr error = std::current_exception();
        if (outputs_.size() > 1) {
          // A bad item is in there: write each half in its own transaction.
          const size_t middle = begin + (end - begin) / 2;
          scan_queue_.pop_front();
          scan_queue_.emplace_front(middle, end);
          scan_queue_.emplace_front(begin, middle);
          redrive_ = true;
          throw;
        }
        // Found a bad item. SkipLimitExceededException propagates.
        if (!skip_->should_skip(error, skip_count(contribution))) throw NonSkippableWriteException(error, 1);
        slots_[output_slots_[0]].status = Status::SKIPPED;
        ++pending_.write_skip;
        write_skips_.emplace_back(std::move(outputs_[0]), error);
        scan_queue_.pop_front();
        if (o_.no_rollback.classify(error)) break;  // skipped in place: this transaction commits
        redrive_ = true;
        throw;
      }
      written(contribution);
      scan_queue_.pop_front();
      break;  // one write per transaction
    }
    complete_ = scan_queue_.empty();
  }

  // --- retry bookkeeping -------------------------------------------------
  void failed_attempt(std::unique_ptr<RetryContext>& context, BackOffState& backoff,
                      const std::exception_ptr& error) {
    if (!context) {
      context = std::make_unique<RetryContext>(retry_->open());
      backoff = o_.back_off ? o_.back_off->start() : BackOffState{};
      bool allowed = true;
      for (auto& l : o_.retry_listeners) allowed = l->open(*context) && allowed;
      if (!allowed) context->exhausted = true;
    }
    retry_->register_error(*context, error);
    for (auto& l : o_.retry_listeners) l->on_error(*context, error);
    if (o_.back_off && retry_->can_retry(*context)) o_.back_off->back_off(backoff);
  }

  void close_retry(const RetryContext& context, const std::exception_ptr& error) {
    for (auto it = o_.retry_listeners.rbegin(); it != o_.retry_listeners.rend(); ++it) (*it)->close(context, error);
  }

  // --- end of a transaction ----------------------------------------------
  void finish(StepContribution& contribution) {
    contribution.increment_read_count(pending_.read);
    contribution.increment_filter_count(pending_.filter);
    contribution.increment_read_skip_count(pending_.read_skip);
    contribution.increment_process_skip_count(pending_.process_skip);
    contribution.increment_write_skip_count(pending_.write_skip);
    for (const auto& error : read_skips_) {
      for (auto& l : c_.skip_listeners) l->on_skip_in_read(error);
    }
    for (const auto& [i, error] : process_skips_) {
      for (auto& l : c_.skip_listeners) l->on_skip_in_process(slots_[i].item, error);
    }
    for (const auto& [item, error] : write_skips_) {
      for (auto& l : c_.skip_listeners) l->on_skip_in_write(item, error);
    }
    mid_chunk_ = !complete_;
    if (mid_chunk_) {
      offset_ = read_calls_;
      for (const Slot& slot : slots_) {
        if (slot.status == Status::ACTIVE) {
          offset_ = slot.read_call;
          break;
        }
      }
    }
  }

  ChunkComponents<I, O>& c_;
  FaultToleranceOptions o_;
  ItemStream* reader_stream_;
  int64_t max_skips_on_read_ = kMaxSkipsOnRead;
  std::shared_ptr<SkipPolicy> skip_;
  std::shared_ptr<const RetryPolicy> retry_;

  // The chunk in progress.
  std::vector<Slot> slots_;
  int64_t read_calls_ = 0;
  bool active_ = false, end_ = false, finished_ = false, complete_ = false;
  Mode mode_ = Mode::NORMAL;
  std::unique_ptr<RetryContext> write_retry_;
  BackOffState write_backoff_{};
  std::vector<size_t> scan_items_;                      // slots being scanned
  std::deque<std::pair<size_t, size_t>> scan_queue_;   // [begin, end) into scan_items_

  // What the next commit carries.
  Pending pending_;
  std::vector<std::exception_ptr> read_skips_;
  std::vector<std::pair<size_t, std::exception_ptr>> process_skips_;
  std::vector<std::pair<O, std::exception_ptr>> write_skips_;

  // One transaction's outputs.
  Chunk<O> outputs_;
  std::vector<size_t> output_slots_;
  bool redrive_ = false;

  // Restart position (see update()).
  bool mid_chunk_ = false;
  int64_t offset_ = 0;
};

}  // namespace internal
}  // namespace cppbatch
