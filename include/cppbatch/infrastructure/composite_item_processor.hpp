// CompositeItemProcessor<I, O>: a typed chain of processors I → … → O run
// one after the other on each item (Spring's CompositeItemProcessor, with
// the intermediate types checked by the compiler). An empty optional from
// any stage filters the item: later stages do not see it.
//
//   auto processor = ProcessorChain<Line>()
//       .then<Trade>([](const Line& l) -> std::optional<Trade> { return parse(l); })
//       .then(std::make_unique<ValidatingItemProcessor<Trade>>(validator))
//       .then<Row>([](const Trade& t) { return std::optional<Row>(to_row(t)); })
//       .build();   // std::unique_ptr<CompositeItemProcessor<Line, Row>>
//
// Stages that are also ItemStreams are opened, updated and closed (in chain
// order) through the composite, so a step that registers the composite
// reaches them. Stages are owned by the composite. Thread safety is that of
// the stages: the composite adds no state of its own.
#pragma once

#include <memory>
#include <optional>
#include <type_traits>
#include <stdexcept>
#include <utility>
#include <vector>

#include "cppbatch/core/function_adapters.hpp"
#include "cppbatch/core/item_processor.hpp"
#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/infrastructure/pass_through_item_processor.hpp"

namespace cppbatch {

namespace internal {

// Two processors glued: first I → M, then M → O.
template <class I, class M, class O>
class ProcessorLink final : public ItemProcessor<I, O> {
 public:
  ProcessorLink(std::unique_ptr<ItemProcessor<I, M>> first, std::unique_ptr<ItemProcessor<M, O>> second)
      : first_(std::move(first)), second_(std::move(second)) {}
  std::optional<O> process(const I& item) override {
    std::optional<M> middle = first_->process(item);
    if (!middle) return std::nullopt;
    return second_->process(*middle);
  }

 private:
  std::unique_ptr<ItemProcessor<I, M>> first_;
  std::unique_ptr<ItemProcessor<M, O>> second_;
};

// A pass-through stage after a chain: checks the chain's result in place.
template <class I, class O>
class CheckAfter final : public ItemProcessor<I, O> {
 public:
  CheckAfter(std::unique_ptr<ItemProcessor<I, O>> first, std::unique_ptr<PassThroughItemProcessor<O>> check)
      : first_(std::move(first)), check_(std::move(check)) {}
  std::optional<O> process(const I& item) override {
    std::optional<O> result = first_->process(item);
    if (!result || !check_->accept(*result)) return std::nullopt;
    return result;
  }

 private:
  std::unique_ptr<ItemProcessor<I, O>> first_;
  std::unique_ptr<PassThroughItemProcessor<O>> check_;
};

// A pass-through stage at the head of a chain: checks the input in place.
template <class I, class O>
class CheckBefore final : public ItemProcessor<I, O> {
 public:
  CheckBefore(std::unique_ptr<PassThroughItemProcessor<I>> check, std::unique_ptr<ItemProcessor<I, O>> rest)
      : check_(std::move(check)), rest_(std::move(rest)) {}
  std::optional<O> process(const I& item) override {
    if (!check_->accept(item)) return std::nullopt;
    return rest_->process(item);
  }

 private:
  std::unique_ptr<PassThroughItemProcessor<I>> check_;
  std::unique_ptr<ItemProcessor<I, O>> rest_;
};

template <class T>
class IdentityProcessor final : public ItemProcessor<T, T> {
 public:
  std::optional<T> process(const T& item) override { return item; }
};

}  // namespace internal

template <class I, class O>
class CompositeItemProcessor final : public ItemProcessor<I, O>, public ItemStream {
 public:
  // `chain` does the work; `streams` are the stages that are ItemStreams,
  // in chain order (not owned: they live inside `chain`). Built by
  // ProcessorChain.
  CompositeItemProcessor(std::unique_ptr<ItemProcessor<I, O>> chain, std::vector<ItemStream*> streams, size_t stages)
      : chain_(std::move(chain)), streams_(std::move(streams)), stages_(stages) {
    if (!chain_) throw std::invalid_argument("CompositeItemProcessor: empty chain");
  }

  std::optional<O> process(const I& item) override { return chain_->process(item); }

  void open(ExecutionContext& context) override {
    for (ItemStream* s : streams_) s->open(context);
  }
  void update(ExecutionContext& context) override {
    for (ItemStream* s : streams_) s->update(context);
  }
  // Closes every stage, even when one throws; rethrows the first error.
  void close() override {
    std::exception_ptr first;
    for (ItemStream* s : streams_) {
      try {
        s->close();
      } catch (...) {
        if (!first) first = std::current_exception();
      }
    }
    if (first) std::rethrow_exception(first);
  }

  size_t stages() const { return stages_; }

 private:
  std::unique_ptr<ItemProcessor<I, O>> chain_;
  std::vector<ItemStream*> streams_;
  size_t stages_;
};

// Builds a CompositeItemProcessor stage by stage; each then() fixes the
// next output type. A builder is used once (build() consumes it).
template <class I, class O = I>
class ProcessorChain {
 public:
  ProcessorChain() = default;

  // Appends a processor O → N (any ItemProcessor<O, N> subclass).
  // Pass-through stages (filtering, validating) run without copying the item.
  template <class P>
    requires std::is_base_of_v<ItemProcessor<O, typename P::output_type>, P>
  ProcessorChain<I, typename P::output_type> then(std::unique_ptr<P> stage) {
    using N = typename P::output_type;
    if constexpr (std::is_base_of_v<PassThroughItemProcessor<O>, P>) {
      return append_check(std::unique_ptr<PassThroughItemProcessor<O>>(std::move(stage)));
    } else {
      return append<N>(std::unique_ptr<ItemProcessor<O, N>>(std::move(stage)));
    }
  }
  // Appends a function O → std::optional<N> (empty = filtered).
  template <class N, ProcessorFunction<O, N> F>
  ProcessorChain<I, N> then(F function) {
    return append<N>(std::make_unique<FunctionItemProcessor<O, N, F>>(std::move(function)));
  }

  // The composite. An empty chain (no stage) is the identity (I == O only).
  std::unique_ptr<CompositeItemProcessor<I, O>> build() {
    if (!chain_) {
      if constexpr (std::is_same_v<I, O>) {
        chain_ = std::make_unique<internal::IdentityProcessor<I>>();
        wrap_leading_checks(chain_);
      } else {
        throw std::logic_error("ProcessorChain: no stage");
      }
    }
    return std::make_unique<CompositeItemProcessor<I, O>>(std::move(chain_), std::move(streams_), stages_);
  }

 private:
  template <class, class>
  friend class ProcessorChain;

  template <class N>
  ProcessorChain<I, N> append(std::unique_ptr<ItemProcessor<O, N>> stage) {
    if (!stage) throw std::invalid_argument("ProcessorChain: null stage");
    ProcessorChain<I, N> next;
    next.streams_ = std::move(streams_);
    if (auto* s = dynamic_cast<ItemStream*>(stage.get())) next.streams_.push_back(s);
    next.stages_ = stages_ + 1;
    if (chain_) {
      next.chain_ = std::make_unique<internal::ProcessorLink<I, O, N>>(std::move(chain_), std::move(stage));
    } else if constexpr (std::is_same_v<I, O>) {
      next.chain_ = std::move(stage);
      next.leading_ = std::move(leading_);
      next.wrap_leading_checks(next.chain_);
    }
    return next;
  }

  ProcessorChain<I, O> append_check(std::unique_ptr<PassThroughItemProcessor<O>> check) {
    if (!check) throw std::invalid_argument("ProcessorChain: null stage");
    ProcessorChain<I, O> next;
    next.streams_ = std::move(streams_);
    if (auto* s = dynamic_cast<ItemStream*>(check.get())) next.streams_.push_back(s);
    next.stages_ = stages_ + 1;
    next.leading_ = std::move(leading_);
    if (chain_) {
      next.chain_ = std::make_unique<internal::CheckAfter<I, O>>(std::move(chain_), std::move(check));
    } else if constexpr (std::is_same_v<I, O>) {
      next.leading_.push_back(std::move(check));  // applied before the first transforming stage
    }
    return next;
  }

  // Puts the checks that came before the first transforming stage in front of `chain`.
  template <class N>
  void wrap_leading_checks(std::unique_ptr<ItemProcessor<I, N>>& chain) {
    for (auto it = leading_.rbegin(); it != leading_.rend(); ++it) {
      chain = std::make_unique<internal::CheckBefore<I, N>>(std::move(*it), std::move(chain));
    }
    leading_.clear();
  }

  std::unique_ptr<ItemProcessor<I, O>> chain_;
  std::vector<std::unique_ptr<PassThroughItemProcessor<I>>> leading_;  // checks before any transforming stage
  std::vector<ItemStream*> streams_;
  size_t stages_ = 0;
};

}  // namespace cppbatch
