// Result<T>: the one way cppbatch reports an expected refusal.
//
// Framework operations that can be refused for a reason the caller must
// handle (already complete, already running, not restartable, no such job,
// bad parameter, version conflict, storage failure) return a [[nodiscard]]
// Result<T> carrying either the value or an Error with a canonical code.
// User components (readers, writers, tasklets...) may throw; the step
// engine catches at the chunk boundary. See docs/errors.md.
//
//   Result<JobExecution*> r = launcher.run(job, params);
//   if (!r) { std::cerr << r.error().message; return r.error().exit_code(); }
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace cppbatch {

enum class ErrorCode {
  INVALID_ARGUMENT,       // a bad parameter, option or job definition
  NOT_FOUND,              // no such job, execution or instance
  ALREADY_COMPLETE,       // JobInstance already completed (or abandoned)
  ALREADY_RUNNING,        // an execution of the instance is running
  NOT_RESTARTABLE,        // restart refused (preventRestart, start limit...)
  ILLEGAL_STATE,          // the operation does not apply in this state
  CONFLICT,               // optimistic locking failure (VERSION mismatch)
  STORAGE,                // the repository's database failed
  IO,                     // a file could not be read or written
  INTERNAL,               // a bug: should never be seen
};

std::string_view to_string(ErrorCode code);

class Error {
 public:
  Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "ALREADY_COMPLETE: A job instance already exists and is complete..."
  std::string to_string() const;

 private:
  ErrorCode code_;
  std::string message_;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : data_(std::move(error)) {}  // NOLINT

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // Precondition: ok().
  T& value() & { return std::get<0>(data_); }
  const T& value() const& { return std::get<0>(data_); }
  T&& value() && { return std::get<0>(std::move(data_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }

  // Precondition: !ok().
  const Error& error() const { return std::get<1>(data_); }

 private:
  std::variant<T, Error> data_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_{ErrorCode::INTERNAL, ""};
  bool ok_ = true;
};

inline Result<void> ok_result() { return {}; }

}  // namespace cppbatch

// Returns the error of a failed Result<...> expression from the enclosing
// function (whose return type must be constructible from Error).
#define CPPBATCH_RETURN_IF_ERROR(expr)                 \
  do {                                                 \
    auto cppbatch_result_ = (expr);                    \
    if (!cppbatch_result_.ok()) return cppbatch_result_.error(); \
  } while (false)
