// ProgressReporter: shows how a running job execution is getting on, by
// polling the job repository from a background thread. It never touches
// the job's own objects, so it works the same for a job running in this
// process or in another one sharing the repository.
//
// Two renderings:
// - terminal: one live line per step on `out`, rewritten in place with
//   '\r' while the step runs (name, status, items read/written, items/s,
//   commits, skips, elapsed) and left as the step's final line when it
//   ends. Several steps running at once (a split) share the live line.
// - plain (a pipe, a log file, cron): one log line per running step at
//   most every `log_interval`, nothing else; the engine's own "step ended"
//   log line tells the end.
//
//   ProgressReporter progress(repository, handle.id(), {.terminal = isatty(1) != 0});
//   progress.start();
//   handle.wait();
//   progress.stop();   // prompt: wakes the poller at once
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "cppbatch/common/clock.hpp"
#include "cppbatch/core/job_explorer.hpp"
#include "cppbatch/core/step_execution.hpp"

namespace cppbatch {

struct ProgressOptions {
  // How often the repository is polled. Default 250 ms.
  std::chrono::milliseconds poll_interval{250};
  // Plain mode: the least time between two log lines about one step.
  // Default 10 s (a step shorter than that logs no progress at all).
  std::chrono::milliseconds log_interval{std::chrono::seconds{10}};
  // True: live '\r' lines on `out`. False: plain log lines. Default false.
  bool terminal = false;
  // Where terminal lines go; null means std::cout. Must outlive the reporter.
  std::ostream* out = nullptr;
  // Where plain lines go; empty means the framework logger at info level.
  std::function<void(const std::string&)> log;
  // The time used for elapsed time and items/s; null means system_clock().
  // Must outlive the reporter.
  Clock* clock = nullptr;
};

// "settle  STARTED  read 1200  written 1190  4000 items/s  commits 12  skips 0  0:03.2"
// Elapsed time runs from the step's start to its end, or to `now` while it
// runs; items/s is the larger of read and write counts over that time.
std::string format_step_progress(const StepExecution& step, Timestamp now);

class ProgressReporter {
 public:
  // `explorer` must outlive the reporter; it must be thread-safe (every
  // JobRepository is).
  ProgressReporter(JobExplorer& explorer, int64_t execution_id, ProgressOptions options = {});
  // Stops (see stop()).
  ~ProgressReporter();
  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

  // Starts polling on a background thread. Call at most once.
  void start();
  // Stops the poller at once and joins it. In terminal mode, renders the
  // final state once more so every step that ran ends with its own
  // complete line. Idempotent.
  void stop();

  // One poll and render, on the caller's thread (what the background thread
  // does every poll_interval). For tests with a manual clock; do not call
  // while the background thread runs.
  void report_once();

 private:
  void render_terminal(const JobExecution& execution, Timestamp now);
  void render_plain(const JobExecution& execution, Timestamp now);

  JobExplorer& explorer_;
  const int64_t execution_id_;
  ProgressOptions options_;
  Clock& clock_;
  std::ostream& out_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  std::thread thread_;

  // Render state: touched by one thread at a time (the poller, or the
  // caller of stop() after the join).
  bool live_line_open_ = false;
  std::set<int64_t> finished_steps_;             // terminal: final line printed
  std::map<int64_t, Timestamp> last_logged_;     // plain: last line per step
};

}  // namespace cppbatch
