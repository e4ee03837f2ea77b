#include "cppbatch/operations/progress_reporter.hpp"

#include <fmt/format.h>

#include <iostream>

#include "cppbatch/common/logging.hpp"
#include "cppbatch/operations/execution_format.hpp"

namespace cppbatch {

namespace {
// Erases from the cursor to the end of the line (ANSI EL), so a shorter
// rewrite leaves no tail of the previous one.
constexpr std::string_view kClearToEnd = "\x1b[K";
}  // namespace

std::string format_step_progress(const StepExecution& step, Timestamp now) {
  auto duration = step_elapsed(step, now);
  return fmt::format("{}  {}  read {}  written {}  {} items/s  commits {}  skips {}  {}", step.step_name,
                     to_string(step.status), step.read_count, step.write_count,
                     format_rate(items_per_second(step, duration)), step.commit_count, step.skip_count(),
                     format_duration(duration));
}

ProgressReporter::ProgressReporter(JobExplorer& explorer, int64_t execution_id, ProgressOptions options)
    : explorer_(explorer),
      execution_id_(execution_id),
      options_(std::move(options)),
      clock_(options_.clock ? *options_.clock : system_clock()),
      out_(options_.out ? *options_.out : std::cout) {}

ProgressReporter::~ProgressReporter() { stop(); }

void ProgressReporter::start() {
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      report_once();
      lock.lock();
      wake_.wait_for(lock, options_.poll_interval, [this] { return stopping_; });
    }
  });
}

void ProgressReporter::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (options_.terminal) report_once();
  if (live_line_open_) {
    out_ << '\n' << std::flush;
    live_line_open_ = false;
  }
}

void ProgressReporter::report_once() {
  try {
    auto execution = explorer_.job_execution(execution_id_);
    if (!execution) {
      logger().debug("progress of execution {}: {}", execution_id_, execution.error().to_string());
      return;
    }
    const Timestamp now = clock_.now();
    if (options_.terminal) {
      render_terminal(*execution.value(), now);
    } else {
      render_plain(*execution.value(), now);
    }
  } catch (const std::exception& e) {
    // Progress is best effort: never let it disturb the run.
    logger().debug("progress of execution {} failed: {}", execution_id_, e.what());
  }
}

void ProgressReporter::render_terminal(const JobExecution& execution, Timestamp now) {
  std::string text;
  std::string running;
  for (const auto& step : execution.step_executions) {
    if (is_running(step->status)) {
      if (!running.empty()) running += " | ";
      running += format_step_progress(*step, now);
    } else if (finished_steps_.insert(step->id).second) {
      // The step's final line replaces its live one and stays.
      text += fmt::format("\r{}{}\n", format_step_progress(*step, now), kClearToEnd);
      live_line_open_ = false;
    }
  }
  if (!running.empty()) {
    text += fmt::format("\r{}{}", running, kClearToEnd);
    live_line_open_ = true;
  }
  if (!text.empty()) out_ << text << std::flush;
}

void ProgressReporter::render_plain(const JobExecution& execution, Timestamp now) {
  for (const auto& step : execution.step_executions) {
    if (!is_running(step->status)) {
      last_logged_.erase(step->id);
      continue;
    }
    auto it = last_logged_.try_emplace(step->id, step->start_time.value_or(now)).first;
    if (now - it->second < options_.log_interval) continue;
    it->second = now;
    auto duration = step_elapsed(*step, now);
    std::string line = fmt::format(
        "[{}#{}/{}] progress: read={} written={} filtered={} items/s={} commits={} skips={} elapsed={}",
        execution.job_name(), execution.id, step->step_name, step->read_count, step->write_count,
        step->filter_count, format_rate(items_per_second(*step, duration)), step->commit_count, step->skip_count(),
        format_duration(duration));
    if (options_.log) {
      options_.log(line);
    } else {
      logger().info("{}", line);
    }
  }
}

}  // namespace cppbatch
