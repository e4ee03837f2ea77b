// The dead-letter reprocessing job: reads a job's dead letters, runs each
// again through the original step's processor and writer (after the cause
// was fixed: a corrected reference table, a repaired record, a service back
// up) and marks it RESOLVED, FAILED_AGAIN or PARKED. It is an ordinary
// cppbatch job named dead_letter_job_name(job) ("settlementJob.dlq"):
// chunked, in the repository, restartable; `cppbatch dlq retry --job J`
// launches it (a new instance each time, through run.id).
//
//   registry.add(dead_letter_job_name("settlementJob"), [](JobRepository& repo) {
//     return DeadLetterReprocessingJobBuilder("settlementJob", repo)
//         .route<Txn, Line>("settle", {.processor = std::make_unique<FeeCalculator>(),
//                                      .writer = std::make_unique<LateSettlementWriter>()})
//         .max_attempts(3)
//         .build();
//   });
//
// Parameters of a run: `error.type` (string, optional: only letters with
// that ERROR_TYPE; empty: any), `status` (string, optional: the statuses to
// retry, comma-separated; absent or empty: "NEW,FAILED_AGAIN"), `run.id`;
// others are left to the routes' components (e.g. a working directory).
//
// What a run does, per letter of the job (by ascending id, in chunks of
// chunk_size, one repository transaction each): a letter whose status is
// not selected is passed over (counted as filtered); otherwise its step's
// route rebuilds the item — READ: parse_raw(letter), PROCESS: the input
// codec's deserialize then the processor, WRITE: the output codec's
// deserialize — and the writer writes it. Success (or the processor
// filtering the item): RESOLVED. Any failure: attempts + 1, last_error (its
// message, prefixed with its type when that differs from the original
// error's), FAILED_AGAIN, or PARKED once attempts reach max_attempts. Failures are
// isolated per letter by the fault-tolerant step (a failed write is
// scanned item by item), so one bad letter does not block the others. The
// mark commits with the chunk, in the repository's transaction; the route's
// writer must be idempotent or transactional, as any writer whose resource
// is not the repository (DESIGN.md contract 1). A letter of a step without
// a route, or a dead-letter table that cannot be read or updated, fails
// the run (DeadLetterReprocessingError).
//
// The step's context counts the outcomes: "deadLetters.resolved",
// "deadLetters.failedAgain", "deadLetters.parked".
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "cppbatch/core/chunk.hpp"
#include "cppbatch/core/dead_letter.hpp"
#include "cppbatch/core/dead_letter_codec.hpp"
#include "cppbatch/core/item_processor.hpp"
#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/core/item_writer.hpp"
#include "cppbatch/core/job.hpp"
#include "cppbatch/core/job_repository.hpp"
#include "cppbatch/core/step_execution_listener.hpp"

namespace cppbatch {

// "<job_name>.dlq": the registry name of a job's reprocessing job.
std::string dead_letter_job_name(std::string_view job_name);

inline constexpr const char* kDeadLetterErrorTypeParameter = "error.type";
inline constexpr const char* kDeadLetterStatusParameter = "status";
// Keys of the outcome counts in the reprocessing step's context.
inline constexpr const char* kDeadLettersResolvedKey = "deadLetters.resolved";
inline constexpr const char* kDeadLettersFailedAgainKey = "deadLetters.failedAgain";
inline constexpr const char* kDeadLettersParkedKey = "deadLetters.parked";

// The reprocessing cannot go on: a letter of a step without a route, or the
// dead-letter table failed. Never skipped.
class DeadLetterReprocessingError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// How one original step's letters are reprocessed. The processor and the
// writer are the step's own kinds (the program creates them afresh for the
// reprocessing job); components that are ItemStreams are opened, updated
// and closed with the reprocessing step.
template <class I, class O>
struct DeadLetterRoute {
  std::unique_ptr<ItemProcessor<I, O>> processor;  // null: identity (I == O only)
  std::unique_ptr<ItemWriter<O>> writer;           // required
  // Unset deserialize: the default codec when the type has one (JSON, or
  // std::string); otherwise letters of that phase fail to reprocess.
  DeadLetterCodec<I> input;
  DeadLetterCodec<O> output;
  // Rebuilds the item of a READ letter from its raw payload and source;
  // null: READ letters fail to reprocess ("no parser for raw input").
  std::function<I(const DeadLetter&)> parse_raw;
};

namespace internal {

// A route with its types erased; an ItemStream over its components.
class ErasedDeadLetterRoute : public ItemStream {
 public:
  // The output for `letter` (null: the processor filtered it). Throws when
  // the item cannot be rebuilt or processed.
  virtual std::shared_ptr<void> reprocess(const DeadLetter& letter) = 0;
  // Writes outputs returned by reprocess() (non-null), in one call.
  virtual void write(const std::vector<const void*>& outputs) = 0;
};

// Throws std::runtime_error: the letter's phase cannot be rebuilt.
[[noreturn]] void cannot_rebuild(const DeadLetter& letter, const char* what);

template <class I, class O>
class TypedDeadLetterRoute final : public ErasedDeadLetterRoute {
 public:
  explicit TypedDeadLetterRoute(DeadLetterRoute<I, O> route) : r_(std::move(route)) {
    if (!r_.writer) throw std::invalid_argument("dead-letter route without a writer");
    if constexpr (!std::is_same_v<I, O>) {
      if (!r_.processor) throw std::invalid_argument("dead-letter route converts items but has no processor");
    }
    fill_default(r_.input);
    fill_default(r_.output);
  }

  std::shared_ptr<void> reprocess(const DeadLetter& letter) override {
    switch (letter.phase) {
      case SkipPhase::READ:
        if (!r_.parse_raw) cannot_rebuild(letter, "no parser for raw input");
        return process(r_.parse_raw(letter));
      case SkipPhase::PROCESS:
        if (!r_.input.deserialize) cannot_rebuild(letter, "no codec for its input items");
        return process(r_.input.deserialize(letter.payload));
      case SkipPhase::WRITE:
        if (!r_.output.deserialize) cannot_rebuild(letter, "no codec for its output items");
        return std::make_shared<O>(r_.output.deserialize(letter.payload));
    }
    cannot_rebuild(letter, "unknown phase");
  }

  void write(const std::vector<const void*>& outputs) override {
    chunk_.clear();
    for (const void* output : outputs) chunk_.add(O(*static_cast<const O*>(output)));
    r_.writer->write(chunk_);
  }

  void open(ExecutionContext& context) override {
    for (ItemStream* s : streams()) s->open(context);
  }
  void update(ExecutionContext& context) override {
    for (ItemStream* s : streams()) s->update(context);
  }
  void close() override {
    for (ItemStream* s : streams()) s->close();
  }
  void discard_uncommitted() override {
    for (ItemStream* s : streams()) s->discard_uncommitted();
  }

 private:
  template <class T>
  static void fill_default(DeadLetterCodec<T>& codec) {
    if constexpr (JsonConvertible<T> || std::is_same_v<T, std::string>) {
      if (!codec.deserialize) codec = default_dead_letter_codec<T>();
    }
  }

  std::shared_ptr<void> process(I item) {
    if constexpr (std::is_same_v<I, O>) {
      if (!r_.processor) return std::make_shared<O>(std::move(item));
    }
    std::optional<O> output = r_.processor->process(item);
    if (!output) return nullptr;
    return std::make_shared<O>(std::move(*output));
  }

  std::vector<ItemStream*> streams() {
    std::vector<ItemStream*> out;
    if (auto* s = dynamic_cast<ItemStream*>(r_.processor.get())) out.push_back(s);
    if (auto* s = dynamic_cast<ItemStream*>(r_.writer.get())) out.push_back(s);
    return out;
  }

  DeadLetterRoute<I, O> r_;
  Chunk<O> chunk_;
};

}  // namespace internal

class DeadLetterReprocessingJobBuilder {
 public:
  // Reprocesses the letters of `job_name`; `repository` must outlive the job.
  DeadLetterReprocessingJobBuilder(std::string job_name, JobRepository& repository);

  // Letters skipped by step `step_name` go through `route`. Throws
  // std::invalid_argument for a route without a writer (or without a
  // processor when I != O) or a step routed twice.
  template <class I, class O = I>
  DeadLetterReprocessingJobBuilder& route(const std::string& step_name, DeadLetterRoute<I, O> route) {
    add_route(step_name, std::make_unique<internal::TypedDeadLetterRoute<I, O>>(std::move(route)));
    return *this;
  }
  // Letters per chunk (one repository transaction). Default 100.
  DeadLetterReprocessingJobBuilder& chunk_size(size_t size);
  // A letter failing its n-th attempt is PARKED. Default 3; at least 1.
  DeadLetterReprocessingJobBuilder& max_attempts(int64_t attempts);
  // A listener of the reprocessing step (e.g. the scope that hands job
  // parameters to the routes' deferred writers).
  DeadLetterReprocessingJobBuilder& listener(std::shared_ptr<StepExecutionListener> listener);

  // The job dead_letter_job_name(job_name). Throws std::invalid_argument
  // when no route was given.
  std::unique_ptr<Job> build();

 private:
  void add_route(const std::string& step_name, std::unique_ptr<internal::ErasedDeadLetterRoute> route);

  std::string job_name_;
  JobRepository& repository_;
  std::map<std::string, std::unique_ptr<internal::ErasedDeadLetterRoute>, std::less<>> routes_;
  size_t chunk_size_ = 100;
  int64_t max_attempts_ = 3;
  std::vector<std::shared_ptr<StepExecutionListener>> listeners_;
};

}  // namespace cppbatch
