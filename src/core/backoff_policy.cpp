#include "cppbatch/core/backoff_policy.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <thread>

namespace cppbatch {
namespace {

RandomSource default_random() {
  struct Shared {
    std::mutex mutex;
    std::mt19937_64 engine{std::random_device{}()};
    std::uniform_real_distribution<double> unit{0.0, 1.0};
  };
  auto shared = std::make_shared<Shared>();
  return [shared] {
    std::lock_guard lock(shared->mutex);
    return shared->unit(shared->engine);
  };
}

Millis scaled(Millis base, double factor) {
  return Millis(static_cast<int64_t>(std::llround(static_cast<double>(base.count()) * factor)));
}

}  // namespace

void ThreadSleeper::sleep(Millis duration) {
  if (duration.count() > 0) std::this_thread::sleep_for(duration);
}

void RecordingSleeper::sleep(Millis duration) {
  std::lock_guard lock(mutex_);
  sleeps_.push_back(duration);
}

std::vector<Millis> RecordingSleeper::sleeps() const {
  std::lock_guard lock(mutex_);
  return sleeps_;
}

Millis RecordingSleeper::total() const {
  std::lock_guard lock(mutex_);
  Millis sum{0};
  for (Millis m : sleeps_) sum += m;
  return sum;
}

BackOffPolicy::BackOffPolicy(std::shared_ptr<Sleeper> sleeper)
    : sleeper_(sleeper ? std::move(sleeper) : std::make_shared<ThreadSleeper>()) {}

BackOffState BackOffPolicy::start() const { return BackOffState{}; }

Millis BackOffPolicy::back_off(BackOffState& state) const {
  Millis wait = next_interval(state);
  ++state.back_offs;
  if (wait.count() > 0) sleeper_->sleep(wait);
  return wait;
}

Millis NoBackOffPolicy::next_interval(BackOffState&) const { return Millis(0); }

FixedBackOffPolicy::FixedBackOffPolicy(Millis period, std::shared_ptr<Sleeper> sleeper)
    : BackOffPolicy(std::move(sleeper)), period_(std::max(period, Millis(0))) {}

Millis FixedBackOffPolicy::next_interval(BackOffState&) const { return period_; }

ExponentialBackOffPolicy::ExponentialBackOffPolicy(ExponentialBackOffOptions options,
                                                   std::shared_ptr<Sleeper> sleeper)
    : BackOffPolicy(std::move(sleeper)), options_(options) {
  if (options_.initial.count() < 1) throw std::invalid_argument("exponential back-off: initial interval must be >= 1 ms");
  if (!(options_.multiplier >= 1.0)) throw std::invalid_argument("exponential back-off: multiplier must be >= 1");
  if (options_.max_interval < options_.initial) {
    throw std::invalid_argument("exponential back-off: max interval is below the initial interval");
  }
}

BackOffState ExponentialBackOffPolicy::start() const { return BackOffState{0, options_.initial}; }

Millis ExponentialBackOffPolicy::next_interval(BackOffState& state) const {
  if (state.next.count() == 0) state.next = options_.initial;
  Millis wait = state.next;
  if (wait >= options_.max_interval) {
    wait = options_.max_interval;
  } else {
    state.next = std::min(scaled(state.next, options_.multiplier), options_.max_interval);
  }
  return wait;
}

ExponentialRandomBackOffPolicy::ExponentialRandomBackOffPolicy(ExponentialBackOffOptions options,
                                                               std::shared_ptr<Sleeper> sleeper,
                                                               RandomSource random)
    : ExponentialBackOffPolicy(options, std::move(sleeper)),
      random_(random ? std::move(random) : default_random()) {}

Millis ExponentialRandomBackOffPolicy::next_interval(BackOffState& state) const {
  Millis base = ExponentialBackOffPolicy::next_interval(state);
  double factor = 1.0 + random_() * (options().multiplier - 1.0);
  return std::min(scaled(base, factor), options().max_interval);
}

UniformRandomBackOffPolicy::UniformRandomBackOffPolicy(Millis min, Millis max,
                                                       std::shared_ptr<Sleeper> sleeper,
                                                       RandomSource random)
    : BackOffPolicy(std::move(sleeper)), min_(min), max_(max),
      random_(random ? std::move(random) : default_random()) {
  if (max_ <= min_) throw std::invalid_argument("uniform random back-off: max must be above min");
}

Millis UniformRandomBackOffPolicy::next_interval(BackOffState&) const {
  return min_ + scaled(max_ - min_, random_());
}

}  // namespace cppbatch
