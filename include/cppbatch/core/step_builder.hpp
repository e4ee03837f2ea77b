// StepBuilder: the fluent way to define a step.
//
//   auto load = StepBuilder("load", repo)
//       .chunk<Line, Row>(200)
//       .reader(std::make_unique<DelimitedFileReader<Line>>(...))
//       .processor([](const Line& l) -> std::optional<Row> { return to_row(l); })
//       .writer(std::make_unique<SqliteBatchWriter<Row>>(...))
//       .build();
//   auto report = StepBuilder("report", repo)
//       .tasklet([](StepContribution&, ChunkContext&) { return RepeatStatus::FINISHED; })
//       .build();
//
// Components passed by unique_ptr (or as lambdas) are owned by the step;
// components that are also ItemStreams are opened, updated and closed by
// it. build() throws std::invalid_argument when something required is
// missing (no reader, no writer...).
#pragma once

#include <memory>
#include <string>
#include <type_traits>

#include "cppbatch/core/abstract_step.hpp"
#include "cppbatch/core/chunk_oriented_step.hpp"
#include "cppbatch/core/function_adapters.hpp"
#include "cppbatch/core/tasklet_step.hpp"

namespace cppbatch {

class TaskletStepBuilder;
template <class I, class O>
class ChunkStepBuilder;

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
    if constexpr (std::is_base_of_v<ItemReadListener<I>, L>) components_.read_listeners.push_back(listener);
    if constexpr (std::is_base_of_v<ItemProcessListener<I, O>, L>) components_.process_listeners.push_back(listener);
    if constexpr (std::is_base_of_v<ItemWriteListener<O>, L>) components_.write_listeners.push_back(listener);
    return *this;
  }

  std::unique_ptr<Step> build() {
    return std::make_unique<ChunkOrientedStep<I, O>>(std::move(this->settings_), std::move(components_));
  }

 private:
  ChunkComponents<I, O> components_;
};

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
