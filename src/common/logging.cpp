#include "cppbatch/common/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace cppbatch {

spdlog::logger& logger() {
  static std::shared_ptr<spdlog::logger> instance = [] {
    auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    auto log = std::make_shared<spdlog::logger>("cppbatch", sink);
    log->set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%l] %v");
    log->set_level(spdlog::level::info);
    return log;
  }();
  return *instance;
}

void set_log_level(spdlog::level::level_enum level) { logger().set_level(level); }

}  // namespace cppbatch
