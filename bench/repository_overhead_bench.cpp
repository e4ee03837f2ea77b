// repository_overhead_bench: Spring Batch's known worst case for the job
// repository — a 100,000-line file → uppercase → file job with chunk size
// 10, i.e. 10,000 chunk commits for very little work per chunk (Spring
// Batch's maintainers measured 41 s on a PostgreSQL repository against
// 0.8 s with none).
//
//   (a) the job on the SQLite repository (fresh file, WAL, synchronous=NORMAL,
//       the default);
//   (b) the same job on the in-memory repository;
//   (c) a bare loop of 10,000 SQLite commits, each updating two small rows
//       (WAL, synchronous=NORMAL, prepared statements) — the floor of what
//       a persistent checkpoint per chunk can cost;
//   (d) the job on the SQLite repository with synchronous=FULL (an fsync
//       per commit), for docs/performance.md;
//   and, for reference, a hand-written loop doing the same file work
//   (read(2), uppercase, buffered write(2)) without any checkpoint.
//
// Target: (a) ≤ 2 × ((b) + 10,000 × (c)); prints PASS or MISS.
//
// BENCH_LINES overrides the line count (default 100,000), BENCH_CHUNK the
// chunk size (default 10).
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "bench_util.hpp"
#include "csv_workload.hpp"
#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "cppbatch/infrastructure/delimited_file_reader.hpp"
#include "cppbatch/infrastructure/delimited_file_writer.hpp"
#include "cppbatch/repository/in_memory_job_repository.hpp"
#include "cppbatch/repository/sqlite_job_repository.hpp"

namespace {

void upper_in_place(std::string& s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
}

// Whole lines as items: a delimiter that never occurs and no quoting.
std::unique_ptr<cppbatch::Job> make_job(cppbatch::JobRepository& repository, const std::string& input,
                                        const std::string& output, size_t chunk) {
  cppbatch::DelimitedReaderOptions in;
  in.path = input;
  in.delimiter = '\x1f';
  in.quote = '\0';
  cppbatch::DelimitedWriterOptions out;
  out.path = output;
  out.quote = '\0';
  auto step = cppbatch::StepBuilder("uppercase", repository)
                  .chunk<std::string, std::string>(chunk)
                  .reader(std::make_unique<cppbatch::DelimitedFileReader<std::string>>(
                      in, [](const cppbatch::FieldSet& fs) { return std::string(fs[0]); }))
                  .processor([](const std::string& line) -> std::optional<std::string> {
                    std::string upper = line;
                    upper_in_place(upper);
                    return upper;
                  })
                  .writer(std::make_unique<cppbatch::DelimitedFileWriter<std::string>>(
                      out, [](const std::string& line, cppbatch::FieldWriter& w) { w.write_raw(line); }))
                  .build();
  return cppbatch::JobBuilder("repositoryOverheadBench", repository).start(std::move(step)).build();
}

// Best time of the job on a fresh repository made by `open_repository`.
template <class Open>
bench::Timing time_job(int reps, const std::string& input, const std::string& output, size_t chunk, Open open_repository,
                int64_t* commits) {
  std::unique_ptr<cppbatch::JobRepository> repository;
  std::unique_ptr<cppbatch::Job> job;
  bench::Timing best = bench::measure(
      reps,
      [&] {
        cppbatch::JobLauncher launcher(*repository);
        std::unique_ptr<cppbatch::JobExecutionHandle> keep;
        cppbatch::JobExecution& done = bench::run_job(launcher, *job, bench::unique_parameters(), keep);
        *commits = done.step_executions.front()->commit_count;
      },
      [&] {
        job.reset();
        repository.reset();
        repository = open_repository();
        job = make_job(*repository, input, output, chunk);
        bench::remove_file(output);
      });
  return best;
}

std::unique_ptr<cppbatch::JobRepository> open_sqlite(const std::string& path,
                                                     cppbatch::SqliteRepositoryOptions::Synchronous sync) {
  bench::remove_database(path);
  cppbatch::SqliteRepositoryOptions options;
  options.path = path;
  options.synchronous = sync;
  auto opened = cppbatch::SqliteJobRepository::open(options);
  if (!opened) throw std::runtime_error(opened.error().to_string());
  return std::move(opened.value());
}

void check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
  }
}

sqlite3_stmt* prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* s = nullptr;
  check(sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr), db, sql);
  return s;
}

void step_reset(sqlite3* db, sqlite3_stmt* s) {
  check(sqlite3_step(s), db, sqlite3_sql(s));
  sqlite3_reset(s);
}

// Seconds for `commits` transactions each updating two small rows (a step
// row's counters and a context row's JSON), WAL + the given synchronous.
double bare_commits(const std::string& path, int commits, const std::string& synchronous) {
  bench::remove_database(path);
  sqlite3* db = nullptr;
  check(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr), db, "open");
  const std::string schema = "PRAGMA journal_mode=WAL; PRAGMA synchronous=" + synchronous + ";" +
                                 "CREATE TABLE step(id INTEGER PRIMARY KEY, version INTEGER, read_count INTEGER,"
                     " write_count INTEGER, commit_count INTEGER, last_updated TEXT);"
                     "CREATE TABLE ctx(id INTEGER PRIMARY KEY, short_context TEXT);"
                     "INSERT INTO step VALUES(1, 0, 0, 0, 0, '');"
                     "INSERT INTO ctx VALUES(1, '{}');";
  check(sqlite3_exec(db, schema.c_str(), nullptr, nullptr, nullptr), db, "schema");
  sqlite3_stmt* begin = prepare(db, "BEGIN IMMEDIATE");
  sqlite3_stmt* commit = prepare(db, "COMMIT");
  sqlite3_stmt* update_step = prepare(
      db, "UPDATE step SET version = version + 1, read_count = ?1, write_count = ?1, commit_count = ?2,"
          " last_updated = ?3 WHERE id = 1");
  sqlite3_stmt* update_ctx = prepare(db, "UPDATE ctx SET short_context = ?1 WHERE id = 1");
  char context[128];
  auto start = bench::Clock::now();
  for (int i = 0; i < commits; ++i) {
    step_reset(db, begin);
    sqlite3_bind_int64(update_step, 1, static_cast<int64_t>(i) * 10);
    sqlite3_bind_int64(update_step, 2, i);
    sqlite3_bind_text(update_step, 3, "2026-11-21 08:00:00.123456", -1, SQLITE_STATIC);
    step_reset(db, update_step);
    int n = std::snprintf(context, sizeof context, R"({"reader.offset":%d,"writer.offset":%d})", i * 64, i * 64);
    sqlite3_bind_text(update_ctx, 1, context, n, SQLITE_STATIC);
    step_reset(db, update_ctx);
    step_reset(db, commit);
  }
  double seconds = bench::seconds_since(start);
  for (sqlite3_stmt* s : {begin, commit, update_step, update_ctx}) sqlite3_finalize(s);
  sqlite3_close(db);
  return seconds;
}

// The file work alone: read(2), uppercase each line, buffered write(2).
void hand_loop(const std::string& input, const std::string& output) {
  int in = ::open(input.c_str(), O_RDONLY);
  if (in < 0) throw std::runtime_error("open " + input);
  bench::HandCsvWriter writer(output);
  std::string buffer(1 << 20, '\0');
  size_t begin = 0, end = 0;
  while (true) {
    ssize_t n = ::read(in, buffer.data() + end, buffer.size() - end);
    if (n < 0) throw std::runtime_error("read");
    end += static_cast<size_t>(n);
    while (true) {
      const void* nl = std::memchr(buffer.data() + begin, '\n', end - begin);
      if (nl == nullptr) break;
      size_t stop = static_cast<size_t>(static_cast<const char*>(nl) - buffer.data());
      std::string line(buffer.data() + begin, stop - begin);
      upper_in_place(line);
      writer.buffer() += line;
      writer.buffer() += '\n';
      writer.maybe_flush();
      begin = stop + 1;
    }
    if (n == 0) break;
    std::memmove(buffer.data(), buffer.data() + begin, end - begin);
    end -= begin;
    begin = 0;
  }
  ::close(in);
  writer.flush();
}

}  // namespace

int main() {
  bench::quiet_logs();
  size_t lines = 100'000;
  size_t chunk = 10;
  if (const char* env = std::getenv("BENCH_LINES")) lines = std::strtoull(env, nullptr, 10);
  if (const char* env = std::getenv("BENCH_CHUNK")) chunk = std::strtoull(env, nullptr, 10);
  const int reps = bench::repetitions();
  const int commits = static_cast<int>(lines / chunk);

  bench::TempDir dir("repo-overhead");
  const std::string input = dir.file("input.txt");
  const std::string output = dir.file("output.txt");
  const std::string db = dir.file("repository.db");
  const uint64_t bytes = bench::generate_csv(input, lines - 1);  // + header = `lines` lines

  bench::print_header("repository_overhead_bench — " + std::to_string(lines) + "-line file → uppercase → file, chunk " +
                          std::to_string(chunk),
                      "Spring Batch's worst case (41 s on PostgreSQL vs 0.8 s without a repository, per its "
                      "maintainers); input " + std::to_string(bytes / 1000) + " kB");

  using Sync = cppbatch::SqliteRepositoryOptions::Synchronous;
  int64_t commits_a = 0, commits_b = 0, commits_d = 0;
  // BENCH_ONLY=hand|memory|sqlite|bare|full runs one part (for profiling).
  const char* only_env = std::getenv("BENCH_ONLY");
  const std::string only = only_env ? only_env : "";
  auto wanted = [&](const char* part) { return only.empty() || only == part; };
  bench::Timing hand{1, 1}, in_memory{1, 1}, sqlite_normal{1, 1}, sqlite_full{1, 1};
  double bare = 1;
  const std::string expected = dir.file("expected.txt");
  if (wanted("hand")) {
    hand = bench::measure(reps, [&] { hand_loop(input, expected); }, [&] { bench::remove_file(expected); });
  }
  auto check_output = [&] {
    if (wanted("hand") && !bench::same_content(output, expected)) {
      throw std::runtime_error("the job's output differs from the hand-written loop's");
    }
  };
  if (wanted("memory")) {
    in_memory = time_job(reps, input, output, chunk,
                         [] { return std::make_unique<cppbatch::InMemoryJobRepository>(); }, &commits_b);
    check_output();
  }
  if (wanted("sqlite")) {
    sqlite_normal = time_job(reps, input, output, chunk, [&] { return open_sqlite(db, Sync::NORMAL); }, &commits_a);
    check_output();
  }
  if (wanted("bare")) {
    bare = 1e300;
    for (int i = 0; i < reps; ++i) bare = std::min(bare, bare_commits(dir.file("bare.db"), commits, "NORMAL"));
  }
  const double per_commit = bare / commits;
  if (wanted("full")) {
    // One repetition: an fsync per commit makes it long and its noise is the
    // device's, not ours.
    sqlite_full = time_job(1, input, output, chunk, [&] { return open_sqlite(db, Sync::FULL); }, &commits_d);
  }
  const int full_commits = std::min(commits, 2000);
  const double full_bare =
      wanted("full") ? bare_commits(dir.file("bare-full.db"), full_commits, "FULL") / full_commits : 0;

  const double n_items = static_cast<double>(lines);
  std::printf("%-60s %9s %9s %12s %9s %11s\n", "run", "wall s", "CPU s", "items/s", "commits", "µs/commit");
  auto row = [&](const char* part, const char* what, bench::Timing t, int64_t n_commits) {
    if (!wanted(part)) return;
    std::printf("%-60s %9.3f %9.3f %12.0f %9lld %11.1f\n", what, t.wall, t.cpu, n_items / t.wall,
                static_cast<long long>(n_commits), n_commits > 0 ? t.wall * 1e6 / static_cast<double>(n_commits) : 0.0);
  };
  row("hand", "hand-written loop (no checkpoints)", hand, 0);
  row("memory", "(b) job, in-memory repository", in_memory, commits_b);
  row("sqlite", "(a) job, SQLite repository, WAL, synchronous=NORMAL", sqlite_normal, commits_a);
  row("full", "(d) job, SQLite repository, WAL, synchronous=FULL (1 rep)", sqlite_full, commits_d);
  if (!only.empty()) return 0;  // one part: no comparison
  std::printf("(c) bare SQLite commit, 2 row updates, WAL, NORMAL: %.1f µs/commit (%d commits in %.3f s)\n",
              per_commit * 1e6, commits, bare);
  std::printf("    bare SQLite commit, 2 row updates, WAL, FULL:   %.1f µs/commit\n", full_bare * 1e6);
  const double target = 2 * (in_memory.wall + commits * per_commit);
  std::printf("ratios: (a)/(b) = %.2f; (b)/hand-written = %.2f; (a) − (b) per chunk = %.1f µs "
              "(bare commit %.1f µs)\n",
              sqlite_normal.wall / in_memory.wall, in_memory.wall / hand.wall,
              (sqlite_normal.wall - in_memory.wall) * 1e6 / static_cast<double>(commits_a), per_commit * 1e6);
  std::printf("target: (a) ≤ 2 × ((b) + %d × (c)) = %.3f s → %s (%.3f s)\n", commits, target,
              sqlite_normal.wall <= target ? "PASS" : "MISS", sqlite_normal.wall);
  return 0;
}
