#include "cppbatch/core/retry_template.hpp"

namespace cppbatch {

RetryTemplate::RetryTemplate(std::shared_ptr<const RetryPolicy> policy,
                             std::shared_ptr<const BackOffPolicy> backoff)
    : policy_(policy ? std::move(policy) : std::make_shared<SimpleRetryPolicy>()),
      backoff_(backoff ? std::move(backoff) : std::make_shared<NoBackOffPolicy>()) {}

RetryTemplate::Attempts::Attempts(const RetryTemplate& owner)
    : owner_(owner), context_(owner.policy_->open()), backoff_(owner.backoff_->start()) {
  bool allowed = true;
  for (const auto& listener : owner_.listeners_) allowed = listener->open(context_) && allowed;
  if (!allowed) {
    auto error = std::make_exception_ptr(RetryTerminatedException("a retry listener vetoed the operation"));
    close(error);
    std::rethrow_exception(error);
  }
}

bool RetryTemplate::Attempts::can_attempt() const { return owner_.policy_->can_retry(context_); }

bool RetryTemplate::Attempts::failed(const std::exception_ptr& error) {
  owner_.policy_->register_error(context_, error);
  for (const auto& listener : owner_.listeners_) listener->on_error(context_, error);
  if (!owner_.policy_->can_retry(context_)) return false;
  owner_.backoff_->back_off(backoff_);
  return true;
}

void RetryTemplate::Attempts::close(const std::exception_ptr& error) {
  for (auto it = owner_.listeners_.rbegin(); it != owner_.listeners_.rend(); ++it) {
    (*it)->close(context_, error);
  }
}

}  // namespace cppbatch
