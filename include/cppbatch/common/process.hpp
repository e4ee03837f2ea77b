// Facts about processes, used to detect executions whose owner died.
#pragma once

#include <string>

namespace cppbatch {

// This machine's host name (never empty; "localhost" if unknown).
const std::string& host_name();
// This process's id.
long current_pid();
// True if a process with that id exists on this host (kill(pid, 0)).
bool process_alive(long pid);

}  // namespace cppbatch
