#include "cppbatch/common/result.hpp"

namespace cppbatch {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case ErrorCode::NOT_FOUND: return "NOT_FOUND";
    case ErrorCode::ALREADY_COMPLETE: return "ALREADY_COMPLETE";
    case ErrorCode::ALREADY_RUNNING: return "ALREADY_RUNNING";
    case ErrorCode::NOT_RESTARTABLE: return "NOT_RESTARTABLE";
    case ErrorCode::ILLEGAL_STATE: return "ILLEGAL_STATE";
    case ErrorCode::CONFLICT: return "CONFLICT";
    case ErrorCode::STORAGE: return "STORAGE";
    case ErrorCode::IO: return "IO";
    case ErrorCode::INTERNAL: return "INTERNAL";
  }
  return "INTERNAL";
}

std::string Error::to_string() const {
  return std::string(cppbatch::to_string(code_)) + ": " + message_;
}

}  // namespace cppbatch
