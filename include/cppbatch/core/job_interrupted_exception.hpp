// JobInterruptedException: thrown inside a step to end it as STOPPED (the
// engine throws it at a chunk boundary once a stop was requested; a
// tasklet may throw it too). The job then ends STOPPED and can restart.
#pragma once

#include <stdexcept>
#include <string>

namespace cppbatch {

class JobInterruptedException : public std::runtime_error {
 public:
  explicit JobInterruptedException(const std::string& message = "Job execution interrupted by a stop request")
      : std::runtime_error(message) {}
};

}  // namespace cppbatch
