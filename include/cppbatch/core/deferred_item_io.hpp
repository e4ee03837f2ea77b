// DeferredItemReader<T> / DeferredItemWriter<T>: a reader or writer that is
// created when the step opens its streams instead of when the job is
// built — cppbatch's counterpart of Spring's @StepScope. A job is built
// before its parameters are known (JobRegistry factories get only the
// repository), but most readers and writers take their file names and
// bindings at construction; a factory called from open() can read them
// from a JobParametersScope (job_parameters_scope.hpp), which before_step
// has bound.
//
//   auto scope = std::make_shared<JobParametersScope>();  // also register it as a step listener
//   auto reader = std::make_unique<DeferredItemReader<Line>>([scope] {
//     return std::make_unique<DelimitedFileReader<Line>>(
//         DelimitedReaderOptions{.path = *scope->get().get_string("input")}, map_line);
//   });
//
// The delegate is destroyed at close(). If it is an ItemStream, open /
// update / discard_uncommitted / close are forwarded to it. Not thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>

#include "cppbatch/core/item_reader.hpp"
#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/core/item_writer.hpp"

namespace cppbatch {

namespace internal {

// Owns the delegate between open() and close().
template <class Component>
class Deferred : public ItemStream {
 public:
  using Factory = std::function<std::unique_ptr<Component>()>;
  explicit Deferred(Factory factory) : factory_(std::move(factory)) {
    if (!factory_) throw std::invalid_argument("deferred component without a factory");
  }

  void open(ExecutionContext& context) override {
    delegate_ = factory_();
    if (!delegate_) throw std::logic_error("deferred component factory returned null");
    stream_ = dynamic_cast<ItemStream*>(delegate_.get());
    if (stream_ != nullptr) stream_->open(context);
  }
  void update(ExecutionContext& context) override {
    if (stream_ != nullptr) stream_->update(context);
  }
  // A chunk rolled back in-process (retry, skip scan): the delegate cuts
  // back what it wrote since the last update().
  void discard_uncommitted() override {
    if (stream_ != nullptr) stream_->discard_uncommitted();
  }
  void close() override {
    if (stream_ != nullptr) stream_->close();
    stream_ = nullptr;
    delegate_.reset();
  }

 protected:
  Component& delegate() {
    if (!delegate_) throw std::logic_error("deferred component used before open()");
    return *delegate_;
  }

 private:
  Factory factory_;
  std::unique_ptr<Component> delegate_;
  ItemStream* stream_ = nullptr;  // delegate_ as a stream, or null
};

}  // namespace internal

template <class T>
class DeferredItemReader final : public ItemReader<T>, public internal::Deferred<ItemReader<T>> {
 public:
  using internal::Deferred<ItemReader<T>>::Deferred;
  std::optional<T> read() override { return this->delegate().read(); }
};

template <class T>
class DeferredItemWriter final : public ItemWriter<T>, public internal::Deferred<ItemWriter<T>> {
 public:
  using internal::Deferred<ItemWriter<T>>::Deferred;
  void write(const Chunk<T>& chunk) override { this->delegate().write(chunk); }
};

}  // namespace cppbatch
