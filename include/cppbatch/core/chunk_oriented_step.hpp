// ChunkOrientedStep<I, O>: read → process → write in chunks, one
// transaction per chunk (Spring's chunk-oriented TaskletStep).
//
// Each chunk reads items until the completion policy says full or the
// reader ends, processes them (empty result = filtered), writes the
// survivors in one write() call, saves stream positions and counters and
// commits. The chunk that meets end of input still commits (so an input of
// exactly k·n items reports k + 1 commits, as Spring Batch does). Any
// exception rolls the chunk back and fails the step — unless fault
// tolerance is configured (StepBuilder(...).chunk<I, O>(n)...fault_tolerant(),
// see fault_tolerance.hpp): then skip, retry and scan apply, driven by
// internal::FaultTolerantChunkProcessor. Without it the per-item path is
// the plain loop below and pays nothing for fault tolerance.
//
// With read-ahead (StepBuilder(...).chunk<I, O>(n).read_ahead(), not for
// fault-tolerant steps) a second thread reads the next chunk while this
// one is processed, written and committed (internal/read_ahead.hpp); the
// reader and the read listeners then run on that thread.
//
// Build it with StepBuilder(...).chunk<I, O>(n); the step owns its
// components. Not thread-safe: one execution at a time.
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "cppbatch/core/abstract_step.hpp"
#include "cppbatch/core/completion_policy.hpp"
#include "cppbatch/core/fault_tolerance.hpp"
#include "cppbatch/core/internal/fault_tolerant_chunk_processor.hpp"
#include "cppbatch/core/internal/read_chunk.hpp"
#include "cppbatch/core/internal/read_ahead.hpp"
#include "cppbatch/core/item_listeners.hpp"
#include "cppbatch/core/item_processor.hpp"
#include "cppbatch/core/item_reader.hpp"
#include "cppbatch/core/item_writer.hpp"
#include "cppbatch/core/skip_listener.hpp"

namespace cppbatch {

template <class I, class O>
struct ChunkComponents {
  std::unique_ptr<ItemReader<I>> reader;
  std::unique_ptr<ItemProcessor<I, O>> processor;  // null: identity (I == O)
  std::unique_ptr<ItemWriter<O>> writer;
  std::unique_ptr<CompletionPolicy> completion_policy;
  std::vector<std::shared_ptr<ItemReadListener<I>>> read_listeners;
  std::vector<std::shared_ptr<ItemProcessListener<I, O>>> process_listeners;
  std::vector<std::shared_ptr<ItemWriteListener<O>>> write_listeners;
  // Set: the step is fault-tolerant (skip, retry, scan).
  std::optional<FaultToleranceOptions> fault_tolerance;
  std::vector<std::shared_ptr<SkipListener<I, O>>> skip_listeners;  // fault-tolerant steps only
  // A second thread reads the next chunk while one is written (see above).
  bool read_ahead = false;
  // Extra objects kept alive with the step (e.g. explicit streams).
  std::vector<std::shared_ptr<void>> owned;
};

template <class I, class O>
class ChunkOrientedStep final : public AbstractStep {
 public:
  ChunkOrientedStep(StepSettings settings, ChunkComponents<I, O> components)
      : AbstractStep(std::move(settings)), c_(std::move(components)) {
    if (!c_.reader) throw std::invalid_argument("chunk step '" + options().name + "' has no reader");
    if (!c_.writer) throw std::invalid_argument("chunk step '" + options().name + "' has no writer");
    if (!c_.completion_policy) throw std::invalid_argument("chunk step '" + options().name + "' has no chunk size");
    if constexpr (!std::is_same_v<I, O>) {
      if (!c_.processor) {
        throw std::invalid_argument("chunk step '" + options().name + "' converts items but has no processor");
      }
    }
    if (c_.read_ahead && c_.fault_tolerance) {
      throw std::invalid_argument("chunk step '" + options().name +
                                  "': read-ahead is not available on a fault-tolerant step");
    }
    if (c_.read_ahead) {
      read_ahead_ = std::make_unique<internal::ReadAhead<I>>(
          *c_.reader, dynamic_cast<ItemStream*>(c_.reader.get()), *c_.completion_policy, c_.read_listeners);
      add_stream(read_ahead_.get());
    } else if (c_.fault_tolerance) {
      // The fault-tolerant engine wraps the reader's stream (to keep its
      // position at the start of a partly committed chunk).
      ft_ = std::make_unique<internal::FaultTolerantChunkProcessor<I, O>>(
          c_, *c_.fault_tolerance, dynamic_cast<ItemStream*>(c_.reader.get()));
      add_stream(ft_.get());
    } else {
      register_stream(c_.reader.get());
    }
    register_stream(c_.processor.get());
    register_stream(c_.writer.get());
  }

 protected:
  void do_execute(StepExecution& execution) override {
    if (ft_) {
      execute_fault_tolerant(execution);
      return;
    }
    bool end = false;
    while (!end) {
      run_chunk(execution, [&](StepContribution& contribution, ChunkContext&) { end = run_one_chunk(contribution); });
      check_interrupted(execution);
    }
  }

 private:
  template <class T>
  void register_stream(T* component) {
    if (auto* stream = dynamic_cast<ItemStream*>(component)) add_stream(stream);
  }

  // One transaction per call of run_chunk; a transaction that rolled back
  // for a retry, a recovery or a scan is followed by the next one on the
  // same chunk, anything else fails the step.
  void execute_fault_tolerant(StepExecution& execution) {
    while (!ft_->finished()) {
      bool committed = false;
      try {
        run_chunk(execution,
                  [this](StepContribution& contribution, ChunkContext&) { ft_->run_transaction(contribution); });
        committed = true;
      } catch (...) {
        if (!ft_->redrive()) throw;
        if (!rollback_discarded()) {
          throw std::runtime_error("cannot retry or scan the chunk: a stream could not discard its rolled-back output");
        }
      }
      if (committed) ft_->committed();
      check_interrupted(execution);
    }
  }

  // Returns true when the reader reached the end of input.
  bool run_one_chunk(StepContribution& contribution) {
    bool end;
    if (read_ahead_) {
      end = read_ahead_->take(inputs_);
    } else {
      inputs_.clear();
      end = internal::read_chunk(*c_.reader, c_.read_listeners, *c_.completion_policy, inputs_);
    }
    contribution.increment_read_count(static_cast<int64_t>(inputs_.size()));
    if constexpr (std::is_same_v<I, O>) {
      if (!c_.processor) {
        write_chunk(inputs_, contribution);
        return end;
      }
    }
    outputs_.clear();
    for (const I& item : inputs_) {
      std::optional<O> result = process(item);
      if (result) {
        outputs_.add(std::move(*result));
      } else {
        contribution.increment_filter_count();
      }
    }
    write_chunk(outputs_, contribution);
    return end;
  }

  std::optional<O> process(const I& item) {
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

  void write_chunk(const Chunk<O>& items, StepContribution& contribution) {
    if (items.empty()) return;
    for (auto& l : c_.write_listeners) l->before_write(items);
    try {
      c_.writer->write(items);
    } catch (const std::exception& error) {
      for (auto& l : c_.write_listeners) l->on_write_error(error, items);
      throw;
    }
    for (auto& l : c_.write_listeners) l->after_write(items);
    contribution.increment_write_count(static_cast<int64_t>(items.size()));
  }

  ChunkComponents<I, O> c_;
  std::unique_ptr<internal::FaultTolerantChunkProcessor<I, O>> ft_;  // null: not fault-tolerant
  std::unique_ptr<internal::ReadAhead<I>> read_ahead_;              // null: read on the step's thread
  Chunk<I> inputs_;
  Chunk<O> outputs_;
};

}  // namespace cppbatch
