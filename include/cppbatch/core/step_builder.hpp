// StepBuilder: the fluent way to define a step.
//
//   auto load = StepBuilder("load", repo)
//       .chunk<Line, Row>(200)
//       .reader(std::make_unique<DelimitedFileReader<Line>>(...))
//       .processor([](const Line& l) -> std::optional<Row> { return to_row(l); })
//       .writer(std::make_unique<SqliteBatchWriter<Row>>(...))
//       .build();
//   auto tolerant = StepBuilder("load", repo)
//       .chunk<Line, Row>(200).reader(...).processor(...).writer(...)
//       .fault_tolerant()                      // FaultTolerantStepBuilder from here
//       .skip<ParseError>().skip_limit(50)
//       .retry<DeadlockError>().retry_limit(3)
//       .dead_letters()                        // skipped items kept in the repository
//       .build();
//   auto report = StepBuilder("report", repo)
//       .tasklet([](StepContribution&, ChunkContext&) { return RepeatStatus::FINISHED; })
//       .build();
//   auto nested = StepBuilder("extracts", repo).flow(extracts_flow).build();   // flow_step.hpp
//   auto child = StepBuilder("loadAll", repo).job(load_job).build();           // job_step.hpp
//
// Components passed by unique_ptr (or as lambdas) are owned by the step;
// components that are also ItemStreams are opened, updated and closed by
// it. build() throws std::invalid_argument when something required is
// missing (no reader, no writer...).
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "cppbatch/core/abstract_step.hpp"
#include "cppbatch/core/chunk_oriented_step.hpp"
#include "cppbatch/core/dead_letter_skip_listener.hpp"
#include "cppbatch/core/function_adapters.hpp"
#include "cppbatch/core/tasklet_step.hpp"

namespace cppbatch {

class TaskletStepBuilder;
class FlowStepBuilder;  // flow_step.hpp
class JobStepBuilder;   // job_step.hpp
class Flow;
class Job;
template <class I, class O>
class ChunkStepBuilder;
template <class I, class O>
class FaultTolerantStepBuilder;

namespace internal {
// Adds `listener` to every item-level listener list of `components` whose
// interface it implements.
template <class I, class O, class L>
void add_item_listeners(ChunkComponents<I, O>& components, const std::shared_ptr<L>& listener) {
  if constexpr (std::is_base_of_v<ItemReadListener<I>, L>) components.read_listeners.push_back(listener);
  if constexpr (std::is_base_of_v<ItemProcessListener<I, O>, L>) components.process_listeners.push_back(listener);
  if constexpr (std::is_base_of_v<ItemWriteListener<O>, L>) components.write_listeners.push_back(listener);
}
}  // namespace internal

// Settings shared by every kind of step builder.
template <class Self>
class StepBuilderBase {
 public:
  Self& allow_start_if_complete(bool allow = true) {
    settings_.options.allow_start_if_complete = allow;
    return self();
  }
  Self& start_limit(int64_t limit) {
    settings_.options.start_limit = limit;
    return self();
  }
  // Runs each chunk in this manager's transaction. Pass the repository's
  // transaction_manager() when the writer writes to the repository's own
  // database: items and checkpoint then commit atomically.
  Self& transaction_manager(TransactionManager& manager) {
    settings_.transaction_manager = &manager;
    return self();
  }
  Self& clock(Clock& clock) {
    settings_.clock = &clock;
    return self();
  }
  // Registers an ItemStream owned elsewhere (must outlive the step).
  Self& stream(ItemStream& stream) {
    settings_.streams.push_back(&stream);
    return self();
  }

 protected:
  explicit StepBuilderBase(StepSettings settings) : settings_(std::move(settings)) {}
  Self& self() { return static_cast<Self&>(*this); }
  // Registers `listener` under every step-level listener interface it has.
  template <class L>
  void add_step_level_listener(const std::shared_ptr<L>& listener) {
    if constexpr (std::is_base_of_v<StepExecutionListener, L>) settings_.step_listeners.push_back(listener);
    if constexpr (std::is_base_of_v<ChunkListener, L>) settings_.chunk_listeners.push_back(listener);
  }
  StepSettings settings_;
};

class StepBuilder : public StepBuilderBase<StepBuilder> {
 public:
  // `repository` must outlive the built step.
  StepBuilder(std::string name, JobRepository& repository) : StepBuilderBase(make_settings(std::move(name), repository)) {}

  template <class L>
  StepBuilder& listener(std::shared_ptr<L> listener) {
    add_step_level_listener(listener);
    return *this;
  }

  TaskletStepBuilder tasklet(std::unique_ptr<Tasklet> tasklet);
  template <TaskletFunction F>
  TaskletStepBuilder tasklet(F function);

  // A flow run as one step (include flow_step.hpp).
  FlowStepBuilder flow(std::shared_ptr<const Flow> flow);
  // A job run as one step (include job_step.hpp).
  JobStepBuilder job(std::shared_ptr<Job> job);

  // A chunk step reading I and writing O, committing every `chunk_size` items.
  template <class I, class O = I>
  ChunkStepBuilder<I, O> chunk(size_t chunk_size);
  template <class I, class O = I>
  ChunkStepBuilder<I, O> chunk(std::unique_ptr<CompletionPolicy> policy);

 private:
  static StepSettings make_settings(std::string name, JobRepository& repository) {
    StepSettings settings;
    settings.options.name = std::move(name);
    settings.repository = &repository;
    return settings;
  }
};

class TaskletStepBuilder : public StepBuilderBase<TaskletStepBuilder> {
 public:
  TaskletStepBuilder(StepSettings settings, std::unique_ptr<Tasklet> tasklet)
      : StepBuilderBase(std::move(settings)), tasklet_(std::move(tasklet)) {}
  template <class L>
  TaskletStepBuilder& listener(std::shared_ptr<L> listener) {
    add_step_level_listener(listener);
    return *this;
  }
  std::unique_ptr<Step> build() { return std::make_unique<TaskletStep>(std::move(settings_), std::move(tasklet_)); }

 private:
  std::unique_ptr<Tasklet> tasklet_;
};

template <class I, class O>
class ChunkStepBuilder : public StepBuilderBase<ChunkStepBuilder<I, O>> {
  using Base = StepBuilderBase<ChunkStepBuilder<I, O>>;

 public:
  ChunkStepBuilder(StepSettings settings, std::unique_ptr<CompletionPolicy> policy) : Base(std::move(settings)) {
    components_.completion_policy = std::move(policy);
  }

  ChunkStepBuilder& reader(std::unique_ptr<ItemReader<I>> reader) {
    components_.reader = std::move(reader);
    return *this;
  }
  template <ReaderFunction<I> F>
  ChunkStepBuilder& reader(F function) {
    return reader(std::make_unique<FunctionItemReader<I, F>>(std::move(function)));
  }
  ChunkStepBuilder& processor(std::unique_ptr<ItemProcessor<I, O>> processor) {
    components_.processor = std::move(processor);
    return *this;
  }
  template <ProcessorFunction<I, O> F>
  ChunkStepBuilder& processor(F function) {
    return processor(std::make_unique<FunctionItemProcessor<I, O, F>>(std::move(function)));
  }
  ChunkStepBuilder& writer(std::unique_ptr<ItemWriter<O>> writer) {
    components_.writer = std::move(writer);
    return *this;
  }
  template <WriterFunction<O> F>
  ChunkStepBuilder& writer(F function) {
    return writer(std::make_unique<FunctionItemWriter<O, F>>(std::move(function)));
  }
  // Keeps a stream alive with the step and opens/updates/closes it.
  ChunkStepBuilder& stream(std::shared_ptr<ItemStream> stream) {
    this->settings_.streams.push_back(stream.get());
    components_.owned.push_back(std::move(stream));
    return *this;
  }
  using Base::stream;

  // Registers `listener` under every listener interface it implements
  // (step, chunk, item read/process/write).
  template <class L>
  ChunkStepBuilder& listener(std::shared_ptr<L> listener) {
    this->add_step_level_listener(listener);
    internal::add_item_listeners(components_, listener);
    return *this;
  }

  // Reads the next chunk on a second thread while this one is processed,
  // written and committed (the reader and read listeners then run on that
  // thread; restart stays exact). Worth it when the writer waits on a
  // server; the reader must not share the writer's or the repository's
  // connection. Not for fault-tolerant steps (build() throws).
  ChunkStepBuilder& read_ahead(bool on = true) {
    components_.read_ahead = on;
    return *this;
  }

  // Makes the step fault-tolerant; configure skip/retry on the result.
  FaultTolerantStepBuilder<I, O> fault_tolerant();

  std::unique_ptr<Step> build() {
    return std::make_unique<ChunkOrientedStep<I, O>>(std::move(this->settings_), std::move(components_));
  }

 private:
  ChunkComponents<I, O> components_;
};

// The fault-tolerant half of a chunk step's definition (Spring's
// FaultTolerantStepBuilder): what may be skipped or retried, and how. Each
// call fills a field of FaultToleranceOptions (see fault_tolerance.hpp for
// the defaults and the behaviour). Error kinds are classified by type
// hierarchy, the most specific registered type winning:
//   .skip<std::runtime_error>().no_skip<FatalError>()   // FatalError derives from runtime_error
template <class I, class O>
class FaultTolerantStepBuilder : public StepBuilderBase<FaultTolerantStepBuilder<I, O>> {
  using Base = StepBuilderBase<FaultTolerantStepBuilder<I, O>>;

 public:
  FaultTolerantStepBuilder(StepSettings settings, ChunkComponents<I, O> components)
      : Base(std::move(settings)), components_(std::move(components)) {}

  // Errors of kind E (and derived kinds) may be skipped.
  template <class E>
  FaultTolerantStepBuilder& skip() {
    options_.skippable.template add<E>(true);
    return *this;
  }
  // Errors of kind E are never skipped (overrides a skip<> of a base kind).
  template <class E>
  FaultTolerantStepBuilder& no_skip() {
    options_.skippable.template add<E>(false);
    return *this;
  }
  // Skips allowed in one execution, all phases together (default 10).
  FaultTolerantStepBuilder& skip_limit(int64_t limit) {
    options_.skip_limit = limit;
    return *this;
  }
  // An extra policy: an item is skipped if it or skip<>/skip_limit allows.
  FaultTolerantStepBuilder& skip_policy(std::shared_ptr<SkipPolicy> policy) {
    options_.skip_policy = std::move(policy);
    return *this;
  }
  template <class E>
  FaultTolerantStepBuilder& retry() {
    options_.retryable.template add<E>(true);
    return *this;
  }
  template <class E>
  FaultTolerantStepBuilder& no_retry() {
    options_.retryable.template add<E>(false);
    return *this;
  }
  // Attempts in all for a retryable error (Spring's retryLimit).
  FaultTolerantStepBuilder& retry_limit(int64_t limit) {
    options_.retry_limit = limit;
    return *this;
  }
  FaultTolerantStepBuilder& retry_policy(std::shared_ptr<const RetryPolicy> policy) {
    options_.retry_policy = std::move(policy);
    return *this;
  }
  // Waited between two attempts (its Sleeper decides how: tests record).
  FaultTolerantStepBuilder& back_off(std::shared_ptr<const BackOffPolicy> policy) {
    options_.back_off = std::move(policy);
    return *this;
  }
  // Errors of kind E in the processor or writer do not roll the chunk back.
  template <class E>
  FaultTolerantStepBuilder& no_rollback() {
    options_.no_rollback.template add<E>(true);
    return *this;
  }
  FaultTolerantStepBuilder& scan(ScanMode mode) {
    options_.scan = mode;
    return *this;
  }
  FaultTolerantStepBuilder& skip_listener(std::shared_ptr<SkipListener<I, O>> listener) {
    components_.skip_listeners.push_back(std::move(listener));
    return *this;
  }
  // Stores every skipped item in the repository's dead-letter table, in the
  // transaction of the chunk that skips it (DeadLetterSkipListener): the
  // step runs its chunks in the repository's transaction_manager() — set
  // here; build() refuses another manager. Codecs default to JSON through
  // the items' to_json/from_json (dead_letter_codec.hpp).
  FaultTolerantStepBuilder& dead_letters(DeadLetterCodec<I> input = default_dead_letter_codec<I>(),
                                         DeadLetterCodec<O> output = default_dead_letter_codec<O>()) {
    JobRepository& repository = *this->settings_.repository;
    if (this->settings_.transaction_manager == nullptr) {
      this->settings_.transaction_manager = &repository.transaction_manager();
    }
    dead_letters_ = true;
    return listener(std::make_shared<DeadLetterSkipListener<I, O>>(repository.dead_letters(), std::move(input),
                                                                   std::move(output)));
  }
  FaultTolerantStepBuilder& retry_listener(std::shared_ptr<RetryListener> listener) {
    options_.retry_listeners.push_back(std::move(listener));
    return *this;
  }
  // Registers `listener` under every interface it implements (step, chunk,
  // item read/process/write, skip, retry).
  template <class L>
  FaultTolerantStepBuilder& listener(std::shared_ptr<L> listener) {
    this->add_step_level_listener(listener);
    internal::add_item_listeners(components_, listener);
    if constexpr (std::is_base_of_v<SkipListener<I, O>, L>) components_.skip_listeners.push_back(listener);
    if constexpr (std::is_base_of_v<RetryListener, L>) options_.retry_listeners.push_back(listener);
    return *this;
  }

  // Every setting above as the plain struct they fill (what job files
  // configure: exception kinds by registered name).
  FaultToleranceOptions& options() { return options_; }

  // Throws std::invalid_argument as ChunkStepBuilder::build does, when a
  // retry limit is set without retryable kinds or a retry policy, and when
  // dead_letters() is combined with another transaction manager.
  std::unique_ptr<Step> build() {
    if (options_.retry_limit > 0 && options_.retryable.empty() && !options_.retry_policy) {
      throw std::invalid_argument("step '" + this->settings_.options.name +
                                  "': a retry limit needs retryable error kinds (retry<E>()) or a retry policy");
    }
    if (options_.skip_limit < 0) {
      throw std::invalid_argument("step '" + this->settings_.options.name + "': negative skip limit");
    }
    if (dead_letters_ && this->settings_.transaction_manager != &this->settings_.repository->transaction_manager()) {
      throw std::invalid_argument("step '" + this->settings_.options.name +
                                  "': dead letters commit with the chunk, so the step must run in the "
                                  "repository's transaction manager, not another one");
    }
    components_.fault_tolerance = options_;
    return std::make_unique<ChunkOrientedStep<I, O>>(std::move(this->settings_), std::move(components_));
  }

 private:
  ChunkComponents<I, O> components_;
  FaultToleranceOptions options_;
  bool dead_letters_ = false;
};

template <class I, class O>
FaultTolerantStepBuilder<I, O> ChunkStepBuilder<I, O>::fault_tolerant() {
  return FaultTolerantStepBuilder<I, O>(std::move(this->settings_), std::move(components_));
}

inline TaskletStepBuilder StepBuilder::tasklet(std::unique_ptr<Tasklet> tasklet) {
  return TaskletStepBuilder(std::move(settings_), std::move(tasklet));
}

template <TaskletFunction F>
TaskletStepBuilder StepBuilder::tasklet(F function) {
  return tasklet(std::make_unique<FunctionTasklet<F>>(std::move(function)));
}

template <class I, class O>
ChunkStepBuilder<I, O> StepBuilder::chunk(size_t chunk_size) {
  return ChunkStepBuilder<I, O>(std::move(settings_), std::make_unique<SimpleCompletionPolicy>(chunk_size));
}

template <class I, class O>
ChunkStepBuilder<I, O> StepBuilder::chunk(std::unique_ptr<CompletionPolicy> policy) {
  return ChunkStepBuilder<I, O>(std::move(settings_), std::move(policy));
}

}  // namespace cppbatch
