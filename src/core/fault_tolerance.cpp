#include "cppbatch/core/fault_tolerance.hpp"

#include <string>

#include "core/failure_description.hpp"

namespace cppbatch {

namespace {

std::string describe_cause(const std::exception_ptr& cause) {
  if (!cause) return "no error";
  try {
    std::rethrow_exception(cause);
  } catch (const std::exception& e) {
    return internal::describe_failure(e);
  } catch (...) {
    return "unknown error";
  }
}

std::string message(const char* phase, const std::exception_ptr& cause, int64_t attempts) {
  std::string text = std::string("non-skippable error in ") + phase;
  if (attempts > 1) text += " after " + std::to_string(attempts) + " attempts";
  return text + ": " + describe_cause(cause);
}

}  // namespace

NonSkippableException::NonSkippableException(const char* phase, std::exception_ptr cause, int64_t attempts)
    : std::runtime_error(message(phase, cause, attempts)), cause_(std::move(cause)), attempts_(attempts) {}

NonSkippableReadException::NonSkippableReadException(std::exception_ptr cause)
    : NonSkippableException("reader", std::move(cause), 1) {}

NonSkippableProcessException::NonSkippableProcessException(std::exception_ptr cause, int64_t attempts)
    : NonSkippableException("processor", std::move(cause), attempts) {}

NonSkippableWriteException::NonSkippableWriteException(std::exception_ptr cause, int64_t attempts)
    : NonSkippableException("writer", std::move(cause), attempts) {}

}  // namespace cppbatch
