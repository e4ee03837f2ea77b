// DeadLetterSkipListener<I, O>: stores every item a fault-tolerant step
// skips as a DeadLetter in the repository's dead-letter table, in the
// transaction of the chunk that skips it. Usually added by the step
// builder:
//
//   StepBuilder("settle", repo).chunk<Txn, Line>(200).reader(...).processor(...).writer(...)
//       .fault_tolerant().skip<MalformedTxn>().skip_limit(1000)
//       .dead_letters()                      // this listener, JSON payloads, repository transactions
//       .build();
//
// What is stored: for a process skip the input item, for a write skip the
// output item, each through its codec (dead_letter_codec.hpp); for a read
// skip the raw record and its source when the error is a RawInputError
// (ParseError is one), else an empty payload; always the phase, the error's
// type and message, the job and step names and execution ids.
//
// Exactly once: skip listeners are called inside the transaction that
// records the skip, just before it commits (skip_listener.hpp), and the
// store writes only inside the repository's transaction — so the step must
// run each chunk in the repository's transaction_manager() (dead_letters()
// sets it; build() refuses another manager). A chunk that rolls back leaves
// no letter; a committed skip always has its letter, committed atomically
// with the step's checkpoint; a restart re-skips (and so re-stores) only
// what no committed chunk recorded. A letter that cannot be stored throws,
// which fails the step (the skip is not committed either).
//
// Register it as both a skip listener and a step listener (builder
// .listener() does both): before_step learns the execution ids.
#pragma once

#include <exception>
#include <memory>
#include <stdexcept>
#include <utility>

#include "cppbatch/core/dead_letter.hpp"
#include "cppbatch/core/dead_letter_codec.hpp"
#include "cppbatch/core/dead_letter_store.hpp"
#include "cppbatch/core/skip_listener.hpp"
#include "cppbatch/core/step_execution.hpp"
#include "cppbatch/core/step_execution_listener.hpp"

namespace cppbatch {

namespace internal {

// A letter for a skip of `execution` in `phase` with `error` (type,
// message; raw input and source for a RawInputError), payload empty.
DeadLetter make_dead_letter(const StepExecution& execution, SkipPhase phase, const std::exception_ptr& error);

// Adds `letter` to `store`; throws std::runtime_error naming the step and
// the store's error when it cannot.
void store_dead_letter(DeadLetterStore& store, const DeadLetter& letter);

}  // namespace internal

template <class I, class O>
class DeadLetterSkipListener final : public SkipListener<I, O>, public StepExecutionListener {
 public:
  // `store` must outlive the listener; `input` serialises skipped input
  // items (process skips), `output` skipped outputs (write skips).
  DeadLetterSkipListener(DeadLetterStore& store, DeadLetterCodec<I> input, DeadLetterCodec<O> output)
      : store_(store), input_(std::move(input)), output_(std::move(output)) {}

  void before_step(StepExecution& execution) override { execution_ = &execution; }

  void on_skip_in_read(const std::exception_ptr& error) override {
    internal::store_dead_letter(store_, internal::make_dead_letter(step(), SkipPhase::READ, error));
  }
  void on_skip_in_process(const I& item, const std::exception_ptr& error) override {
    DeadLetter letter = internal::make_dead_letter(step(), SkipPhase::PROCESS, error);
    letter.payload = input_.serialize(item);
    internal::store_dead_letter(store_, letter);
  }
  void on_skip_in_write(const O& item, const std::exception_ptr& error) override {
    DeadLetter letter = internal::make_dead_letter(step(), SkipPhase::WRITE, error);
    letter.payload = output_.serialize(item);
    internal::store_dead_letter(store_, letter);
  }

 private:
  const StepExecution& step() const {
    if (execution_ == nullptr) {
      throw std::logic_error("DeadLetterSkipListener is not registered as a step listener (use .listener())");
    }
    return *execution_;
  }

  DeadLetterStore& store_;
  DeadLetterCodec<I> input_;
  DeadLetterCodec<O> output_;
  const StepExecution* execution_ = nullptr;
};

}  // namespace cppbatch
