// Adapters that turn the lambdas users pass to builders into the item
// interfaces, wrapped once at the step boundary (no std::function on the
// per-item path). The concepts say which callables fit.
#pragma once

#include <concepts>
#include <optional>
#include <type_traits>

#include "cppbatch/core/item_processor.hpp"
#include "cppbatch/core/item_reader.hpp"
#include "cppbatch/core/item_writer.hpp"
#include "cppbatch/core/tasklet.hpp"

namespace cppbatch {

// F() → std::optional<T>
template <class F, class T>
concept ReaderFunction = std::invocable<F&> && std::convertible_to<std::invoke_result_t<F&>, std::optional<T>>;
// F(const I&) → std::optional<O> (empty = filtered) or O
template <class F, class I, class O>
concept ProcessorFunction = std::invocable<F&, const I&> &&
                            (std::convertible_to<std::invoke_result_t<F&, const I&>, std::optional<O>>);
// F(const Chunk<T>&)
template <class F, class T>
concept WriterFunction = std::invocable<F&, const Chunk<T>&>;
// F(StepContribution&, ChunkContext&) → RepeatStatus
template <class F>
concept TaskletFunction = std::invocable<F&, StepContribution&, ChunkContext&> &&
                          std::same_as<std::invoke_result_t<F&, StepContribution&, ChunkContext&>, RepeatStatus>;

template <class T, class F>
class FunctionItemReader final : public ItemReader<T> {
 public:
  explicit FunctionItemReader(F f) : f_(std::move(f)) {}
  std::optional<T> read() override { return f_(); }

 private:
  F f_;
};

template <class I, class O, class F>
class FunctionItemProcessor final : public ItemProcessor<I, O> {
 public:
  explicit FunctionItemProcessor(F f) : f_(std::move(f)) {}
  std::optional<O> process(const I& item) override { return f_(item); }

 private:
  F f_;
};

template <class T, class F>
class FunctionItemWriter final : public ItemWriter<T> {
 public:
  explicit FunctionItemWriter(F f) : f_(std::move(f)) {}
  void write(const Chunk<T>& chunk) override { f_(chunk); }

 private:
  F f_;
};

template <class F>
class FunctionTasklet final : public Tasklet {
 public:
  explicit FunctionTasklet(F f) : f_(std::move(f)) {}
  RepeatStatus execute(StepContribution& contribution, ChunkContext& context) override {
    return f_(contribution, context);
  }

 private:
  F f_;
};

}  // namespace cppbatch
