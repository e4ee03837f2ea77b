#include "cppbatch/core/repeat_template.hpp"

namespace cppbatch {

SimpleLimitExceptionHandler::SimpleLimitExceptionHandler(int64_t limit, BinaryExceptionClassifier tolerated)
    : limit_(limit), tolerated_(std::move(tolerated)) {}

void SimpleLimitExceptionHandler::handle(const std::exception_ptr& error) {
  if (!tolerated_.classify(error)) std::rethrow_exception(error);
  if (++errors_ > limit_) std::rethrow_exception(error);
}

RepeatTemplate::RepeatTemplate(std::unique_ptr<CompletionPolicy> policy)
    : policy_(std::move(policy)), handler_(std::make_shared<RethrowExceptionHandler>()) {}

void RepeatTemplate::set_exception_handler(std::shared_ptr<RepeatExceptionHandler> handler) {
  handler_ = handler ? std::move(handler) : std::make_shared<RethrowExceptionHandler>();
}

RepeatResult RepeatTemplate::iterate(const std::function<RepeatStatus()>& callback) {
  RepeatResult result;
  if (policy_) policy_->start();
  while (true) {
    ++result.iterations;
    try {
      if (callback() == RepeatStatus::FINISHED) {
        result.status = RepeatStatus::FINISHED;
        return result;
      }
    } catch (...) {
      handler_->handle(std::current_exception());
    }
    if (policy_ && policy_->is_complete(static_cast<size_t>(result.iterations))) return result;
  }
}

}  // namespace cppbatch
