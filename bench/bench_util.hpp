// Helpers shared by the benchmarks in bench/: wall-clock timing with
// best-of-N repetitions, a temporary directory, an optimisation barrier and
// the side-by-side table every bench prints (framework vs hand-written
// baseline, plus the ratio).
//
// Not a public API: only bench/*_bench.cpp include it.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <time.h>
#include <unistd.h>

#include "cppbatch/common/logging.hpp"
#include "cppbatch/core/batch_status.hpp"
#include "cppbatch/core/job.hpp"
#include "cppbatch/core/job_execution.hpp"
#include "cppbatch/core/job_launcher.hpp"
#include "cppbatch/core/job_parameters.hpp"

namespace bench {

using Clock = std::chrono::steady_clock;

// Keeps the compiler from proving `value` unused.
template <class T>
inline void do_not_optimize(const T& value) {
  asm volatile("" : : "r,m"(value) : "memory");
}

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Repetitions per measurement; BENCH_REPS overrides (default 3).
inline int repetitions() {
  if (const char* env = std::getenv("BENCH_REPS")) {
    int n = std::atoi(env);
    if (n > 0) return n;
  }
  return 3;
}

// CPU time (user + system, all threads) this process has used, in seconds.
inline double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// The best (smallest) wall time and the smallest CPU time of `reps` runs,
// in seconds. CPU time is the figure to trust on a loaded machine (other
// processes steal wall time, not CPU time); wall time also counts waiting
// for the disk (fsync), which CPU time does not.
struct Timing {
  double wall = 1e300;
  double cpu = 1e300;
};

// Runs `run` `reps` times; `setup` runs before each repetition, untimed.
inline Timing measure(int reps, const std::function<void()>& run, const std::function<void()>& setup = {}) {
  Timing best;
  for (int i = 0; i < reps; ++i) {
    if (setup) setup();
    double cpu = process_cpu_seconds();
    auto start = Clock::now();
    run();
    best.wall = std::min(best.wall, seconds_since(start));
    best.cpu = std::min(best.cpu, process_cpu_seconds() - cpu);
  }
  return best;
}

// Best wall time only (see measure()).
inline double best_of(int reps, const std::function<void()>& run, const std::function<void()>& setup = {}) {
  return measure(reps, run, setup).wall;
}

// Median of `samples` (copied).
inline double median(std::vector<double> samples) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  size_t n = samples.size();
  return n % 2 == 1 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
}

// A fresh directory under $TMPDIR (or /tmp), removed with its content when
// the object dies (unless BENCH_KEEP_TMP is set).
class TempDir {
 public:
  explicit TempDir(std::string_view prefix = "cppbatch-bench") {
    std::filesystem::path base = std::filesystem::temp_directory_path();
    std::string pattern = (base / (std::string(prefix) + "-XXXXXX")).string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + pattern);
    path_ = pattern;
  }
  ~TempDir() {
    if (std::getenv("BENCH_KEEP_TMP") != nullptr) return;
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string file(std::string_view name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline void remove_file(const std::string& path) {
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
}

// Removes a SQLite database with its -wal / -shm / -journal / -lock companions.
inline void remove_database(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal", "-lock"}) remove_file(path + suffix);
}

// True when both files hold the same bytes.
inline bool same_content(const std::string& a, const std::string& b) {
  std::ifstream fa(a, std::ios::binary), fb(b, std::ios::binary);
  if (!fa || !fb) return false;
  return std::equal(std::istreambuf_iterator<char>(fa), std::istreambuf_iterator<char>(),
                    std::istreambuf_iterator<char>(fb), std::istreambuf_iterator<char>());
}

// Framework logs go to stderr at info level per step; benches keep them off
// (BENCH_LOG=1 turns them back on).
inline void quiet_logs() {
  if (std::getenv("BENCH_LOG") == nullptr) cppbatch::set_log_level(spdlog::level::off);
}

// Launches `job` synchronously and throws unless it COMPLETED.
inline cppbatch::JobExecution& run_job(cppbatch::JobLauncher& launcher, cppbatch::Job& job,
                                       const cppbatch::JobParameters& parameters,
                                       std::unique_ptr<cppbatch::JobExecutionHandle>& keep) {
  auto handle = launcher.run(job, parameters);
  if (!handle) throw std::runtime_error("launch refused: " + handle.error().to_string());
  keep = std::make_unique<cppbatch::JobExecutionHandle>(std::move(handle.value()));
  cppbatch::JobExecution& done = keep->wait();
  if (done.status != cppbatch::BatchStatus::COMPLETED) {
    std::string why = done.exit_status.description();
    for (const auto& step : done.step_executions) {
      for (const auto& failure : step->failures) why += " | " + failure;
    }
    throw std::runtime_error("job did not complete: " + std::string(cppbatch::to_string(done.status)) + " " + why);
  }
  return done;
}

// Runs `job` and checks it completed; returns nothing (for timing lambdas).
inline void run_job(cppbatch::JobLauncher& launcher, cppbatch::Job& job, const cppbatch::JobParameters& parameters) {
  std::unique_ptr<cppbatch::JobExecutionHandle> keep;
  run_job(launcher, job, parameters, keep);
}

// A unique run number so every launch makes a new JobInstance.
inline cppbatch::JobParameters unique_parameters(std::string_view tag = "bench") {
  static int64_t counter = 0;
  return cppbatch::JobParametersBuilder()
      .add_string("bench", std::string(tag))
      .add_long("run", ++counter)
      .build();
}

// ---- output ---------------------------------------------------------------

// Title, workload line, and how times were taken (default: best of N).
inline void print_header(std::string_view title, std::string_view what, std::string_view timing = {}) {
  std::printf("\n%.*s\n", static_cast<int>(title.size()), title.data());
  std::printf("%.*s\n", static_cast<int>(what.size()), what.data());
  if (timing.empty()) {
    std::printf("(wall time, best of %d repetitions; machine: %ld cores)\n", repetitions(),
                sysconf(_SC_NPROCESSORS_ONLN));
  } else {
    std::printf("(%.*s; machine: %ld cores)\n", static_cast<int>(timing.size()), timing.data(),
                sysconf(_SC_NPROCESSORS_ONLN));
  }
}

// One framework-vs-baseline row. `bytes` = 0 (every row): no MB/s columns.
struct Row {
  std::string workload;
  uint64_t items = 0;
  Timing framework;
  Timing baseline;
  uint64_t bytes = 0;
};

inline void print_rows(const std::vector<Row>& rows) {
  bool with_bytes = std::any_of(rows.begin(), rows.end(), [](const Row& r) { return r.bytes > 0; });
  if (with_bytes) {
    std::printf("%-46s %9s %8s %12s %8s %12s %9s %7s %7s\n", "workload", "items", "fw s", "fw items/s", "fw MB/s",
                "base items/s", "base MB/s", "ratio", "CPU r.");
  } else {
    std::printf("%-46s %9s %8s %13s %8s %13s %7s %7s\n", "workload", "items", "fw s", "fw items/s", "base s",
                "base items/s", "ratio", "CPU r.");
  }
  for (const Row& r : rows) {
    double fw_rate = static_cast<double>(r.items) / r.framework.wall;
    double base_rate = static_cast<double>(r.items) / r.baseline.wall;
    double ratio = fw_rate / base_rate;
    double cpu_ratio = r.baseline.cpu / r.framework.cpu;
    if (with_bytes) {
      double mb = static_cast<double>(r.bytes) / 1e6;
      std::printf("%-46s %9llu %8.3f %12.0f %8.1f %12.0f %9.1f %7.3f %7.3f\n", r.workload.c_str(),
                  static_cast<unsigned long long>(r.items), r.framework.wall, fw_rate, mb / r.framework.wall,
                  base_rate, mb / r.baseline.wall, ratio, cpu_ratio);
    } else {
      std::printf("%-46s %9llu %8.3f %13.0f %8.3f %13.0f %7.3f %7.3f\n", r.workload.c_str(),
                  static_cast<unsigned long long>(r.items), r.framework.wall, fw_rate, r.baseline.wall, base_rate,
                  ratio, cpu_ratio);
    }
  }
  std::printf(
      "ratio = framework items/s ÷ baseline items/s by wall time (1.0 = as fast as the hand-written loop);\n"
      "CPU r. = the same by CPU time (baseline CPU s ÷ framework CPU s), steadier on a busy machine\n");
  std::fflush(stdout);
}

}  // namespace bench
