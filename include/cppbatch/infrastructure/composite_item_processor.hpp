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
// When the stages are known at compile time, make_composite_processor
// builds the same chain with the stage types kept (InlineCompositeItemProcessor):
// no virtual call between stages (final stage classes are called directly,
// lambdas inline) and the last transforming stage builds its result in
// place, with the checks after it run on that result:
//
//   auto processor = make_composite_processor<Trade>(
//       make_filtering_processor<Trade>([](const Trade& t) { return t.amount > 0; }),
//       [](const Trade& t) { return to_row(t); },   // or → std::optional<Row> to filter
//       std::make_unique<ValidatingItemProcessor<Row>>(validator));
//   // std::unique_ptr<InlineCompositeItemProcessor<Trade, ...>>, an ItemProcessor<Trade, Row>
//
// Use ProcessorChain when the stages are chosen at run time (job files);
// both behave the same.
//
// Stages that are also ItemStreams are opened, updated and closed (in chain
// order) through the composite, so a step that registers the composite
// reaches them. Stages are owned by the composite. Thread safety is that of
// the stages: the composite adds no state of its own.
#pragma once

#include <array>
#include <cstddef>
#include <exception>
#include <memory>
#include <optional>
#include <tuple>
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
inline constexpr bool is_unique_ptr_v = false;
template <class T>
inline constexpr bool is_unique_ptr_v<std::unique_ptr<T>> = true;

template <class T>
class IdentityProcessor final : public ItemProcessor<T, T> {
 public:
  std::optional<T> process(const T& item) override { return item; }
};

// Closes every stream, even when one throws; rethrows the first error.
inline void close_all(const std::vector<ItemStream*>& streams) {
  std::exception_ptr first;
  for (ItemStream* s : streams) {
    try {
      s->close();
    } catch (...) {
      if (!first) first = std::current_exception();
    }
  }
  if (first) std::rethrow_exception(first);
}

// What a compile-time stage S does to an X: `output` is its item type
// after the stage; `pass_through` stages keep the item (accept()).
template <class S, class X>
struct StageTraits;
// A processor object: pass-through (filtering, validating) or I → N.
template <class P, class X>
struct StageTraits<std::unique_ptr<P>, X> {
  static_assert(std::is_base_of_v<ItemProcessor<X, typename P::output_type>, P>,
                "make_composite_processor: a stage does not take the previous stage's output type");
  static constexpr bool pass_through = std::is_base_of_v<PassThroughItemProcessor<X>, P>;
  using output = typename P::output_type;
};
template <class T>
struct OptionalValue {  // a plain N: the stage never filters
  using type = T;
  static constexpr bool optional = false;
};
template <class T>
struct OptionalValue<std::optional<T>> {
  using type = T;
  static constexpr bool optional = true;
};
// A function X → std::optional<N> (empty = filtered), or X → N.
template <class F, class X>
struct StageTraits {
  static_assert(std::is_invocable_v<F&, const X&>,
                "make_composite_processor: a function stage cannot be called with the previous "
                "stage's output type");
  static constexpr bool pass_through = false;
  using result = std::invoke_result_t<F&, const X&>;
  static_assert(std::is_object_v<result>, "make_composite_processor: a function stage must return a value");
  using output = typename OptionalValue<std::remove_cv_t<result>>::type;
  static constexpr bool returns_optional = OptionalValue<std::remove_cv_t<result>>::optional;
};

// Converts to f(x): lets std::optional's in-place constructor build the
// function's result right inside the optional (no move of the item).
template <class F, class X>
struct InvokeInto {
  F& f;
  const X& x;
  operator std::invoke_result_t<F&, const X&>() const { return f(x); }
};

// The item types flowing through stages S...: inputs = the input of each.
template <class X, class... S>
struct StageFold {
  using output = X;
  using inputs = std::tuple<>;
};
template <class X, class S0, class... S>
struct StageFold<X, S0, S...> {
  using rest = StageFold<typename StageTraits<S0, X>::output, S...>;
  using output = typename rest::output;
  using inputs = decltype(std::tuple_cat(std::declval<std::tuple<X>>(),
                                         std::declval<typename rest::inputs>()));
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
  void close() override { internal::close_all(streams_); }

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

// A composite whose stages are known at compile time (built by
// make_composite_processor). Each stage is a std::unique_ptr to an
// ItemProcessor subclass (pass-through ones — filtering, validating — check
// the item in place), a function X → std::optional<N>, or a function X → N
// that never filters (its result is built in place, not moved). Same behaviour as
// CompositeItemProcessor: an empty optional or a rejecting check filters
// the item, later stages do not see it.
template <class I, class... Stages>
class InlineCompositeItemProcessor final
    : public ItemProcessor<I, typename internal::StageFold<I, Stages...>::output>,
      public ItemStream {
  using Inputs = typename internal::StageFold<I, Stages...>::inputs;
  static constexpr size_t kStages = sizeof...(Stages);

 public:
  using O = typename internal::StageFold<I, Stages...>::output;

  // std::invalid_argument on a null stage.
  explicit InlineCompositeItemProcessor(Stages... stages) : stages_(std::move(stages)...) {
    std::apply([this](auto&... s) { (add_stream(s), ...); }, stages_);
  }

  std::optional<O> process(const I& item) override {
    constexpr int last = last_transform(kStages);
    if constexpr (last < 0) {
      if (!checks<0, kStages>(item)) return std::nullopt;
      return std::optional<O>(item);
    } else {
      return finish<static_cast<size_t>(last)>(item);
    }
  }

  void open(ExecutionContext& context) override {
    for (ItemStream* s : streams_) s->open(context);
  }
  void update(ExecutionContext& context) override {
    for (ItemStream* s : streams_) s->update(context);
  }
  // Closes every stage, even when one throws; rethrows the first error.
  void close() override { internal::close_all(streams_); }

  size_t stages() const { return kStages; }

 private:
  template <size_t K>
  using Input = std::tuple_element_t<K, Inputs>;
  template <size_t K>
  using Stage = std::tuple_element_t<K, std::tuple<Stages...>>;
  template <size_t K>
  static constexpr bool kPassThrough = internal::StageTraits<Stage<K>, Input<K>>::pass_through;
  template <size_t K>
  using Output = typename internal::StageTraits<Stage<K>, Input<K>>::output;

  // The last transforming stage before `end`, or -1.
  static constexpr int last_transform(size_t end) {
    constexpr std::array<bool, kStages + 1> pass = pass_flags(std::make_index_sequence<kStages>());
    for (size_t k = end; k > 0; --k) {
      if (!pass[k - 1]) return static_cast<int>(k - 1);
    }
    return -1;
  }
  template <size_t... K>
  static constexpr std::array<bool, kStages + 1> pass_flags(std::index_sequence<K...>) {
    return {kPassThrough<K>..., true};
  }

  template <class S>
  void add_stream(S& stage) {
    if constexpr (internal::is_unique_ptr_v<S>) {
      if (!stage) throw std::invalid_argument("make_composite_processor: null stage");
      if (auto* s = dynamic_cast<ItemStream*>(stage.get())) streams_.push_back(s);
    }
  }

  // Runs the pass-through stages From..To-1 on `item`.
  template <size_t From, size_t To, class X>
  bool checks(const X& item) {
    if constexpr (From == To) {
      return true;
    } else {
      return std::get<From>(stages_)->accept(item) && checks<From + 1, To>(item);
    }
  }

  // The result when stage L is the last transforming one: built in place
  // (NRVO), the checks after L run on it.
  template <size_t L>
  std::optional<O> finish(const I& item) {
    std::optional<O> result = produce<L>(item);
    if (result && !checks<L + 1, kStages>(*result)) result.reset();
    return result;
  }

  // The output of transforming stage K (stages before it run first).
  template <size_t K>
  std::optional<Output<K>> produce(const I& item) {
    constexpr int previous = last_transform(K);
    if constexpr (previous < 0) {
      if (!checks<0, K>(item)) return std::nullopt;
      return call<K>(item);
    } else {
      constexpr auto p = static_cast<size_t>(previous);
      std::optional<Output<p>> in = produce<p>(item);
      if (!in || !checks<p + 1, K>(*in)) return std::nullopt;
      return call<K>(*in);
    }
  }

  template <size_t K>
  std::optional<Output<K>> call(const Input<K>& item) {
    if constexpr (internal::is_unique_ptr_v<Stage<K>>) {
      return std::get<K>(stages_)->process(item);
    } else if constexpr (internal::StageTraits<Stage<K>, Input<K>>::returns_optional) {
      return std::get<K>(stages_)(item);
    } else {
      return std::optional<Output<K>>(std::in_place,
                                      internal::InvokeInto<Stage<K>, Input<K>>{std::get<K>(stages_), item});
    }
  }

  std::tuple<Stages...> stages_;
  std::vector<ItemStream*> streams_;  // stages that are ItemStreams, in order
};

// The composite of `stages` (see InlineCompositeItemProcessor), in order,
// for items of type I.
template <class I, class... Stages>
  requires(sizeof...(Stages) > 0)
std::unique_ptr<InlineCompositeItemProcessor<I, std::decay_t<Stages>...>> make_composite_processor(
    Stages&&... stages) {
  return std::make_unique<InlineCompositeItemProcessor<I, std::decay_t<Stages>...>>(
      std::forward<Stages>(stages)...);
}

}  // namespace cppbatch
