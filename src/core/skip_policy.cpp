#include "cppbatch/core/skip_policy.hpp"

namespace cppbatch {

std::string describe_exception(const std::exception_ptr& error) {
  if (!error) return "no error";
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown error";
  }
}

SkipLimitExceededException::SkipLimitExceededException(int64_t limit, std::exception_ptr cause)
    : std::runtime_error("skip limit of " + std::to_string(limit) + " exceeded: " +
                         describe_exception(cause)),
      limit_(limit),
      cause_(std::move(cause)) {}

LimitCheckingItemSkipPolicy::LimitCheckingItemSkipPolicy(int64_t skip_limit,
                                                         BinaryExceptionClassifier skippable)
    : limit_(skip_limit), skippable_(std::move(skippable)) {}

bool LimitCheckingItemSkipPolicy::should_skip(const std::exception_ptr& error, int64_t skip_count) {
  if (!skippable_.classify(error)) return false;
  if (skip_count < limit_) return true;
  throw SkipLimitExceededException(limit_, error);
}

ExceptionClassifierSkipPolicy::ExceptionClassifierSkipPolicy(std::shared_ptr<SkipPolicy> fallback)
    : classifier_(fallback ? std::move(fallback) : std::make_shared<NeverSkipItemSkipPolicy>()) {}

bool ExceptionClassifierSkipPolicy::should_skip(const std::exception_ptr& error, int64_t skip_count) {
  const std::shared_ptr<SkipPolicy>& policy = classifier_.classify(error);
  return policy != nullptr && policy->should_skip(error, skip_count);
}

CompositeSkipPolicy::CompositeSkipPolicy(std::vector<std::shared_ptr<SkipPolicy>> policies)
    : policies_(std::move(policies)) {}

bool CompositeSkipPolicy::should_skip(const std::exception_ptr& error, int64_t skip_count) {
  for (const auto& policy : policies_) {
    if (policy && policy->should_skip(error, skip_count)) return true;
  }
  return false;
}

}  // namespace cppbatch
