// The policy layer of fault tolerance: classification, skip, retry,
// back-off, RetryTemplate and RepeatTemplate — Spring Retry/Batch semantics.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "cppbatch/core/backoff_policy.hpp"
#include "cppbatch/core/exception_classifier.hpp"
#include "cppbatch/core/repeat_template.hpp"
#include "cppbatch/core/retry_policy.hpp"
#include "cppbatch/core/retry_template.hpp"
#include "cppbatch/core/skip_policy.hpp"
#include "cppbatch/testing/manual_clock.hpp"

namespace cppbatch {
namespace {

using namespace std::chrono_literals;

struct TransientError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct DeadlockError : TransientError {
  using TransientError::TransientError;
};
struct BadRecord : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct Unrelated {};  // not a std::exception

template <class E>
std::exception_ptr error(const char* what = "boom") {
  return std::make_exception_ptr(E(what));
}

TEST(ExceptionClassifier, MostSpecificRegisteredTypeWinsWhateverTheOrder) {
  BinaryExceptionClassifier base_first(false);
  base_first.add<std::runtime_error>(true).add<TransientError>(false);
  BinaryExceptionClassifier derived_first(false);
  derived_first.add<TransientError>(false).add<std::runtime_error>(true);
  for (const auto* c : {&base_first, &derived_first}) {
    EXPECT_TRUE(c->classify(error<BadRecord>()));
    EXPECT_FALSE(c->classify(error<TransientError>()));
    EXPECT_FALSE(c->classify(error<DeadlockError>())) << "inherits its nearest registered base";
    EXPECT_FALSE(c->classify(std::make_exception_ptr(std::logic_error("x")))) << "default";
    EXPECT_FALSE(c->classify(std::make_exception_ptr(Unrelated{})));
    EXPECT_FALSE(c->classify(nullptr));
  }
}

TEST(ExceptionClassifier, RegisteringATypeAgainReplacesItsValue) {
  ExceptionClassifier<int> c(0);
  c.add<BadRecord>(1).add<BadRecord>(2);
  EXPECT_EQ(c.size(), 1u);
  EXPECT_EQ(c.classify(error<BadRecord>()), 2);
  EXPECT_TRUE(c.matches(error<BadRecord>()));
  EXPECT_FALSE(c.matches(error<TransientError>()));
}

TEST(SkipPolicy, LimitCheckingSkipsSkippableKindsUpToTheLimitThenThrows) {
  LimitCheckingItemSkipPolicy policy(2, BinaryExceptionClassifier(false).add<BadRecord>(true));
  EXPECT_TRUE(policy.should_skip(error<BadRecord>(), 0));
  EXPECT_TRUE(policy.should_skip(error<BadRecord>(), 1));
  try {
    policy.should_skip(error<BadRecord>("line 7 is bad"), 2);
    FAIL() << "expected SkipLimitExceededException";
  } catch (const SkipLimitExceededException& e) {
    EXPECT_EQ(e.limit(), 2);
    EXPECT_STREQ(e.what(), "skip limit of 2 exceeded: line 7 is bad");
    EXPECT_EQ(describe_exception(e.cause()), "line 7 is bad");
  }
  EXPECT_FALSE(policy.should_skip(error<TransientError>(), 0)) << "not skippable: no limit check";
  EXPECT_FALSE(policy.should_skip(error<TransientError>(), 99));
}

TEST(SkipPolicy, AlwaysNeverClassifierAndComposite) {
  AlwaysSkipItemSkipPolicy always;
  NeverSkipItemSkipPolicy never;
  EXPECT_TRUE(always.should_skip(error<TransientError>(), 1'000'000));
  EXPECT_FALSE(never.should_skip(error<BadRecord>(), 0));

  ExceptionClassifierSkipPolicy by_kind;
  by_kind.add<BadRecord>(std::make_shared<AlwaysSkipItemSkipPolicy>());
  EXPECT_TRUE(by_kind.should_skip(error<BadRecord>(), 5));
  EXPECT_FALSE(by_kind.should_skip(error<TransientError>(), 0)) << "unregistered: the fallback (never)";

  CompositeSkipPolicy any({std::make_shared<NeverSkipItemSkipPolicy>(),
                           std::make_shared<LimitCheckingItemSkipPolicy>(
                               1, BinaryExceptionClassifier(false).add<BadRecord>(true))});
  EXPECT_TRUE(any.should_skip(error<BadRecord>(), 0));
  EXPECT_FALSE(any.should_skip(error<TransientError>(), 0));
  EXPECT_THROW(any.should_skip(error<BadRecord>(), 1), SkipLimitExceededException);
}

TEST(RetryPolicy, SimpleCountsAttemptsIncludingTheFirstAndOnlyRetryableKinds) {
  SimpleRetryPolicy policy(3, BinaryExceptionClassifier(false).add<TransientError>(true));
  RetryContext c = policy.open();
  EXPECT_TRUE(policy.can_retry(c)) << "first attempt";
  policy.register_error(c, error<DeadlockError>());
  EXPECT_TRUE(policy.can_retry(c));
  policy.register_error(c, error<TransientError>());
  EXPECT_TRUE(policy.can_retry(c));
  policy.register_error(c, error<TransientError>());
  EXPECT_FALSE(policy.can_retry(c)) << "3 attempts made";
  EXPECT_EQ(c.retry_count, 3);

  RetryContext other = policy.open();
  policy.register_error(other, error<BadRecord>());
  EXPECT_FALSE(policy.can_retry(other)) << "not retryable";

  SimpleRetryPolicy defaults;
  EXPECT_EQ(defaults.max_attempts(), 3);
  EXPECT_TRUE(defaults.is_retryable(error<BadRecord>()));
}

TEST(RetryPolicy, MaxAttemptsNeverAlwaysAndExhausted) {
  MaxAttemptsRetryPolicy two(2);
  RetryContext c = two.open();
  two.register_error(c, error<BadRecord>());
  EXPECT_TRUE(two.can_retry(c));
  two.register_error(c, error<BadRecord>());
  EXPECT_FALSE(two.can_retry(c));

  NeverRetryPolicy never;
  RetryContext n = never.open();
  EXPECT_TRUE(never.can_retry(n));
  never.register_error(n, error<TransientError>());
  EXPECT_FALSE(never.can_retry(n));

  AlwaysRetryPolicy always;
  RetryContext a = always.open();
  for (int i = 0; i < 100; ++i) always.register_error(a, error<TransientError>());
  EXPECT_TRUE(always.can_retry(a));
  a.exhausted = true;
  EXPECT_FALSE(always.can_retry(a));
}

TEST(RetryPolicy, TimeoutCountsFromOpenOnTheGivenClock) {
  testing::ManualClock clock;
  TimeoutRetryPolicy policy(500ms, &clock);
  RetryContext c = policy.open();
  policy.register_error(c, error<TransientError>());
  clock.advance(500ms);
  EXPECT_TRUE(policy.can_retry(c));
  clock.advance(1ms);
  EXPECT_FALSE(policy.can_retry(c));
}

TEST(RetryPolicy, ClassifierPicksAPolicyPerKindWithItsOwnCount) {
  ExceptionClassifierRetryPolicy policy;
  policy.add<TransientError>(std::make_shared<MaxAttemptsRetryPolicy>(3));
  policy.add<DeadlockError>(std::make_shared<MaxAttemptsRetryPolicy>(5));
  RetryContext c = policy.open();
  for (int i = 0; i < 4; ++i) policy.register_error(c, error<DeadlockError>());
  EXPECT_TRUE(policy.can_retry(c)) << "4 of 5 deadlock attempts";
  policy.register_error(c, error<TransientError>());
  EXPECT_TRUE(policy.can_retry(c)) << "transient count is 1 of 3";
  policy.register_error(c, error<DeadlockError>());
  EXPECT_FALSE(policy.can_retry(c));
  RetryContext bad = policy.open();
  policy.register_error(bad, error<BadRecord>());
  EXPECT_FALSE(policy.can_retry(bad)) << "unregistered kinds are not retried";
}

TEST(RetryPolicy, CompositePessimisticNeedsAllOptimisticAny) {
  testing::ManualClock clock;
  auto attempts = std::make_shared<MaxAttemptsRetryPolicy>(5);
  auto timeout = std::make_shared<TimeoutRetryPolicy>(100ms, &clock);
  CompositeRetryPolicy all({attempts, timeout});
  CompositeRetryPolicy any({attempts, timeout}, /*optimistic=*/true);
  RetryContext a = all.open();
  RetryContext b = any.open();
  all.register_error(a, error<TransientError>());
  any.register_error(b, error<TransientError>());
  clock.advance(200ms);
  EXPECT_FALSE(all.can_retry(a)) << "timed out";
  EXPECT_TRUE(any.can_retry(b)) << "attempts left";
}

TEST(BackOff, ExponentialDoublesUpToTheMaxAndFixedRepeats) {
  auto sleeper = std::make_shared<RecordingSleeper>();
  ExponentialBackOffPolicy exponential({.initial = 100ms, .multiplier = 2.0, .max_interval = 1000ms}, sleeper);
  BackOffState state = exponential.start();
  for (int i = 0; i < 6; ++i) exponential.back_off(state);
  EXPECT_EQ(sleeper->sleeps(), (std::vector<Millis>{100ms, 200ms, 400ms, 800ms, 1000ms, 1000ms}));
  EXPECT_EQ(state.back_offs, 6);

  auto fixed_sleeper = std::make_shared<RecordingSleeper>();
  FixedBackOffPolicy fixed(250ms, fixed_sleeper);
  BackOffState f = fixed.start();
  fixed.back_off(f);
  fixed.back_off(f);
  EXPECT_EQ(fixed_sleeper->total(), 500ms);

  NoBackOffPolicy none;
  BackOffState n = none.start();
  EXPECT_EQ(none.back_off(n), 0ms);

  EXPECT_THROW(ExponentialBackOffPolicy({.initial = 100ms, .multiplier = 0.5}), std::invalid_argument);
  EXPECT_THROW(ExponentialBackOffPolicy({.initial = 100ms, .multiplier = 2, .max_interval = 50ms}),
               std::invalid_argument);
}

TEST(BackOff, RandomPoliciesStayInTheirRangeWithAGivenRandomSource) {
  auto sleeper = std::make_shared<RecordingSleeper>();
  double r = 0.5;
  ExponentialRandomBackOffPolicy random({.initial = 100ms, .multiplier = 3.0, .max_interval = 1000ms}, sleeper,
                                        [&] { return r; });
  BackOffState s = random.start();
  random.back_off(s);  // 100 * (1 + 0.5 * 2) = 200
  random.back_off(s);  // 300 * 2 = 600
  random.back_off(s);  // 900 * 2 = 1800 → capped at 1000
  EXPECT_EQ(sleeper->sleeps(), (std::vector<Millis>{200ms, 600ms, 1000ms}));

  UniformRandomBackOffPolicy uniform(500ms, 1500ms, sleeper, [&] { return r; });
  BackOffState u = uniform.start();
  r = 0.25;
  EXPECT_EQ(uniform.next_interval(u), 750ms);
  EXPECT_THROW(UniformRandomBackOffPolicy(10ms, 10ms), std::invalid_argument);
}

struct RecordingRetryListener : RetryListener {
  std::vector<std::string> events;
  bool allow = true;
  bool open(const RetryContext&) override {
    events.push_back("open");
    return allow;
  }
  void on_error(const RetryContext& c, const std::exception_ptr& e) override {
    events.push_back("error " + std::to_string(c.retry_count) + " " + describe_exception(e));
  }
  void close(const RetryContext&, const std::exception_ptr& e) override {
    events.push_back(e ? "close " + describe_exception(e) : std::string("close ok"));
  }
};

TEST(RetryTemplate, RetriesWithBackOffUntilSuccess) {
  auto sleeper = std::make_shared<RecordingSleeper>();
  RetryTemplate retry(std::make_shared<SimpleRetryPolicy>(3),
                      std::make_shared<FixedBackOffPolicy>(10ms, sleeper));
  auto listener = std::make_shared<RecordingRetryListener>();
  retry.add_listener(listener);
  int calls = 0;
  int result = retry.execute([&](const RetryContext& c) {
    ++calls;
    if (c.retry_count < 2) throw TransientError("try " + std::to_string(calls));
    return 42;
  });
  EXPECT_EQ(result, 42);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(sleeper->sleeps(), (std::vector<Millis>{10ms, 10ms}));
  EXPECT_EQ(listener->events,
            (std::vector<std::string>{"open", "error 1 try 1", "error 2 try 2", "close ok"}));
}

TEST(RetryTemplate, ExhaustedRethrowsTheLastErrorOrRecovers) {
  auto sleeper = std::make_shared<RecordingSleeper>();
  RetryTemplate retry(std::make_shared<SimpleRetryPolicy>(2),
                      std::make_shared<FixedBackOffPolicy>(10ms, sleeper));
  int calls = 0;
  try {
    retry.execute([&](const RetryContext&) -> void {
      ++calls;
      throw TransientError("attempt " + std::to_string(calls));
    });
    FAIL();
  } catch (const TransientError& e) {
    EXPECT_STREQ(e.what(), "attempt 2");
  }
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(sleeper->sleeps().size(), 1u) << "no back-off after the last attempt";

  std::string recovered = retry.execute(
      [&](const RetryContext&) -> std::string { throw TransientError("down"); },
      [&](const RetryContext& c) { return "parked after " + std::to_string(c.retry_count) + ": " +
                                          describe_exception(c.last_error); });
  EXPECT_EQ(recovered, "parked after 2: down");
}

TEST(RetryTemplate, NonRetryableFailsAtOnceAndAListenerCanVeto) {
  RetryTemplate retry(std::make_shared<SimpleRetryPolicy>(5, BinaryExceptionClassifier(false).add<TransientError>(true)));
  int calls = 0;
  EXPECT_THROW(retry.execute([&](const RetryContext&) -> int {
    ++calls;
    throw BadRecord("bad");
  }),
               BadRecord);
  EXPECT_EQ(calls, 1);

  auto veto = std::make_shared<RecordingRetryListener>();
  veto->allow = false;
  retry.add_listener(veto);
  EXPECT_THROW(retry.execute([&](const RetryContext&) { return ++calls; }), RetryTerminatedException);
  EXPECT_EQ(calls, 1) << "vetoed: never called";
  EXPECT_EQ(veto->events.back(), "close a retry listener vetoed the operation");
}

TEST(RepeatTemplate, RepeatsUntilFinishedOrThePolicyCompletes) {
  RepeatTemplate until_finished;
  int n = 0;
  RepeatResult r = until_finished.iterate([&] { return ++n == 5 ? RepeatStatus::FINISHED : RepeatStatus::CONTINUABLE; });
  EXPECT_EQ(r.iterations, 5);
  EXPECT_EQ(r.status, RepeatStatus::FINISHED);

  RepeatTemplate three(std::make_unique<SimpleCompletionPolicy>(3));
  n = 0;
  r = three.iterate([&] { ++n; return RepeatStatus::CONTINUABLE; });
  EXPECT_EQ(n, 3);
  EXPECT_EQ(r.status, RepeatStatus::CONTINUABLE);

  testing::ManualClock clock;
  std::vector<std::unique_ptr<CompletionPolicy>> policies;
  policies.push_back(std::make_unique<SimpleCompletionPolicy>(100));
  policies.push_back(std::make_unique<TimeoutCompletionPolicy>(1s, &clock));
  RepeatTemplate timed(std::make_unique<CompositeCompletionPolicy>(std::move(policies)));
  n = 0;
  r = timed.iterate([&] {
    if (++n == 4) clock.advance(1s);
    return RepeatStatus::CONTINUABLE;
  });
  EXPECT_EQ(r.iterations, 4) << "the timeout ends it before the count";
}

TEST(RepeatTemplate, LimitExceptionHandlerToleratesSomeErrorsThenRethrows) {
  RepeatTemplate repeat(std::make_unique<SimpleCompletionPolicy>(10));
  auto handler = std::make_shared<SimpleLimitExceptionHandler>(2, BinaryExceptionClassifier(false).add<TransientError>(true));
  repeat.set_exception_handler(handler);
  int n = 0;
  EXPECT_THROW(repeat.iterate([&]() -> RepeatStatus {
    ++n;
    if (n % 2 == 0) throw TransientError("flaky");
    return RepeatStatus::CONTINUABLE;
  }),
               TransientError);
  EXPECT_EQ(n, 6) << "errors at 2 and 4 tolerated, the third (6) rethrown";

  RepeatTemplate strict;
  EXPECT_THROW(strict.iterate([]() -> RepeatStatus { throw BadRecord("x"); }), BadRecord);
}

}  // namespace
}  // namespace cppbatch
