#include "cppbatch/core/retry_policy.hpp"

namespace cppbatch {

RetryContext* RetryContext::find_child(const void* owner) {
  for (size_t i = 0; i < child_owners.size(); ++i) {
    if (child_owners[i] == owner) return children[i].get();
  }
  return nullptr;
}

const RetryContext* RetryContext::find_child(const void* owner) const {
  for (size_t i = 0; i < child_owners.size(); ++i) {
    if (child_owners[i] == owner) return children[i].get();
  }
  return nullptr;
}

RetryContext& RetryContext::add_child(const void* owner, RetryContext child) {
  child_owners.push_back(owner);
  children.push_back(std::make_unique<RetryContext>(std::move(child)));
  return *children.back();
}

RetryContext RetryPolicy::open() const { return RetryContext{}; }

void RetryPolicy::register_error(RetryContext& context, const std::exception_ptr& error) const {
  ++context.retry_count;
  context.last_error = error;
}

SimpleRetryPolicy::SimpleRetryPolicy(int64_t max_attempts)
    : SimpleRetryPolicy(max_attempts, BinaryExceptionClassifier(false).add<std::exception>(true)) {}

SimpleRetryPolicy::SimpleRetryPolicy(int64_t max_attempts, BinaryExceptionClassifier retryable)
    : max_attempts_(max_attempts), retryable_(std::move(retryable)) {}

bool SimpleRetryPolicy::can_retry(const RetryContext& context) const {
  if (context.exhausted) return false;
  if (!context.last_error) return true;
  return retryable_.classify(context.last_error) && context.retry_count < max_attempts_;
}

bool MaxAttemptsRetryPolicy::can_retry(const RetryContext& context) const {
  if (context.exhausted) return false;
  return !context.last_error || context.retry_count < max_attempts_;
}

TimeoutRetryPolicy::TimeoutRetryPolicy(std::chrono::milliseconds timeout, const Clock* clock)
    : timeout_(timeout), clock_(clock != nullptr ? clock : &system_clock()) {}

RetryContext TimeoutRetryPolicy::open() const {
  RetryContext context;
  context.started = clock_->now();
  return context;
}

bool TimeoutRetryPolicy::can_retry(const RetryContext& context) const {
  if (context.exhausted) return false;
  return clock_->now() - context.started <= timeout_;
}

bool NeverRetryPolicy::can_retry(const RetryContext& context) const {
  return !context.exhausted && !context.last_error;
}

bool AlwaysRetryPolicy::can_retry(const RetryContext& context) const { return !context.exhausted; }

ExceptionClassifierRetryPolicy::ExceptionClassifierRetryPolicy(std::shared_ptr<RetryPolicy> fallback)
    : classifier_(fallback ? std::move(fallback) : std::make_shared<NeverRetryPolicy>()) {}

RetryContext ExceptionClassifierRetryPolicy::open() const { return RetryPolicy::open(); }

bool ExceptionClassifierRetryPolicy::can_retry(const RetryContext& context) const {
  if (context.exhausted) return false;
  if (!context.last_error) return true;
  const std::shared_ptr<RetryPolicy>& policy = classifier_.classify(context.last_error);
  if (!policy) return false;
  const RetryContext* child = context.find_child(policy.get());
  return child != nullptr && policy->can_retry(*child);
}

void ExceptionClassifierRetryPolicy::register_error(RetryContext& context,
                                                    const std::exception_ptr& error) const {
  RetryPolicy::register_error(context, error);
  const std::shared_ptr<RetryPolicy>& policy = classifier_.classify(error);
  if (!policy) return;
  RetryContext* child = context.find_child(policy.get());
  if (child == nullptr) child = &context.add_child(policy.get(), policy->open());
  policy->register_error(*child, error);
}

CompositeRetryPolicy::CompositeRetryPolicy(std::vector<std::shared_ptr<RetryPolicy>> policies,
                                           bool optimistic)
    : policies_(std::move(policies)), optimistic_(optimistic) {}

RetryContext CompositeRetryPolicy::open() const {
  RetryContext context = RetryPolicy::open();
  for (const auto& policy : policies_) context.add_child(policy.get(), policy->open());
  return context;
}

bool CompositeRetryPolicy::can_retry(const RetryContext& context) const {
  if (context.exhausted) return false;
  if (policies_.empty()) return !context.last_error;
  for (const auto& policy : policies_) {
    const RetryContext* child = context.find_child(policy.get());
    bool yes = child != nullptr && policy->can_retry(*child);
    if (optimistic_ && yes) return true;
    if (!optimistic_ && !yes) return false;
  }
  return !optimistic_;
}

void CompositeRetryPolicy::register_error(RetryContext& context, const std::exception_ptr& error) const {
  RetryPolicy::register_error(context, error);
  for (const auto& policy : policies_) {
    RetryContext* child = context.find_child(policy.get());
    if (child == nullptr) child = &context.add_child(policy.get(), policy->open());
    policy->register_error(*child, error);
  }
}

}  // namespace cppbatch
