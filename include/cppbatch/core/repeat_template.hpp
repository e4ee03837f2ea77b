// RepeatTemplate: calls a callback again and again until it says FINISHED
// or the completion policy says enough — how a tasklet repeats a unit of
// work (Spring's RepeatTemplate). An exception from the callback goes to
// the exception handler, which rethrows it (the default) or lets the loop
// go on (SimpleLimitExceptionHandler, up to a limit).
//
//   RepeatTemplate repeat(std::make_unique<SimpleCompletionPolicy>(10));
//   repeat.set_exception_handler(std::make_shared<SimpleLimitExceptionHandler>(
//       3, BinaryExceptionClassifier(false).add<TransientError>(true)));
//   RepeatResult r = repeat.iterate([&] { return poll_once(); });
//   // r.iterations, r.status (FINISHED if the callback finished, else CONTINUABLE)
//
// Not thread-safe (one loop at a time).
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>

#include "cppbatch/core/completion_policy.hpp"
#include "cppbatch/core/exception_classifier.hpp"
#include "cppbatch/core/tasklet.hpp"

namespace cppbatch {

class RepeatExceptionHandler {
 public:
  virtual ~RepeatExceptionHandler() = default;
  // Rethrow `error` to end the loop, or return to continue it.
  virtual void handle(const std::exception_ptr& error) = 0;
};

// Always rethrows (the default).
class RethrowExceptionHandler final : public RepeatExceptionHandler {
 public:
  void handle(const std::exception_ptr& error) override { std::rethrow_exception(error); }
};

// Tolerates up to `limit` errors of the classified kinds (all kinds when
// the classifier is empty) over the handler's lifetime, rethrowing the next
// one; other kinds are rethrown at once.
class SimpleLimitExceptionHandler final : public RepeatExceptionHandler {
 public:
  explicit SimpleLimitExceptionHandler(int64_t limit,
                                       BinaryExceptionClassifier tolerated = BinaryExceptionClassifier(true));
  void handle(const std::exception_ptr& error) override;
  int64_t errors() const { return errors_; }

 private:
  int64_t limit_;
  BinaryExceptionClassifier tolerated_;
  int64_t errors_ = 0;
};

struct RepeatResult {
  int64_t iterations = 0;
  RepeatStatus status = RepeatStatus::CONTINUABLE;  // FINISHED: the callback said so
};

class RepeatTemplate {
 public:
  // Null policy: repeat until the callback finishes.
  explicit RepeatTemplate(std::unique_ptr<CompletionPolicy> policy = nullptr);
  void set_exception_handler(std::shared_ptr<RepeatExceptionHandler> handler);

  // Calls `callback` until it returns FINISHED or the policy is complete
  // (checked after each call, erroneous ones included).
  RepeatResult iterate(const std::function<RepeatStatus()>& callback);

 private:
  std::unique_ptr<CompletionPolicy> policy_;
  std::shared_ptr<RepeatExceptionHandler> handler_;
};

}  // namespace cppbatch
