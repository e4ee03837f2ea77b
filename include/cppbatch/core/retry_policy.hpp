// RetryPolicy: may a failed operation be attempted again? (Spring Retry's
// policy family.) A policy keeps nothing itself; each retried operation has
// a RetryContext that the policy opens and updates:
//
//   SimpleRetryPolicy               retryable kinds (a classifier), up to
//                                   max_attempts attempts in all (3)
//   MaxAttemptsRetryPolicy          any error, up to max_attempts (3)
//   TimeoutRetryPolicy              any error while less than `timeout`
//                                   (1 s) has passed since the first attempt
//   ExceptionClassifierRetryPolicy  a policy per error kind
//   CompositeRetryPolicy            all delegates must agree (pessimistic),
//                                   or any (optimistic)
//   NeverRetryPolicy                the first attempt only
//   AlwaysRetryPolicy               forever (use with care)
//
//   SimpleRetryPolicy policy(3, BinaryExceptionClassifier(false).add<TransientError>(true));
//   RetryContext context = policy.open();
//   policy.register_error(context, error);   // after each failed attempt
//   if (policy.can_retry(context)) ...
//
// Policies are immutable once built and thread-safe; contexts are not.
#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <vector>

#include "cppbatch/common/clock.hpp"
#include "cppbatch/core/exception_classifier.hpp"

namespace cppbatch {

// The state of one retried operation.
struct RetryContext {
  int64_t retry_count = 0;         // failed attempts so far
  std::exception_ptr last_error;   // the latest failure, null before any
  Timestamp started{};             // when the policy opened the context
  bool exhausted = false;          // set to stop retrying whatever the policy says
  // Per-delegate contexts of composite and classifier policies.
  std::vector<std::unique_ptr<RetryContext>> children;
  std::vector<const void*> child_owners;

  RetryContext* find_child(const void* owner);
  const RetryContext* find_child(const void* owner) const;
  RetryContext& add_child(const void* owner, RetryContext child);
};

class RetryPolicy {
 public:
  virtual ~RetryPolicy() = default;
  virtual RetryContext open() const;
  // Attempt again? Always true before the first failure (unless exhausted).
  virtual bool can_retry(const RetryContext& context) const = 0;
  // Records a failed attempt.
  virtual void register_error(RetryContext& context, const std::exception_ptr& error) const;
};

class SimpleRetryPolicy final : public RetryPolicy {
 public:
  // Default: 3 attempts, every std::exception retryable.
  explicit SimpleRetryPolicy(int64_t max_attempts = 3);
  SimpleRetryPolicy(int64_t max_attempts, BinaryExceptionClassifier retryable);
  bool can_retry(const RetryContext& context) const override;
  int64_t max_attempts() const { return max_attempts_; }
  bool is_retryable(const std::exception_ptr& error) const { return retryable_.classify(error); }

 private:
  int64_t max_attempts_;
  BinaryExceptionClassifier retryable_;
};

class MaxAttemptsRetryPolicy final : public RetryPolicy {
 public:
  explicit MaxAttemptsRetryPolicy(int64_t max_attempts = 3) : max_attempts_(max_attempts) {}
  bool can_retry(const RetryContext& context) const override;

 private:
  int64_t max_attempts_;
};

class TimeoutRetryPolicy final : public RetryPolicy {
 public:
  // `clock` must outlive the policy; default: the system clock.
  explicit TimeoutRetryPolicy(std::chrono::milliseconds timeout = std::chrono::milliseconds(1000),
                              const Clock* clock = nullptr);
  RetryContext open() const override;
  bool can_retry(const RetryContext& context) const override;

 private:
  std::chrono::milliseconds timeout_;
  const Clock* clock_;
};

class NeverRetryPolicy final : public RetryPolicy {
 public:
  bool can_retry(const RetryContext& context) const override;
};

class AlwaysRetryPolicy final : public RetryPolicy {
 public:
  bool can_retry(const RetryContext& context) const override;
};

class ExceptionClassifierRetryPolicy final : public RetryPolicy {
 public:
  // Kinds not registered use `fallback` (null: never retried).
  explicit ExceptionClassifierRetryPolicy(std::shared_ptr<RetryPolicy> fallback = nullptr);
  template <class E>
  ExceptionClassifierRetryPolicy& add(std::shared_ptr<RetryPolicy> policy) {
    classifier_.add<E>(std::move(policy));
    return *this;
  }
  RetryContext open() const override;
  bool can_retry(const RetryContext& context) const override;
  void register_error(RetryContext& context, const std::exception_ptr& error) const override;

 private:
  ExceptionClassifier<std::shared_ptr<RetryPolicy>> classifier_;
};

class CompositeRetryPolicy final : public RetryPolicy {
 public:
  CompositeRetryPolicy(std::vector<std::shared_ptr<RetryPolicy>> policies, bool optimistic = false);
  RetryContext open() const override;
  bool can_retry(const RetryContext& context) const override;
  void register_error(RetryContext& context, const std::exception_ptr& error) const override;

 private:
  std::vector<std::shared_ptr<RetryPolicy>> policies_;
  bool optimistic_;
};

}  // namespace cppbatch
