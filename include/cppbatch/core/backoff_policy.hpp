// BackOffPolicy: how long to wait between two attempts of a retried
// operation (Spring Retry's back-off family). The waiting itself goes
// through a Sleeper, so tests inject one that records instead of sleeping.
//
//   NoBackOffPolicy                 retry at once
//   FixedBackOffPolicy              the same period every time (1 s)
//   ExponentialBackOffPolicy        initial (100 ms) × multiplier (2) each
//                                   time, capped at max_interval (30 s)
//   ExponentialRandomBackOffPolicy  the exponential interval stretched by a
//                                   random factor in [1, multiplier), capped
//   UniformRandomBackOffPolicy      uniform in [min, max) (0.5 s, 1.5 s)
//
//   auto sleeper = std::make_shared<RecordingSleeper>();
//   ExponentialBackOffPolicy backoff({.initial = 100ms, .multiplier = 2, .max_interval = 1s}, sleeper);
//   BackOffState state = backoff.start();
//   backoff.back_off(state);   // sleeps 100 ms, then 200, 400, 800, 1000, 1000...
//
// A policy is immutable and thread-safe; each retried operation keeps its
// own BackOffState.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace cppbatch {

using Millis = std::chrono::milliseconds;

class Sleeper {
 public:
  virtual ~Sleeper() = default;
  virtual void sleep(Millis duration) = 0;
};

// Sleeps the calling thread for real.
class ThreadSleeper final : public Sleeper {
 public:
  void sleep(Millis duration) override;
};

// Records the requested sleeps and returns at once (for tests).
class RecordingSleeper final : public Sleeper {
 public:
  void sleep(Millis duration) override;
  std::vector<Millis> sleeps() const;
  Millis total() const;

 private:
  mutable std::mutex mutex_;
  std::vector<Millis> sleeps_;
};

// Where one retried operation is in its back-off sequence.
struct BackOffState {
  int64_t back_offs = 0;   // waits so far
  Millis next{0};          // the exponential policies' next base interval
};

class BackOffPolicy {
 public:
  // null sleeper: a ThreadSleeper.
  explicit BackOffPolicy(std::shared_ptr<Sleeper> sleeper);
  virtual ~BackOffPolicy() = default;

  virtual BackOffState start() const;
  // Waits before the next attempt; returns how long it waited.
  Millis back_off(BackOffState& state) const;
  // The wait back_off() would do now, advancing the state (no sleeping).
  virtual Millis next_interval(BackOffState& state) const = 0;

  Sleeper& sleeper() const { return *sleeper_; }

 private:
  std::shared_ptr<Sleeper> sleeper_;
};

class NoBackOffPolicy final : public BackOffPolicy {
 public:
  NoBackOffPolicy() : BackOffPolicy(nullptr) {}
  Millis next_interval(BackOffState& state) const override;
};

class FixedBackOffPolicy final : public BackOffPolicy {
 public:
  explicit FixedBackOffPolicy(Millis period = Millis(1000), std::shared_ptr<Sleeper> sleeper = nullptr);
  Millis next_interval(BackOffState& state) const override;
  Millis period() const { return period_; }

 private:
  Millis period_;
};

struct ExponentialBackOffOptions {
  Millis initial{100};
  double multiplier = 2.0;  // must be >= 1
  Millis max_interval{30000};
};

class ExponentialBackOffPolicy : public BackOffPolicy {
 public:
  // std::invalid_argument: initial < 1 ms, multiplier < 1, max < initial.
  explicit ExponentialBackOffPolicy(ExponentialBackOffOptions options = {},
                                    std::shared_ptr<Sleeper> sleeper = nullptr);
  BackOffState start() const override;
  Millis next_interval(BackOffState& state) const override;
  const ExponentialBackOffOptions& options() const { return options_; }

 private:
  ExponentialBackOffOptions options_;
};

// A random number in [0, 1); must be thread-safe if the policy is shared
// across threads. Default: a mutex-guarded std::mt19937_64.
using RandomSource = std::function<double()>;

class ExponentialRandomBackOffPolicy final : public ExponentialBackOffPolicy {
 public:
  explicit ExponentialRandomBackOffPolicy(ExponentialBackOffOptions options = {},
                                          std::shared_ptr<Sleeper> sleeper = nullptr,
                                          RandomSource random = nullptr);
  Millis next_interval(BackOffState& state) const override;

 private:
  RandomSource random_;
};

class UniformRandomBackOffPolicy final : public BackOffPolicy {
 public:
  // std::invalid_argument when max <= min.
  UniformRandomBackOffPolicy(Millis min = Millis(500), Millis max = Millis(1500),
                             std::shared_ptr<Sleeper> sleeper = nullptr, RandomSource random = nullptr);
  Millis next_interval(BackOffState& state) const override;

 private:
  Millis min_, max_;
  RandomSource random_;
};

}  // namespace cppbatch
