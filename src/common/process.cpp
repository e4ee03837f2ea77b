#include "cppbatch/common/process.hpp"

#include <cerrno>
#include <csignal>
#include <unistd.h>

namespace cppbatch {

const std::string& host_name() {
  static const std::string name = [] {
    char buffer[256] = {};
    if (gethostname(buffer, sizeof buffer - 1) != 0 || buffer[0] == '\0') return std::string("localhost");
    return std::string(buffer);
  }();
  return name;
}

long current_pid() { return static_cast<long>(getpid()); }

bool process_alive(long pid) {
  if (pid <= 0) return false;
  if (kill(static_cast<pid_t>(pid), 0) == 0) return true;
  return errno == EPERM;  // exists, owned by someone else
}

}  // namespace cppbatch
