// startup_rss_bench: what an operator's cron line costs.
//
// (a) Start-up: wall time of whole processes (fork/exec → exit), median of
//     STARTUP_RUNS (default 20) launches each:
//       - `<this binary> cli --help`: the floor (loading, static init, CLI
//         parsing) of a binary linking every layer;
//       - `<this binary> cli --repository sqlite:FILE run tinyJob i=N,long`
//         — this binary registers a one-tasklet job `tinyJob` and calls
//         run_cli() exactly as apps/cppbatch/main.cpp does — against a
//         fresh repository file each time (schema created) and against an
//         existing one (history grows by one execution per launch);
//       - `cppbatch --help` and `cppbatch jobs` of the real binary, when
//         found (CPPBATCH_BIN, else ../cppbatch next to bench/).
//     Aim: < 50 ms for the runs.
// (b) Peak RSS (wait4's ru_maxrss) and wall time of
//     `cppbatch run settlementJob date=2026-11-21` with the default count of
//     1,000,000 transactions, in a fresh temp dir. Aim: < 100 MB.
//     SETTLEMENT_COUNT=n adds count=n (to try smaller runs).
//
// `<this binary> cli ARGS...` is the tiny job program itself;
// `<this binary> cli-no-checkpoint ARGS...` the same with every SQLite
// connection set to SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE (an experiment row:
// what start-up would cost if the repository kept its WAL between runs).
#include <fcntl.h>
#include <sqlite3.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "cppbatch/cli/cli_runner.hpp"
#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/job_registry.hpp"
#include "cppbatch/core/step_builder.hpp"

extern char** environ;

namespace {

int tiny_program(int argc, char** argv) {
  cppbatch::JobRegistry registry;
  auto added = registry.add(
      "tinyJob",
      [](cppbatch::JobRepository& repository) {
        auto step = cppbatch::StepBuilder("hello", repository)
                        .tasklet([](cppbatch::StepContribution&, cppbatch::ChunkContext&) {
                          return cppbatch::RepeatStatus::FINISHED;
                        })
                        .build();
        return cppbatch::JobBuilder("tinyJob", repository).start(std::move(step)).build();
      },
      "one tasklet that does nothing");
  if (!added) return 2;
  return cppbatch::run_cli(argc, argv, registry);
}

// Experiment for the docs: every SQLite connection of the process skips the
// checkpoint SQLite runs when the last connection to a WAL file closes
// (SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE). The WAL then stays and the next
// process appends to it instead of syncing a new one.
int no_checkpoint_on_close(sqlite3* db, const char**, const sqlite3_api_routines*) {
  sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  return SQLITE_OK;
}

struct ProcessResult {
  int exit_code = -1;
  double seconds = 0;
  double cpu_seconds = 0;  // user + system
  double max_rss_mib = 0;
};

// Runs `args` (args[0] = program path) in `cwd`, stdout/stderr to `log`.
ProcessResult run_process(const std::vector<std::string>& args, const std::string& cwd, const std::string& log) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  auto start = bench::Clock::now();
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(127);
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
      ::close(fd);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  if (wait4(pid, &status, 0, &usage) < 0) throw std::runtime_error("wait4 failed");
  ProcessResult result;
  result.seconds = bench::seconds_since(start);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.max_rss_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;
  auto tv = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
  result.cpu_seconds = tv(usage.ru_utime) + tv(usage.ru_stime);
  return result;
}

std::string self_path() {
  return std::filesystem::canonical("/proc/self/exe").string();
}

std::string find_cppbatch() {
  if (const char* env = std::getenv("CPPBATCH_BIN")) return env;
  std::filesystem::path candidate = std::filesystem::path(self_path()).parent_path().parent_path() / "cppbatch";
  if (std::filesystem::exists(candidate)) return candidate.string();
  return {};
}

struct Series {
  std::string what;
  std::vector<double> ms;
  std::vector<double> cpu_ms;
  int failures = 0;
};

void print_series(const Series& s) {
  if (s.ms.empty()) {
    std::printf("%-62s %s\n", s.what.c_str(), "no successful run");
    return;
  }
  auto [lo, hi] = std::minmax_element(s.ms.begin(), s.ms.end());
  std::printf("%-62s %9.1f %9.1f %9.1f %9.1f %6zu%s\n", s.what.c_str(), bench::median(s.ms), *lo, *hi,
              bench::median(s.cpu_ms), s.ms.size(),
              s.failures > 0 ? "  (some runs failed: see the log)" : "");
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::string(argv[1]) == "cli") return tiny_program(argc - 1, argv + 1);
  if (argc >= 2 && std::string(argv[1]) == "cli-no-checkpoint") {
    sqlite3_auto_extension(reinterpret_cast<void (*)()>(&no_checkpoint_on_close));
    return tiny_program(argc - 1, argv + 1);
  }

  int runs = 20;
  if (const char* env = std::getenv("STARTUP_RUNS")) runs = std::max(1, std::atoi(env));
  bench::TempDir dir("startup");
  const std::string self = self_path();
  const std::string log = dir.file("children.log");
  const std::string cppbatch = find_cppbatch();

  std::printf("\nstartup_rss_bench — process start-up and peak memory\n");
  std::printf("(a) wall time per process (fork/exec → exit), %d runs each; aim < 50 ms for a one-tasklet run\n"
              "    (CPU ms = median user + system time of the process: what start-up costs without waiting\n"
              "    for the disk's fsyncs or for other processes)\n",
              runs);
  std::printf("%-62s %9s %9s %9s %9s %6s\n", "command", "median ms", "min ms", "max ms", "CPU ms", "runs");

  auto series = [&](const std::string& what, auto make_args) {
    Series s{what, {}, {}, 0};
    for (int i = 0; i < runs; ++i) {
      ProcessResult r = run_process(make_args(i), dir.path().string(), log);
      if (r.exit_code == 0) {
        s.ms.push_back(r.seconds * 1e3);
        s.cpu_ms.push_back(r.cpu_seconds * 1e3);
      } else {
        ++s.failures;
      }
    }
    print_series(s);
    return s;
  };

  series("tiny program: cli --help (floor)", [&](int) { return std::vector<std::string>{self, "cli", "--help"}; });
  Series fresh = series("tiny program: run tinyJob, fresh SQLite repository", [&](int i) {
    std::string db = dir.file("fresh-" + std::to_string(i) + ".db");
    return std::vector<std::string>{self, "cli", "--repository", "sqlite:" + db, "run", "tinyJob",
                                    "i=" + std::to_string(i) + ",long"};
  });
  const std::string existing = dir.file("existing.db");
  run_process({self, "cli", "--repository", "sqlite:" + existing, "run", "tinyJob", "i=-1,long"}, dir.path().string(),
              log);
  Series again = series("tiny program: run tinyJob, existing SQLite repository", [&](int i) {
    return std::vector<std::string>{self, "cli", "--repository", "sqlite:" + existing, "run", "tinyJob",
                                    "i=" + std::to_string(i) + ",long"};
  });
  const std::string kept = dir.file("kept-wal.db");
  run_process({self, "cli-no-checkpoint", "--repository", "sqlite:" + kept, "run", "tinyJob", "i=-1,long"},
              dir.path().string(), log);
  series("  same, no checkpoint on close (experiment, see docs)", [&](int i) {
    return std::vector<std::string>{self, "cli-no-checkpoint", "--repository", "sqlite:" + kept, "run", "tinyJob",
                                    "i=" + std::to_string(i) + ",long"};
  });
  series("tiny program: run tinyJob, memory: repository", [&](int i) {
    return std::vector<std::string>{self, "cli", "--repository", "memory:", "run", "tinyJob",
                                    "i=" + std::to_string(i) + ",long"};
  });
  if (!cppbatch.empty()) {
    series("cppbatch --help", [&](int) { return std::vector<std::string>{cppbatch, "--help"}; });
    series("cppbatch jobs (existing SQLite repository)", [&](int) {
      return std::vector<std::string>{cppbatch, "--repository", "sqlite:" + existing, "jobs"};
    });
  } else {
    std::printf("cppbatch binary not found (set CPPBATCH_BIN): its rows are skipped\n");
  }
  auto verdict = [](const Series& s) {
    return !s.ms.empty() && s.failures == 0 && bench::median(s.ms) < 50.0 ? "PASS" : "MISS";
  };
  std::printf("aim < 50 ms: fresh repository %s, existing repository %s\n", verdict(fresh), verdict(again));

  std::printf("\n(b) peak RSS of `cppbatch run settlementJob date=2026-11-21` (default count 1,000,000); aim < 100 MB\n");
  if (cppbatch.empty()) {
    std::printf("SKIPPED: cppbatch binary not found (set CPPBATCH_BIN)\n");
  } else {
    bench::TempDir work("settlement");
    std::vector<std::string> args{cppbatch, "run", "settlementJob", "date=2026-11-21"};
    if (const char* count = std::getenv("SETTLEMENT_COUNT")) args.push_back(std::string("count=") + count);
    ProcessResult r = run_process(args, work.path().string(), work.file("run.log"));
    std::printf("exit code %d, wall %.2f s, CPU %.2f s, peak RSS %.1f MiB → %s\n", r.exit_code, r.seconds,
                r.cpu_seconds, r.max_rss_mib,
                r.exit_code == 0 && r.max_rss_mib < 100.0 ? "PASS" : "MISS");
    if (r.exit_code != 0) {
      std::printf("settlement run failed; the end of its log:\n");
      std::ifstream in(work.file("run.log"));
      std::vector<std::string> tail;
      for (std::string line; std::getline(in, line);) {
        tail.push_back(line);
        if (tail.size() > 20) tail.erase(tail.begin());
      }
      for (const auto& line : tail) std::printf("  %s\n", line.c_str());
    }
  }
  std::printf("(children's output: %s, kept only with BENCH_KEEP_TMP=1)\n", log.c_str());
  return 0;
}
