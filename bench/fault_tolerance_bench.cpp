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
// BENCH_ITEMS overrides the item count of (a) (default 2,000,000);
// BENCH_CHUNKS the number of faulty chunks of (b) (default 50).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <vector>

#include "bench_util.hpp"
#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/job_launcher.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "cppbatch/repository/in_memory_job_repository.hpp"

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
  return 0;
}
