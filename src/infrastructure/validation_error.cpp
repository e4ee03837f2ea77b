#include "cppbatch/infrastructure/validation_error.hpp"

#include <utility>

namespace cppbatch {

ValidationError::ValidationError(std::string reason) : ValidationError(std::string(), std::move(reason)) {}

ValidationError::ValidationError(std::string field, std::string reason)
    : std::runtime_error(field.empty() ? reason : "field '" + field + "': " + reason),
      field_(std::move(field)),
      reason_(std::move(reason)) {}

}  // namespace cppbatch
