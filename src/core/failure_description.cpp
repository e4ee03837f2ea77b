#include "core/failure_description.hpp"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>
#include <typeinfo>

namespace cppbatch::internal {

std::string exception_type_name(const std::exception& error) {
  const char* mangled = typeid(error).name();
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> demangled(abi::__cxa_demangle(mangled, nullptr, nullptr, &status),
                                                   std::free);
  return status == 0 && demangled ? demangled.get() : mangled;
}

std::string describe_failure(const std::exception& error) {
  std::string type = exception_type_name(error);
  if (type == "std::runtime_error" || type == "std::exception" || type == "std::logic_error") return error.what();
  return type + ": " + error.what();
}

}  // namespace cppbatch::internal
