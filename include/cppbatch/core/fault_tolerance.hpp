// FaultToleranceOptions: what a fault-tolerant chunk step does when a read,
// process or write fails (Spring Batch's faultTolerant() step). Filled by
// StepBuilder(...).chunk<I, O>(n)...fault_tolerant() (or by a job file);
// every field has the default Spring Batch uses.
//
//   auto step = StepBuilder("load", repo).chunk<Line, Row>(100)
//       .reader(...).processor(...).writer(...)
//       .fault_tolerant()
//       .skip<ParseError>().skip_limit(20)          // skip bad lines, at most 20
//       .retry<DeadlockError>().retry_limit(3)      // 3 attempts in all
//       .back_off(std::make_shared<ExponentialBackOffPolicy>())
//       .build();
//
// What happens, in short (docs/fault-tolerance.md has the details and the
// counters of each case):
//   read error    skippable: read_skip_count + 1, reading goes on; else the
//                 step fails.
//   process error the chunk rolls back and is processed again from the
//                 items it already read (the reader is not re-read); a
//                 retryable error gets up to retry_limit attempts; then a
//                 skippable item is left out (process_skip_count + 1), any
//                 other error fails the step.
//   write error   retried the same way (the whole chunk written again); then,
//                 if the error is skippable, the chunk is written again in
//                 smaller transactions to find the bad items ("scan"): one
//                 item per transaction (ITEM_BY_ITEM, Spring's way and
//                 counters) or by halving (BISECT); bad items are skipped
//                 (write_skip_count + 1), good ones written once.
//   no_rollback   a processor or writer error of such a kind does not roll
//                 the chunk back: a skippable one is skipped in place.
// The skip limit counts skips of every phase; going over it fails the step
// with SkipLimitExceededException (its message names the cause).
#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <stdexcept>
#include <vector>

#include "cppbatch/core/backoff_policy.hpp"
#include "cppbatch/core/exception_classifier.hpp"
#include "cppbatch/core/retry_policy.hpp"
#include "cppbatch/core/retry_template.hpp"
#include "cppbatch/core/skip_policy.hpp"

namespace cppbatch {

// How a chunk whose write failed is written again to find the bad items.
enum class ScanMode {
  // One item per transaction: n transactions for a chunk of n (Spring
  // Batch's scan; its commit, rollback and skip counts).
  ITEM_BY_ITEM,
  // Halves: each half in its own transaction, a failing half halved again;
  // about 2·log2(n) transactions for one bad item in n. Counters differ
  // from Spring Batch's (fewer commits and rollbacks); skips and output are
  // the same.
  BISECT,
};

struct FaultToleranceOptions {
  // Error kinds that may be skipped (true) or not (false), most specific
  // type winning. Default: nothing is skippable.
  BinaryExceptionClassifier skippable{false};
  // Skips allowed in one step execution, all phases together (Spring: 10).
  int64_t skip_limit = 10;
  // Replaces nothing: when set, an item is skipped if this policy OR the
  // skippable/skip_limit pair says so (Spring's composite). Null: only the
  // pair.
  std::shared_ptr<SkipPolicy> skip_policy;

  // Error kinds that may be retried (true) or not (false). Default: none.
  BinaryExceptionClassifier retryable{false};
  // Attempts in all for a retryable error (Spring's retryLimit; 0 or 1:
  // no retry). A retry_limit above 1 needs retryable kinds or a policy.
  int64_t retry_limit = 0;
  // When set, used instead of retryable/retry_limit — or together with them
  // (both must allow a retry) when retryable kinds and a limit are also set.
  std::shared_ptr<const RetryPolicy> retry_policy;
  // Waited between attempts. Null: no waiting.
  std::shared_ptr<const BackOffPolicy> back_off;

  // Error kinds that do not roll the chunk back when raised by the processor
  // or the writer (Spring's noRollback). Default: every error rolls back.
  BinaryExceptionClassifier no_rollback{false};

  ScanMode scan = ScanMode::ITEM_BY_ITEM;

  // Told about each failed attempt of a retried operation (on_error), and
  // about its end (close). open() is called when an operation fails for
  // the first time; returning false there forbids retrying it.
  std::vector<std::shared_ptr<RetryListener>> retry_listeners;
};

}  // namespace cppbatch

namespace cppbatch {

// Why a fault-tolerant step gave up on an item: the error `cause()` was not
// skippable (after any retries). The step fails with it; what() names the
// phase, the cause's type and message, and the attempts made.
class NonSkippableException : public std::runtime_error {
 public:
  const std::exception_ptr& cause() const { return cause_; }
  int64_t attempts() const { return attempts_; }

 protected:
  NonSkippableException(const char* phase, std::exception_ptr cause, int64_t attempts);

 private:
  std::exception_ptr cause_;
  int64_t attempts_;
};

class NonSkippableReadException final : public NonSkippableException {
 public:
  explicit NonSkippableReadException(std::exception_ptr cause);
};

class NonSkippableProcessException final : public NonSkippableException {
 public:
  NonSkippableProcessException(std::exception_ptr cause, int64_t attempts);
};

class NonSkippableWriteException final : public NonSkippableException {
 public:
  NonSkippableWriteException(std::exception_ptr cause, int64_t attempts);
};

}  // namespace cppbatch
