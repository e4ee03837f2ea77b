// RetryTemplate: runs an operation, and again after a failure while the
// retry policy allows, waiting per the back-off policy in between; when
// retries are exhausted, a recovery callback (if any) gives the result,
// otherwise the last error propagates. RetryListeners see every attempt.
// (Spring Retry's RetryTemplate, stateless form.)
//
//   RetryTemplate retry(std::make_shared<SimpleRetryPolicy>(3, transient_only),
//                       std::make_shared<ExponentialBackOffPolicy>());
//   int rows = retry.execute([&](const RetryContext&) { return send(batch); });
//   int rows2 = retry.execute([&](const RetryContext&) { return send(batch); },
//                             [&](const RetryContext& c) { park(batch, c.last_error); return 0; });
//
// Thread-safe: each execute() has its own context and back-off state.
#pragma once

#include <exception>
#include <functional>
#include <stdexcept>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "cppbatch/core/backoff_policy.hpp"
#include "cppbatch/core/retry_policy.hpp"

namespace cppbatch {

// Observes retried operations. open() may veto the whole operation by
// returning false (then execute() throws RetryTerminatedException).
class RetryListener {
 public:
  virtual ~RetryListener() = default;
  virtual bool open(const RetryContext& context) {
    (void)context;
    return true;
  }
  // After each failed attempt (context already counts it).
  virtual void on_error(const RetryContext& context, const std::exception_ptr& error) {
    (void)context;
    (void)error;
  }
  // Once at the end; `error` is null when the operation (or recovery) succeeded.
  virtual void close(const RetryContext& context, const std::exception_ptr& error) {
    (void)context;
    (void)error;
  }
};

class RetryTerminatedException : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class RetryTemplate {
 public:
  // Null policy: SimpleRetryPolicy (3 attempts); null back-off: none.
  explicit RetryTemplate(std::shared_ptr<const RetryPolicy> policy = nullptr,
                         std::shared_ptr<const BackOffPolicy> backoff = nullptr);

  void add_listener(std::shared_ptr<RetryListener> listener) { listeners_.push_back(std::move(listener)); }
  const RetryPolicy& policy() const { return *policy_; }
  const BackOffPolicy& backoff() const { return *backoff_; }

  // Runs callback(context) until it returns, or the policy refuses another
  // attempt: then the last error is rethrown.
  template <class F>
  auto execute(F&& callback) {
    using R = std::invoke_result_t<F&, const RetryContext&>;
    return run<R>(callback, std::function<R(const RetryContext&)>());
  }

  // Same, but on exhaustion returns recover(context) instead of throwing.
  template <class F, class Recover>
  auto execute(F&& callback, Recover&& recover) {
    using R = std::invoke_result_t<F&, const RetryContext&>;
    return run<R>(callback, std::function<R(const RetryContext&)>(std::forward<Recover>(recover)));
  }

 private:
  // The non-template part: listeners, policy and back-off around attempts.
  class Attempts {
   public:
    // Opens the context and the listeners; throws RetryTerminatedException
    // (after closing) when a listener vetoes.
    explicit Attempts(const RetryTemplate& owner);
    bool can_attempt() const;
    // Records a failed attempt; true: back off done, try again.
    bool failed(const std::exception_ptr& error);
    void close(const std::exception_ptr& error);
    const RetryContext& context() const { return context_; }

   private:
    const RetryTemplate& owner_;
    RetryContext context_;
    BackOffState backoff_;
  };

  template <class R, class F>
  R run(F& callback, const std::function<R(const RetryContext&)>& recover) {
    Attempts attempts(*this);
    std::exception_ptr last;
    while (attempts.can_attempt()) {
      try {
        if constexpr (std::is_void_v<R>) {
          callback(attempts.context());
          attempts.close(nullptr);
          return;
        } else {
          R result = callback(attempts.context());
          attempts.close(nullptr);
          return result;
        }
      } catch (...) {
        last = std::current_exception();
        if (!attempts.failed(last)) break;
      }
    }
    if (recover) {
      try {
        if constexpr (std::is_void_v<R>) {
          recover(attempts.context());
          attempts.close(nullptr);
          return;
        } else {
          R result = recover(attempts.context());
          attempts.close(nullptr);
          return result;
        }
      } catch (...) {
        attempts.close(std::current_exception());
        throw;
      }
    }
    if (!last) last = std::make_exception_ptr(RetryTerminatedException("retry refused before any attempt"));
    attempts.close(last);
    std::rethrow_exception(last);
  }

  std::shared_ptr<const RetryPolicy> policy_;
  std::shared_ptr<const BackOffPolicy> backoff_;
  std::vector<std::shared_ptr<RetryListener>> listeners_;
};

}  // namespace cppbatch
