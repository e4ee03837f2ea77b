// AbstractStep: the lifecycle every step shares (Spring's AbstractStep):
// mark STARTED, call listeners, open streams, run do_execute(), turn the
// outcome into status + exit status, persist, close streams. Subclasses
// implement do_execute() and run each unit of work through run_chunk(),
// which gives it Spring's transaction semantics.
//
// Not thread-safe: one execution at a time per step object.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "cppbatch/common/clock.hpp"
#include "cppbatch/core/chunk_listener.hpp"
#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/core/job_repository.hpp"
#include "cppbatch/core/step.hpp"
#include "cppbatch/core/step_contribution.hpp"
#include "cppbatch/core/step_execution_listener.hpp"
#include "cppbatch/core/transaction_manager.hpp"

namespace cppbatch {

// Everything a step needs besides its work; filled by StepBuilder.
struct StepSettings {
  StepOptions options;
  JobRepository* repository = nullptr;  // required; must outlive the step
  // The manager each chunk runs in. Null (the default): no resource
  // transaction around the chunk — the writer commits its own resource and
  // the checkpoint is stored in its own short repository transaction
  // afterwards (DESIGN.md contract 1, second case). Set it to the
  // repository's transaction_manager() when the writer writes to the
  // repository's database, so items and checkpoint commit atomically; the
  // repository's write lock is then held for the whole chunk.
  TransactionManager* transaction_manager = nullptr;
  std::vector<std::shared_ptr<StepExecutionListener>> step_listeners;
  std::vector<std::shared_ptr<ChunkListener>> chunk_listeners;
  // Streams opened/updated/closed with the step; not owned (the step's
  // components own them).
  std::vector<ItemStream*> streams;
  Clock* clock = nullptr;  // null: the repository's clock()
};

class AbstractStep : public Step {
 public:
  explicit AbstractStep(StepSettings settings);
  const StepOptions& options() const override { return settings_.options; }
  void execute(StepExecution& execution) final;

 protected:
  // The step's work. Throws to fail the step; JobInterruptedException to
  // stop it.
  virtual void do_execute(StepExecution& execution) = 0;

  // Runs `body(contribution, chunk_context)` as one chunk (the context is
  // the one chunk listeners see): begin the transaction, body,
  // update streams, apply the contribution, commit_count + 1, persist the
  // step execution (joining the transaction), commit. On any exception:
  // roll back, restore the step execution (counters, version, context) to
  // its pre-chunk state,
  // rollback_count + 1, let every stream discard_uncommitted(), rethrow.
  template <class Body>
  void run_chunk(StepExecution& execution, Body&& body);

  JobRepository& repository() const { return *settings_.repository; }
  Clock& clock() const { return *settings_.clock; }
  void add_stream(ItemStream* stream) { settings_.streams.push_back(stream); }
  // Throws JobInterruptedException if a stop was requested.
  static void check_interrupted(const StepExecution& execution);
  // Whether every stream discarded the last rolled-back chunk's output; a
  // step that would carry on after a rollback must fail otherwise.
  bool rollback_discarded() const { return rollback_discarded_; }

 private:
  struct Snapshot {
    int64_t version, read, write, filter, read_skip, process_skip, write_skip, commit;
    ExitStatus exit_status;
    ExecutionContext context;
  };
  void begin_chunk(StepExecution& execution, ChunkContext& context, Snapshot& snapshot);
  void commit_chunk(StepExecution& execution, StepContribution& contribution, ChunkContext& context);
  void rollback_chunk(StepExecution& execution, const Snapshot& snapshot, ChunkContext& context,
                      const std::exception* error);

  StepSettings settings_;
  ResourcelessTransactionManager resourceless_;
  TransactionManager* tm_;
  bool in_transaction_ = false;
  bool rollback_discarded_ = true;
};

template <class Body>
void AbstractStep::run_chunk(StepExecution& execution, Body&& body) {
  ChunkContext context(execution);
  Snapshot snapshot{};
  try {
    begin_chunk(execution, context, snapshot);
    StepContribution contribution(execution);
    body(contribution, context);
    commit_chunk(execution, contribution, context);
  } catch (const std::exception& error) {
    if (in_transaction_) rollback_chunk(execution, snapshot, context, &error);
    throw;
  } catch (...) {
    if (in_transaction_) rollback_chunk(execution, snapshot, context, nullptr);
    throw;
  }
}

}  // namespace cppbatch
