// fault_tolerance_bench: what fault tolerance costs.
//
// (a) No faults: the same in-memory pipeline (reader over a vector of small
//     structs → trivial transform → writer summing, chunk 1000, in-memory
//     repository) run as a plain chunk step and as a fault-tolerant one
//     (skip + retry configured, nothing fails), against a hand-written
//     fused loop. The plain step's per-item path is untouched by fault
//     tolerance; the fault-tolerant one keeps each chunk's items so it can
//     re-drive them.
// (b) One bad item in each chunk of 1000 (the writer rejects it): scanned
//     item by item (Spring's way: one transaction per item) vs bisected.
//     Reported: transactions (commits + rollbacks), writer calls, time.
//
// (c) Dead letters: 1 % of the items are rejected by the processor and
//     skipped in place (no_rollback) into the dead-letter table of a SQLite
//     repository, in the chunk's repository transaction (chunk 1000),
//     against a hand-written loop doing the same work on the same schema:
//     per chunk BEGIN IMMEDIATE, transform the good items, JSON-serialise
//     each rejected one and INSERT its row, UPDATE a checkpoint row, COMMIT.
//     Both call the same processor, which throws for a rejected item.
//
// BENCH_ITEMS overrides the item count of (a) (default 2,000,000);
// BENCH_CHUNKS the number of faulty chunks of (b) (default 50);
// BENCH_DLQ_ITEMS the item count of (c) (default 200,000).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include "bench_util.hpp"
#include "cppbatch/common/time_format.hpp"
#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/job_launcher.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "cppbatch/repository/in_memory_job_repository.hpp"
#include "cppbatch/repository/sqlite_job_repository.hpp"

namespace {

struct Trade {
  int64_t id;
  int64_t cents;
  int32_t account;
  int32_t flags;
};

struct Fee {
  int64_t id;
  int64_t fee;
};

struct Rejected : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void to_json(nlohmann::json& json, const Trade& t) {
  json = {{"id", t.id}, {"cents", t.cents}, {"account", t.account}, {"flags", t.flags}};
}
void from_json(const nlohmann::json& json, Trade& t) {
  json.at("id").get_to(t.id);
  json.at("cents").get_to(t.cents);
  json.at("account").get_to(t.account);
  json.at("flags").get_to(t.flags);
}
void to_json(nlohmann::json& json, const Fee& f) { json = {{"id", f.id}, {"fee", f.fee}}; }
void from_json(const nlohmann::json& json, Fee& f) {
  json.at("id").get_to(f.id);
  json.at("fee").get_to(f.fee);
}

[[gnu::noinline]] Fee transform(const Trade& t) {
  return Fee{t.id, t.cents * 3 / 1000 + (t.flags & 1 ? 25 : 10) + t.account % 7};
}

std::vector<Trade> make_trades(size_t n) {
  std::vector<Trade> trades;
  trades.reserve(n);
  uint64_t x = 88172645463325252ULL;
  for (size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    trades.push_back(Trade{static_cast<int64_t>(i), static_cast<int64_t>(x % 10'000'000),
                           static_cast<int32_t>(x % 5000), static_cast<int32_t>(x >> 60)});
  }
  return trades;
}

int64_t fused_loop(const std::vector<Trade>& trades) {
  int64_t sum = 0;
  for (const Trade& t : trades) sum += transform(t).fee;
  return sum;
}

enum class Kind { PLAIN, FAULT_TOLERANT };

// One job on a fresh in-memory repository, built outside the timed region.
// `bad_every` > 0: the writer rejects items whose id % bad_every == bad_every / 2.
struct Pipeline {
  cppbatch::InMemoryJobRepository repository;
  int64_t sum = 0;
  int64_t writer_calls = 0;
  size_t next = 0;
  std::unique_ptr<cppbatch::Job> job;

  Pipeline(const std::vector<Trade>& trades, size_t chunk, Kind kind, cppbatch::ScanMode scan, int64_t bad_every) {
    auto builder = cppbatch::StepBuilder("pipeline", repository).chunk<Trade, Fee>(chunk);
    builder
        .reader([&trades, this]() -> std::optional<Trade> {
          if (next >= trades.size()) return std::nullopt;
          return trades[next++];
        })
        .processor([](const Trade& t) -> std::optional<Fee> { return transform(t); })
        .writer([this, bad_every](const cppbatch::Chunk<Fee>& items) {
          ++writer_calls;
          int64_t chunk_sum = 0;
          for (const Fee& f : items) {
            if (bad_every > 0 && f.id % bad_every == bad_every / 2) throw Rejected("rejected");
            chunk_sum += f.fee;
          }
          sum += chunk_sum;  // all or nothing, like a transactional writer
        });
    std::unique_ptr<cppbatch::Step> step;
    if (kind == Kind::PLAIN) {
      step = builder.build();
    } else {
      step = builder.fault_tolerant().skip<Rejected>().skip_limit(1'000'000).retry<std::bad_alloc>().retry_limit(3)
                 .scan(scan).build();
    }
    job = cppbatch::JobBuilder("faultToleranceBench", repository).start(std::move(step)).build();
  }

  struct Outcome {
    bool completed = false;
    int64_t commits = 0, rollbacks = 0, write_skips = 0;
  };
  Outcome run() {
    cppbatch::JobLauncher launcher(repository);
    std::unique_ptr<cppbatch::JobExecutionHandle> keep;
    cppbatch::JobExecution& done = bench::run_job(launcher, *job, bench::unique_parameters(), keep);
    const cppbatch::StepExecution& step = *done.step_executions.at(0);
    return {step.status == cppbatch::BatchStatus::COMPLETED, step.commit_count, step.rollback_count,
            step.write_skip_count};
  }
};

// (c): items whose id % kRejectEvery == 7 are rejected (1 %) by the
// processor, which both sides call.
constexpr int64_t kRejectEvery = 100;
Fee process_or_reject(const Trade& t) {
  if (t.id % kRejectEvery == 7) throw Rejected("rejected trade " + std::to_string(t.id));
  return transform(t);
}

// The framework: a fault-tolerant step on a SQLite repository skipping the
// rejected items into its dead-letter table.
struct DeadLetterPipeline {
  std::unique_ptr<cppbatch::SqliteJobRepository> repository;
  int64_t sum = 0;
  size_t next = 0;
  std::unique_ptr<cppbatch::Job> job;

  DeadLetterPipeline(const std::vector<Trade>& trades, const std::string& path) {
    cppbatch::SqliteRepositoryOptions options;
    options.path = path;
    repository = std::move(cppbatch::SqliteJobRepository::open(options)).value();
    auto builder = cppbatch::StepBuilder("pipeline", *repository).chunk<Trade, Fee>(1000);
    builder
        .reader([&trades, this]() -> std::optional<Trade> {
          if (next >= trades.size()) return std::nullopt;
          return trades[next++];
        })
        .processor([](const Trade& t) -> std::optional<Fee> { return process_or_reject(t); })
        .writer([this](const cppbatch::Chunk<Fee>& items) {
          for (const Fee& f : items) sum += f.fee;
        });
    auto step = builder.fault_tolerant()
                    .skip<Rejected>()
                    .no_rollback<Rejected>()
                    .skip_limit(1'000'000)
                    .dead_letters()
                    .build();
    job = cppbatch::JobBuilder("deadLetterBench", *repository).start(std::move(step)).build();
  }
  int64_t run() {
    cppbatch::JobLauncher launcher(*repository);
    std::unique_ptr<cppbatch::JobExecutionHandle> keep;
    cppbatch::JobExecution& done = bench::run_job(launcher, *job, bench::unique_parameters(), keep);
    return done.step_executions.at(0)->process_skip_count;
  }
};

// The baseline: the same rows into the same table, by hand, one
// transaction per chunk of 1000 with a checkpoint row.
int64_t hand_written_dead_letters(const std::vector<Trade>& trades, const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  db.exec("PRAGMA journal_mode=WAL");
  db.exec("PRAGMA synchronous=NORMAL");
  db.exec("CREATE TABLE IF NOT EXISTS HAND_CHECKPOINT (ID INTEGER PRIMARY KEY, POSITION INTEGER)");
  db.exec("INSERT OR REPLACE INTO HAND_CHECKPOINT VALUES (1, 0)");
  SQLite::Statement insert(db,
                           "INSERT INTO BATCH_DEAD_LETTER (DEAD_LETTER_ID, VERSION, JOB_NAME, JOB_INSTANCE_ID, "
                           "JOB_EXECUTION_ID, STEP_NAME, STEP_EXECUTION_ID, PHASE, ERROR_TYPE, ERROR_MESSAGE, SOURCE, "
                           "PAYLOAD, STATUS, ATTEMPTS, LAST_ERROR, CREATE_TIME, LAST_UPDATED) VALUES (NULL, 0, "
                           "'handJob', 1, 1, 'pipeline', 1, 'PROCESS', ?1, ?2, '', ?3, 'NEW', 0, '', ?4, ?4)");
  SQLite::Statement checkpoint(db, "UPDATE HAND_CHECKPOINT SET POSITION = ?1 WHERE ID = 1");
  int64_t sum = 0, letters = 0;
  for (size_t start = 0; start < trades.size(); start += 1000) {
    db.exec("BEGIN IMMEDIATE");
    const size_t end = std::min(trades.size(), start + 1000);
    for (size_t i = start; i < end; ++i) {
      const Trade& t = trades[i];
      try {
        sum += process_or_reject(t).fee;
        continue;
      } catch (const Rejected& error) {
        insert.bind(1, "Rejected");
        insert.bind(2, error.what());
      }
      insert.bind(3, nlohmann::json(t).dump());
      insert.bind(4, cppbatch::format_timestamp(std::chrono::system_clock::now()));
      insert.exec();
      insert.reset();
      ++letters;
    }
    checkpoint.bind(1, static_cast<int64_t>(end));
    checkpoint.exec();
    checkpoint.reset();
    db.exec("COMMIT");
  }
  bench::do_not_optimize(sum);
  return letters;
}

}  // namespace

int main() {
  bench::quiet_logs();
  size_t n = 2'000'000;
  if (const char* env = std::getenv("BENCH_ITEMS")) n = std::strtoull(env, nullptr, 10);
  size_t chunks = 50;
  if (const char* env = std::getenv("BENCH_CHUNKS")) chunks = std::strtoull(env, nullptr, 10);
  const int reps = bench::repetitions();

  // (a) ------------------------------------------------------------------
  const std::vector<Trade> trades = make_trades(n);
  bench::print_header("fault_tolerance_bench (a) — no faults: plain vs fault-tolerant chunk step, chunk 1000",
                      "items: 24-byte structs → transform → sum; baseline: hand-written fused loop");
  const int64_t expected = fused_loop(trades);
  bench::Timing fused = bench::measure(reps, [&] { bench::do_not_optimize(fused_loop(trades)); });
  std::vector<bench::Row> rows;
  double plain_wall = 0;
  for (Kind kind : {Kind::PLAIN, Kind::FAULT_TOLERANT}) {
    std::unique_ptr<Pipeline> pipeline;
    int64_t got = 0;
    bench::Timing fw = bench::measure(
        reps,
        [&] {
          pipeline->run();
          got = pipeline->sum;
        },
        [&] {
          pipeline.reset();
          pipeline = std::make_unique<Pipeline>(trades, 1000, kind, cppbatch::ScanMode::ITEM_BY_ITEM, 0);
        });
    if (got != expected) {
      std::fprintf(stderr, "sum mismatch\n");
      return 1;
    }
    if (kind == Kind::PLAIN) plain_wall = fw.wall;
    rows.push_back({kind == Kind::PLAIN ? "plain chunk step" : "fault-tolerant step (skip+retry, no fault)", n, fw,
                    fused, 0});
  }
  bench::print_rows(rows);
  std::printf("fault-tolerant / plain step throughput: %.3f\n", plain_wall / rows[1].framework.wall);

  // (b) ------------------------------------------------------------------
  const size_t m = chunks * 1000;
  const std::vector<Trade> faulty = make_trades(m);
  bench::print_header("fault_tolerance_bench (b) — one bad item in each chunk of 1000: scan item by item vs bisect",
                      std::to_string(chunks) + " chunks; the writer rejects item 500 of each");
  std::printf("%-14s %8s %10s %10s %10s %13s %9s %9s\n", "scan", "items", "commits", "rollbacks", "writes",
              "tx per chunk", "time s", "items/s");
  double item_wall = 0;
  for (cppbatch::ScanMode scan : {cppbatch::ScanMode::ITEM_BY_ITEM, cppbatch::ScanMode::BISECT}) {
    std::unique_ptr<Pipeline> pipeline;
    Pipeline::Outcome last;
    int64_t calls = 0;
    bench::Timing t = bench::measure(
        reps,
        [&] {
          last = pipeline->run();
          calls = pipeline->writer_calls;
        },
        [&] {
          pipeline.reset();
          pipeline = std::make_unique<Pipeline>(faulty, 1000, Kind::FAULT_TOLERANT, scan, 1000);
        });
    if (!last.completed || last.write_skips != static_cast<int64_t>(chunks)) {
      std::fprintf(stderr, "unexpected outcome\n");
      return 1;
    }
    const bool bisect = scan == cppbatch::ScanMode::BISECT;
    if (!bisect) item_wall = t.wall;
    std::printf("%-14s %8zu %10lld %10lld %10lld %13.1f %9.3f %9.0f\n", bisect ? "bisect" : "item by item", m,
                static_cast<long long>(last.commits), static_cast<long long>(last.rollbacks),
                static_cast<long long>(calls),
                static_cast<double>(last.commits + last.rollbacks) / static_cast<double>(chunks), t.wall,
                static_cast<double>(m) / t.wall);
    if (bisect) std::printf("bisect speed-up over item by item: %.1fx\n", item_wall / t.wall);
  }

  // (c) ------------------------------------------------------------------
  size_t dlq_items = 200'000;
  if (const char* env = std::getenv("BENCH_DLQ_ITEMS")) dlq_items = std::strtoull(env, nullptr, 10);
  const std::vector<Trade> dlq_trades = make_trades(dlq_items);
  const int64_t want_letters = static_cast<int64_t>((dlq_items + kRejectEvery - 8) / kRejectEvery);
  bench::print_header("fault_tolerance_bench (c) — 1 % of the items skipped into the dead-letter table (SQLite)",
                      "chunk 1000, skipped in place; baseline: hand-written loop inserting the same rows and a "
                      "checkpoint in one transaction per chunk");
  const std::string path = "fault_tolerance_bench_dlq.db";
  bench::Timing dlq_framework;
  {
    std::unique_ptr<DeadLetterPipeline> pipeline;
    int64_t skipped = 0;
    dlq_framework = bench::measure(
        reps, [&] { skipped = pipeline->run(); },
        [&] {
          pipeline.reset();
          bench::remove_database(path);
          pipeline = std::make_unique<DeadLetterPipeline>(dlq_trades, path);
        });
    const int64_t stored = static_cast<int64_t>(pipeline->repository->dead_letters().find({}).value().size());
    if (skipped != want_letters || stored != want_letters) {
      std::fprintf(stderr, "dead letters: %lld skipped, %lld stored, %lld expected\n", static_cast<long long>(skipped),
                   static_cast<long long>(stored), static_cast<long long>(want_letters));
      return 1;
    }
  }
  int64_t hand_letters = 0;
  bench::Timing dlq_baseline = bench::measure(
      reps, [&] { hand_letters = hand_written_dead_letters(dlq_trades, path); },
      [&] {
        bench::remove_database(path);
        cppbatch::SqliteRepositoryOptions options;
        options.path = path;
        (void)cppbatch::SqliteJobRepository::open(options);  // the same schema
      });
  bench::remove_database(path);
  if (hand_letters != want_letters) {
    std::fprintf(stderr, "hand-written loop stored %lld letters\n", static_cast<long long>(hand_letters));
    return 1;
  }
  bench::print_rows({{"fault-tolerant step, 1 % into the DLQ", dlq_items, dlq_framework, dlq_baseline, 0}});
  std::printf("dead letters: %lld per run; framework time / hand-written time: %.3f\n", static_cast<long long>(want_letters),
              dlq_framework.wall / dlq_baseline.wall);
  return 0;
}
