#include "cppbatch/core/abstract_step.hpp"

#include <stdexcept>

#include "cppbatch/common/logging.hpp"
#include "cppbatch/core/job_interrupted_exception.hpp"
#include "core/failure_description.hpp"

namespace cppbatch {

AbstractStep::AbstractStep(StepSettings settings) : settings_(std::move(settings)) {
  if (settings_.repository == nullptr) {
    throw std::invalid_argument("step '" + settings_.options.name + "' has no job repository");
  }
  if (settings_.clock == nullptr) settings_.clock = &settings_.repository->clock();
  tm_ = settings_.transaction_manager ? settings_.transaction_manager : &resourceless_;
}

void AbstractStep::begin_chunk(StepExecution& execution, ChunkContext& context, Snapshot& snapshot) {
  snapshot = Snapshot{execution.version,          execution.read_count,         execution.write_count,
                      execution.filter_count,     execution.read_skip_count,    execution.process_skip_count,
                      execution.write_skip_count, execution.commit_count,       execution.exit_status,
                      execution.execution_context};
  auto begun = tm_->begin();
  if (!begun) throw std::runtime_error("could not begin the chunk transaction: " + begun.error().message());
  in_transaction_ = true;
  for (auto& listener : settings_.chunk_listeners) listener->before_chunk(context);
}

void AbstractStep::commit_chunk(StepExecution& execution, StepContribution& contribution, ChunkContext& context) {
  for (ItemStream* stream : settings_.streams) stream->update(execution.execution_context);
  execution.apply(contribution);
  execution.commit_count += 1;
  auto updated = repository().update(execution);
  if (!updated) throw std::runtime_error("could not save the checkpoint: " + updated.error().to_string());
  auto committed = tm_->commit();
  if (!committed) throw std::runtime_error("could not commit the chunk: " + committed.error().message());
  in_transaction_ = false;
  for (auto& listener : settings_.chunk_listeners) listener->after_chunk(context);
}

void AbstractStep::rollback_chunk(StepExecution& execution, const Snapshot& snapshot, ChunkContext& context,
                                  const std::exception* error) {
  tm_->rollback();
  in_transaction_ = false;
  rollback_discarded_ = true;
  for (ItemStream* stream : settings_.streams) {
    try {
      stream->discard_uncommitted();
    } catch (const std::exception& e) {
      rollback_discarded_ = false;
      logger().error("a stream could not discard a rolled-back chunk: {}", e.what());
    } catch (...) {
      rollback_discarded_ = false;
      logger().error("a stream could not discard a rolled-back chunk");
    }
  }
  execution.version = snapshot.version;
  execution.read_count = snapshot.read;
  execution.write_count = snapshot.write;
  execution.filter_count = snapshot.filter;
  execution.read_skip_count = snapshot.read_skip;
  execution.process_skip_count = snapshot.process_skip;
  execution.write_skip_count = snapshot.write_skip;
  execution.commit_count = snapshot.commit;
  execution.exit_status = snapshot.exit_status;
  execution.execution_context = snapshot.context;
  execution.rollback_count += 1;
  if (error != nullptr) {
    for (auto& listener : settings_.chunk_listeners) {
      try {
        listener->after_chunk_error(context, *error);
      } catch (const std::exception& e) {
        logger().error("chunk listener failed after a rollback: {}", e.what());
      }
    }
  }
}

void AbstractStep::execute(StepExecution& execution) {
  const std::string label = execution.job_execution
                                ? execution.job_execution->job_name() + "#" + std::to_string(execution.job_execution->id) +
                                      "/" + execution.step_name
                                : execution.step_name;
  logger().info("[{}] step started", label);
  execution.start_time = clock().now();
  execution.status = BatchStatus::STARTED;
  auto started = repository().update(execution);
  ExitStatus exit_status = ExitStatus::executing();
  bool opened = false;
  try {
    if (!started) throw std::runtime_error("could not mark the step STARTED: " + started.error().to_string());
    for (auto& listener : settings_.step_listeners) listener->before_step(execution);
    for (ItemStream* stream : settings_.streams) stream->open(execution.execution_context);
    opened = true;
    if (!settings_.streams.empty()) {
      // As Spring does: save where the streams start, so a crash before the
      // first commit restarts from a known position (e.g. the offset an
      // appending file writer must truncate back to).
      for (ItemStream* stream : settings_.streams) stream->update(execution.execution_context);
      auto saved_start = repository().update_execution_context(execution);
      if (!saved_start) {
        throw std::runtime_error("could not save the step's starting context: " + saved_start.error().to_string());
      }
    }
    do_execute(execution);
    exit_status = ExitStatus::completed().and_(execution.exit_status);
    if (execution.terminate_only) throw JobInterruptedException();
    execution.upgrade_status(BatchStatus::COMPLETED);
  } catch (const JobInterruptedException& e) {
    execution.upgrade_status(BatchStatus::STOPPED);
    exit_status = exit_status.and_(ExitStatus::stopped(e.what()));
    logger().info("[{}] step stopped: {}", label, e.what());
  } catch (const std::exception& e) {
    execution.upgrade_status(BatchStatus::FAILED);
    std::string description = internal::describe_failure(e);
    exit_status = exit_status.and_(ExitStatus::failed(description));
    execution.failures.push_back(description);
    logger().error("[{}] step failed: {}", label, description);
  } catch (...) {
    execution.upgrade_status(BatchStatus::FAILED);
    exit_status = exit_status.and_(ExitStatus::failed("unknown exception"));
    execution.failures.emplace_back("unknown exception");
    logger().error("[{}] step failed with an unknown exception", label);
  }
  execution.exit_status = exit_status;
  for (auto it = settings_.step_listeners.rbegin(); it != settings_.step_listeners.rend(); ++it) {
    try {
      if (auto listener_status = (*it)->after_step(execution)) exit_status = exit_status.and_(*listener_status);
    } catch (const std::exception& e) {
      execution.upgrade_status(BatchStatus::FAILED);
      exit_status = exit_status.and_(ExitStatus::failed(std::string("afterStep listener failed: ") + e.what()));
    }
  }
  execution.exit_status = exit_status;
  auto context_saved = repository().update_execution_context(execution);
  if (!context_saved) {
    execution.upgrade_status(BatchStatus::UNKNOWN);
    execution.exit_status = execution.exit_status.and_(ExitStatus::unknown()).add_description(
        "could not save the step's execution context: " + context_saved.error().to_string());
  }
  execution.end_time = clock().now();
  auto saved = repository().update(execution);
  if (!saved) {
    // Spring's rule: when the final state cannot be stored it is UNKNOWN
    // and the step may not be restarted blindly.
    execution.upgrade_status(BatchStatus::UNKNOWN);
    execution.exit_status = execution.exit_status.and_(ExitStatus::unknown()).add_description(
        "could not save the step's final state: " + saved.error().to_string());
    logger().error("[{}] could not save the step's final state: {}", label, saved.error().to_string());
  }
  if (opened) {
    for (ItemStream* stream : settings_.streams) {
      try {
        stream->close();
      } catch (const std::exception& e) {
        logger().error("[{}] closing a stream failed: {}", label, e.what());
      }
    }
  }
  logger().info("[{}] step ended {} (exit {}): read={} written={} filtered={} commits={} rollbacks={} skips={}", label,
                to_string(execution.status), execution.exit_status.code(), execution.read_count,
                execution.write_count, execution.filter_count, execution.commit_count, execution.rollback_count,
                execution.skip_count());
}

}  // namespace cppbatch

namespace cppbatch {
void AbstractStep::check_interrupted(const StepExecution& execution) {
  if (execution.terminate_only) throw JobInterruptedException();
}
}  // namespace cppbatch
