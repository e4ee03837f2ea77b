// Internal: how a failure is described in EXIT_MESSAGE and logs.
#pragma once

#include <exception>
#include <string>

namespace cppbatch::internal {

// The demangled dynamic type of `error` ("cppbatch::ParseError").
std::string exception_type_name(const std::exception& error);

// "what()" prefixed with the demangled exception type unless it is a
// plain std::runtime_error/std::exception.
std::string describe_failure(const std::exception& error);

}  // namespace cppbatch::internal
