// Logging: one spdlog logger named "cppbatch" shared by every layer.
//
// Lines carry job name, execution id and step name where known:
//   [2026-11-21 08:00:00.123] [info] [settlementJob#12/settle] chunk committed
#pragma once

#include <spdlog/spdlog.h>

namespace cppbatch {

// The framework's logger (created on first use, writes to stderr).
spdlog::logger& logger();

// Sets the level of the framework's logger ("trace".."off").
void set_log_level(spdlog::level::level_enum level);

}  // namespace cppbatch
