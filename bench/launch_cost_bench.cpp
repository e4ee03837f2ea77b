// launch_cost_bench: what launching a one-tasklet job costs on the SQLite
// repository, and whether it stays flat as the repository's history grows
// (0, 1,000 and 10,000 past executions of the same job — each a different
// instance — plus 20 % as many of two other jobs, some FAILED).
//
// For each history size: a fresh repository file (WAL, synchronous=NORMAL),
// the history written through the repository API (create, start, one
// step, complete, release — what a real run leaves), then LAUNCHES timed
// launches (JobLauncher::run + wait, each a new instance) after a few
// warm-up ones. Prints median / p90 / mean µs per launch.
// References: the same launch on the in-memory repository (the engine
// without storage) and a bare SQLite commit updating two rows (WAL,
// NORMAL), so the launch can be read as "≈ N commits".
// Target: median at 10,000 ≤ 1.5 × median at 0 (flat) — PASS/MISS.
//
// BENCH_LAUNCHES overrides the timed launches per size (default 200).
#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "cppbatch/repository/in_memory_job_repository.hpp"
#include "cppbatch/repository/sqlite_job_repository.hpp"

namespace {

constexpr const char* kJob = "launchBench";

std::unique_ptr<cppbatch::Job> make_job(cppbatch::JobRepository& repository) {
  auto step = cppbatch::StepBuilder("hello", repository)
                  .tasklet([](cppbatch::StepContribution&, cppbatch::ChunkContext&) {
                    return cppbatch::RepeatStatus::FINISHED;
                  })
                  .build();
  return cppbatch::JobBuilder(kJob, repository).start(std::move(step)).build();
}

template <class T>
T& expect(cppbatch::Result<T>& result, const char* what) {
  if (!result) throw std::runtime_error(std::string(what) + ": " + result.error().to_string());
  return result.value();
}

void expect(const cppbatch::Result<void>& result, const char* what) {
  if (!result) throw std::runtime_error(std::string(what) + ": " + result.error().to_string());
}

// Writes `count` finished executions of `job` (instances run=first..).
void add_history(cppbatch::JobRepository& repo, const std::string& job, int64_t first, int64_t count, bool failed) {
  for (int64_t i = 0; i < count; ++i) {
    auto params = cppbatch::JobParametersBuilder().add_long("run", first + i).build();
    auto created = repo.create_job_execution(job, params);
    cppbatch::JobExecution& execution = *expect(created, "create_job_execution");
    auto now = std::chrono::system_clock::now();
    execution.status = cppbatch::BatchStatus::STARTED;
    execution.start_time = now;
    expect(repo.update(execution), "update job");
    cppbatch::StepExecution& step = execution.create_step_execution("hello");
    step.start_time = now;
    expect(repo.add(step), "add step");
    step.status = failed ? cppbatch::BatchStatus::FAILED : cppbatch::BatchStatus::COMPLETED;
    step.exit_status = failed ? cppbatch::ExitStatus::failed("boom") : cppbatch::ExitStatus::completed();
    step.commit_count = 1;
    step.end_time = now;
    expect(repo.update(step), "update step");
    execution.status = step.status;
    execution.exit_status = step.exit_status;
    execution.end_time = now;
    expect(repo.update(execution), "complete job");
    expect(repo.release(execution), "release");
  }
}

struct Stats {
  double median_us, p90_us, mean_us;
};

Stats time_launches(cppbatch::JobRepository& repo, cppbatch::Job& job, int launches, int64_t first_run) {
  cppbatch::JobLauncher launcher(repo);
  std::vector<double> samples;
  for (int i = -5; i < launches; ++i) {  // 5 warm-up launches
    auto params = cppbatch::JobParametersBuilder().add_long("run", first_run + i + 5).build();
    auto start = bench::Clock::now();
    bench::run_job(launcher, job, params);
    double us = bench::seconds_since(start) * 1e6;
    if (i >= 0) samples.push_back(us);
  }
  double sum = 0;
  for (double s : samples) sum += s;
  std::vector<double> sorted = samples;
  std::sort(sorted.begin(), sorted.end());
  return Stats{bench::median(samples), sorted[sorted.size() * 9 / 10], sum / static_cast<double>(samples.size())};
}

std::unique_ptr<cppbatch::SqliteJobRepository> open_sqlite(const std::string& path) {
  bench::remove_database(path);
  cppbatch::SqliteRepositoryOptions options;
  options.path = path;
  auto opened = cppbatch::SqliteJobRepository::open(options);
  if (!opened) throw std::runtime_error(opened.error().to_string());
  return std::move(opened.value());
}

// µs per transaction updating two small rows (WAL, synchronous=NORMAL).
double bare_commit_us(const std::string& path, int commits) {
  bench::remove_database(path);
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  sqlite3_exec(db,
               "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE t(id INTEGER PRIMARY KEY, v);"
               "INSERT INTO t VALUES(1, 0), (2, 0);",
               nullptr, nullptr, nullptr);
  sqlite3_stmt *begin = nullptr, *commit = nullptr, *update = nullptr;
  sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, nullptr);
  sqlite3_prepare_v2(db, "COMMIT", -1, &commit, nullptr);
  sqlite3_prepare_v2(db, "UPDATE t SET v = v + 1 WHERE id = ?1", -1, &update, nullptr);
  auto start = bench::Clock::now();
  for (int i = 0; i < commits; ++i) {
    sqlite3_step(begin);
    sqlite3_reset(begin);
    for (int id : {1, 2}) {
      sqlite3_bind_int(update, 1, id);
      if (sqlite3_step(update) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db));
      sqlite3_reset(update);
    }
    if (sqlite3_step(commit) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db));
    sqlite3_reset(commit);
  }
  double us = bench::seconds_since(start) * 1e6 / commits;
  for (sqlite3_stmt* s : {begin, commit, update}) sqlite3_finalize(s);
  sqlite3_close(db);
  return us;
}

}  // namespace

int main() {
  bench::quiet_logs();
  int launches = 200;
  if (const char* env = std::getenv("BENCH_LAUNCHES")) launches = std::atoi(env);
  bench::TempDir dir("launch-cost");
  const std::string db = dir.file("repository.db");

  bench::print_header("launch_cost_bench — launch a one-tasklet job on the SQLite repository vs history size",
                      std::to_string(launches) + " timed launches per size (after 5 warm-ups), each a new instance",
                      "wall time per launch: JobLauncher::run + wait");

  std::printf("%-58s %10s %10s %10s %10s %12s\n", "repository / history", "median µs", "p90 µs", "mean µs",
              "launches/s", "setup s");
  auto print = [&](const std::string& what, const Stats& s, double setup) {
    std::printf("%-58s %10.0f %10.0f %10.0f %10.0f %12.2f\n", what.c_str(), s.median_us, s.p90_us, s.mean_us,
                1e6 / s.mean_us, setup);
    std::fflush(stdout);
  };

  {
    cppbatch::InMemoryJobRepository repo;
    auto job = make_job(repo);
    print("in-memory, no history (reference)", time_launches(repo, *job, launches, 10'000'000), 0);
  }

  std::vector<std::pair<int64_t, Stats>> results;
  for (int64_t history : {int64_t{0}, int64_t{1000}, int64_t{10000}}) {
    auto start = bench::Clock::now();
    auto repo = open_sqlite(db);
    add_history(*repo, kJob, 1, history, false);
    add_history(*repo, "otherJob", 1, history / 10, false);
    add_history(*repo, "flakyJob", 1, history / 10, true);
    double setup = bench::seconds_since(start);
    auto job = make_job(*repo);
    Stats s = time_launches(*repo, *job, launches, 10'000'000);
    results.emplace_back(history, s);
    print("SQLite, " + std::to_string(history) + " past executions of the job (+" + std::to_string(history / 5) +
              " of others)",
          s, setup);
  }
  const double commit_us = bare_commit_us(dir.file("bare.db"), 2000);
  std::printf("bare SQLite commit (2 row updates, WAL, NORMAL): %.1f µs → a launch at 0 history ≈ %.0f commits\n",
              commit_us, results.front().second.median_us / commit_us);
  const double growth = results.back().second.median_us / results.front().second.median_us;
  std::printf("flatness: median at 10,000 / median at 0 = %.2f (target ≤ 1.5) → %s\n", growth,
              growth <= 1.5 ? "PASS" : "MISS");
  return 0;
}
