// SkipPolicy: may an item that failed with this error be skipped? Asked by
// a fault-tolerant chunk step for an error in read, process or write, with
// the step's skip count so far (all phases). Spring's SkipPolicy family:
//
//   AlwaysSkipItemSkipPolicy       every error is skippable, no limit
//   NeverSkipItemSkipPolicy        nothing is skippable (the default)
//   LimitCheckingItemSkipPolicy    skippable kinds (a classifier) up to a
//                                  limit; one more throws SkipLimitExceeded
//   ExceptionClassifierSkipPolicy  a policy per error kind
//   CompositeSkipPolicy            skippable when any delegate says so
//
//   LimitCheckingItemSkipPolicy policy(10, BinaryExceptionClassifier(false)
//                                              .add<ParseError>(true));
//   policy.should_skip(error, skips_so_far);
//
// Policies are called on the step's thread(s); the built-in ones are
// immutable once built and so thread-safe.
#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cppbatch/core/exception_classifier.hpp"

namespace cppbatch {

// The skip limit was reached and another skippable error occurred. The
// step fails with it; cause() is the error that could not be skipped.
class SkipLimitExceededException : public std::runtime_error {
 public:
  SkipLimitExceededException(int64_t limit, std::exception_ptr cause);
  int64_t limit() const { return limit_; }
  const std::exception_ptr& cause() const { return cause_; }

 private:
  int64_t limit_;
  std::exception_ptr cause_;
};

// The message of an exception_ptr's exception ("unknown error" when it is
// not a std::exception).
std::string describe_exception(const std::exception_ptr& error);

class SkipPolicy {
 public:
  virtual ~SkipPolicy() = default;
  // true: skip the item. false: the error is not skippable (the step
  // fails, unless retry applies). May throw SkipLimitExceededException.
  virtual bool should_skip(const std::exception_ptr& error, int64_t skip_count) = 0;
};

class AlwaysSkipItemSkipPolicy final : public SkipPolicy {
 public:
  bool should_skip(const std::exception_ptr&, int64_t) override { return true; }
};

class NeverSkipItemSkipPolicy final : public SkipPolicy {
 public:
  bool should_skip(const std::exception_ptr&, int64_t) override { return false; }
};

class LimitCheckingItemSkipPolicy final : public SkipPolicy {
 public:
  LimitCheckingItemSkipPolicy(int64_t skip_limit, BinaryExceptionClassifier skippable);

  // Not skippable → false. Skippable: true while skip_count < limit, else
  // throws SkipLimitExceededException carrying `error`.
  bool should_skip(const std::exception_ptr& error, int64_t skip_count) override;

  int64_t skip_limit() const { return limit_; }
  const BinaryExceptionClassifier& classifier() const { return skippable_; }

 private:
  int64_t limit_;
  BinaryExceptionClassifier skippable_;
};

class ExceptionClassifierSkipPolicy final : public SkipPolicy {
 public:
  // `fallback` answers for kinds not registered (null: not skippable).
  explicit ExceptionClassifierSkipPolicy(std::shared_ptr<SkipPolicy> fallback = nullptr);
  template <class E>
  ExceptionClassifierSkipPolicy& add(std::shared_ptr<SkipPolicy> policy) {
    classifier_.add<E>(std::move(policy));
    return *this;
  }
  bool should_skip(const std::exception_ptr& error, int64_t skip_count) override;

 private:
  ExceptionClassifier<std::shared_ptr<SkipPolicy>> classifier_;
};

class CompositeSkipPolicy final : public SkipPolicy {
 public:
  explicit CompositeSkipPolicy(std::vector<std::shared_ptr<SkipPolicy>> policies);
  // true when any delegate, asked in order, says true (a delegate's
  // SkipLimitExceededException propagates).
  bool should_skip(const std::exception_ptr& error, int64_t skip_count) override;

 private:
  std::vector<std::shared_ptr<SkipPolicy>> policies_;
};

}  // namespace cppbatch
