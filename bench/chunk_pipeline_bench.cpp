// chunk_pipeline_bench: the per-item and per-chunk cost of the chunk engine
// itself. An in-memory pipeline — reader over a vector of small structs,
// processor doing a trivial transform, writer summing — run as a job on the
// in-memory repository at chunk sizes 100 and 1000, against a hand-written
// loop doing the same transform and sum over the same vector.
//
// Framework variants:
//   ListItemReader  the stock restartable reader (an ItemStream: its index
//                   is saved in the step's context at every commit);
//   lambda reader   a reader lambda with no state to save (no ItemStream),
//                   i.e. the engine's floor.
// Baselines:
//   fused loop      for each item: transform, add (what one would write);
//   chunked loop    the same, but buffering chunk-size items in a vector
//                   first, as the engine does (reported for reference).
//
// BENCH_ITEMS overrides the item count (default 5,000,000).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <vector>

#include "bench_util.hpp"
#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/job_launcher.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "cppbatch/infrastructure/list_item_reader.hpp"
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

// The trivial transform both sides run (kept out of line so neither side
// can fold it across items differently).
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

int64_t chunked_loop(const std::vector<Trade>& trades, size_t chunk_size) {
  int64_t sum = 0;
  std::vector<Trade> in;
  std::vector<Fee> out;
  in.reserve(chunk_size);
  out.reserve(chunk_size);
  size_t i = 0;
  while (i < trades.size()) {
    in.clear();
    while (in.size() < chunk_size && i < trades.size()) in.push_back(trades[i++]);
    out.clear();
    for (const Trade& t : in) out.push_back(transform(t));
    for (const Fee& f : out) sum += f.fee;
  }
  return sum;
}

// One job over a fresh in-memory repository, built outside the timed
// region (ListItemReader takes its own copy of the vector).
struct Pipeline {
  cppbatch::InMemoryJobRepository repository;
  int64_t sum = 0;
  size_t next = 0;
  std::unique_ptr<cppbatch::Job> job;

  Pipeline(const std::vector<Trade>& trades, size_t chunk_size, bool list_reader) {
    auto builder = cppbatch::StepBuilder("pipeline", repository).chunk<Trade, Fee>(chunk_size);
    if (list_reader) {
      builder.reader(std::make_unique<cppbatch::ListItemReader<Trade>>(trades));
    } else {
      builder.reader([&trades, this]() -> std::optional<Trade> {
        if (next >= trades.size()) return std::nullopt;
        return trades[next++];
      });
    }
    builder.processor([](const Trade& t) -> std::optional<Fee> { return transform(t); })
        .writer([this](const cppbatch::Chunk<Fee>& chunk) {
          for (const Fee& f : chunk) sum += f.fee;
        });
    job = cppbatch::JobBuilder("chunkPipelineBench", repository).start(builder.build()).build();
  }

  // Launches the job (timed part); returns the writer's sum.
  int64_t run() {
    cppbatch::JobLauncher launcher(repository);
    bench::run_job(launcher, *job, bench::unique_parameters());
    return sum;
  }
};

}  // namespace

int main() {
  bench::quiet_logs();
  size_t n = 5'000'000;
  if (const char* env = std::getenv("BENCH_ITEMS")) n = std::strtoull(env, nullptr, 10);
  const int reps = bench::repetitions();
  const std::vector<Trade> trades = make_trades(n);

  bench::print_header("chunk_pipeline_bench — in-memory read/process/write, in-memory repository",
                      "items: 24-byte structs → transform → sum; baseline: hand-written fused loop");

  int64_t expected = fused_loop(trades);
  bench::Timing fused = bench::measure(reps, [&] { bench::do_not_optimize(fused_loop(trades)); });

  std::vector<bench::Row> rows;
  std::vector<std::pair<size_t, double>> chunked;
  for (size_t chunk : {size_t{100}, size_t{1000}}) {
    for (bool list_reader : {true, false}) {
      int64_t got = 0;
      std::unique_ptr<Pipeline> pipeline;
      bench::Timing fw = bench::measure(
          reps, [&] { got = pipeline->run(); },
          [&] {
            pipeline.reset();
            pipeline = std::make_unique<Pipeline>(trades, chunk, list_reader);
          });
      if (got != expected) {
        std::fprintf(stderr, "sum mismatch: framework %lld, baseline %lld\n", static_cast<long long>(got),
                     static_cast<long long>(expected));
        return 1;
      }
      rows.push_back({"chunk " + std::to_string(chunk) + (list_reader ? ", ListItemReader" : ", lambda reader"), n,
                      fw, fused, 0});
    }
    double c = bench::best_of(reps, [&] { bench::do_not_optimize(chunked_loop(trades, chunk)); });
    chunked.emplace_back(chunk, c);
  }
  bench::print_rows(rows);
  for (auto [chunk, seconds] : chunked) {
    std::printf("reference: hand-written chunked loop (chunk %zu): %.3f s, %.0f items/s\n", chunk, seconds,
                static_cast<double>(n) / seconds);
  }
  std::printf("per-item framework cost over the fused loop: ");
  for (const auto& r : rows) {
    std::printf("%s %.1f ns; ", r.workload.c_str(),
                (r.framework.wall - r.baseline.wall) * 1e9 / static_cast<double>(n));
  }
  std::printf("\n");
  return 0;
}
