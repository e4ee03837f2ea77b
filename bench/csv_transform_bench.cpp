// csv_transform_bench: CSV → transform → CSV, the bread and butter of batch.
//
// Framework: DelimitedFileReader<Txn> (mapper by column index) → processor
// (bench::transform) → DelimitedFileWriter<Txn>, chunk size 1000, run as a
// job on (a) the in-memory repository and (b) the SQLite repository (a
// fresh file in the temp dir, WAL, synchronous=NORMAL), then (c) on SQLite
// with read-ahead (the baseline stays the one-thread loop).
// Baseline: a hand-written loop over the same file — read(2) into a 1 MiB
// buffer, the same RFC 4180 quote handling, the same conversions and
// checks, the same transform, formatting into a buffer flushed with one
// write(2) per MiB (bench/csv_workload.hpp).
// Both outputs are compared byte for byte.
//
// BENCH_LINES overrides the line count (default 1,000,000, ~62 MB).
#include <cstdio>
#include <cstdlib>
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

std::unique_ptr<cppbatch::Job> make_job(cppbatch::JobRepository& repository, const std::string& input,
                                        const std::string& output, bool read_ahead = false) {
  cppbatch::DelimitedReaderOptions in;
  in.path = input;
  in.header_as_names = true;
  cppbatch::DelimitedWriterOptions out;
  out.path = output;
  out.header = bench::kCsvHeader;
  auto step = cppbatch::StepBuilder("transform", repository)
                  .chunk<bench::Txn, bench::Txn>(1000)
                  .reader(std::make_unique<cppbatch::DelimitedFileReader<bench::Txn>>(in, bench::map_txn))
                  .processor([](const bench::Txn& t) -> std::optional<bench::Txn> { return bench::transform(t); })
                  .writer(std::make_unique<cppbatch::DelimitedFileWriter<bench::Txn>>(out, bench::format_txn))
                  .read_ahead(read_ahead)
                  .build();
  return cppbatch::JobBuilder("csvTransformBench", repository).start(std::move(step)).build();
}

void run_baseline(const std::string& input, const std::string& output) {
  bench::HandCsvReader reader(input);
  bench::HandCsvWriter writer(output);
  std::vector<std::string_view> fields;
  if (!reader.next(fields)) throw std::runtime_error("empty input");  // header
  writer.buffer() += bench::kCsvHeader;
  writer.buffer() += '\n';
  while (reader.next(fields)) {
    bench::Txn out = bench::transform(bench::hand_parse_txn(fields));
    bench::hand_format_txn(out, writer.buffer());
    writer.maybe_flush();
  }
  writer.flush();
}

}  // namespace

int main() {
  bench::quiet_logs();
  size_t lines = 1'000'000;
  if (const char* env = std::getenv("BENCH_LINES")) lines = std::strtoull(env, nullptr, 10);
  const int reps = bench::repetitions();

  bench::TempDir dir("csv-transform");
  const std::string input = dir.file("input.csv");
  const std::string fw_output = dir.file("framework.csv");
  const std::string base_output = dir.file("baseline.csv");
  const uint64_t bytes = bench::generate_csv(input, lines);

  bench::print_header("csv_transform_bench — CSV → transform → CSV, chunk 1000",
                      "input: " + std::to_string(lines) + " lines, " + std::to_string(bytes / 1'000'000) +
                          " MB (MB/s = input MB per second); baseline: hand-written read(2)/parse/format/write(2) loop");

  bench::Timing baseline = bench::measure(reps, [&] { run_baseline(input, base_output); },
                                   [&] { bench::remove_file(base_output); });

  std::vector<bench::Row> rows;
  {
    std::unique_ptr<cppbatch::InMemoryJobRepository> repository;
    std::unique_ptr<cppbatch::Job> job;
    bench::Timing fw = bench::measure(
        reps,
        [&] {
          cppbatch::JobLauncher launcher(*repository);
          bench::run_job(launcher, *job, bench::unique_parameters());
        },
        [&] {
          job.reset();
          repository = std::make_unique<cppbatch::InMemoryJobRepository>();
          job = make_job(*repository, input, fw_output);
          bench::remove_file(fw_output);
        });
    if (!bench::same_content(fw_output, base_output)) {
      std::fprintf(stderr, "framework and baseline outputs differ (%s, %s)\n", fw_output.c_str(), base_output.c_str());
      return 1;
    }
    rows.push_back({"in-memory repository", lines, fw, baseline, bytes});
  }
  // The SQLite repository, then the same with read-ahead (parsing on a
  // second thread while the step's thread transforms, writes and commits).
  for (const bool read_ahead : {false, true}) {
    const std::string db = dir.file("repository.db");
    std::unique_ptr<cppbatch::SqliteJobRepository> repository;
    std::unique_ptr<cppbatch::Job> job;
    bench::Timing fw = bench::measure(
        reps,
        [&] {
          cppbatch::JobLauncher launcher(*repository);
          bench::run_job(launcher, *job, bench::unique_parameters());
        },
        [&] {
          job.reset();
          repository.reset();
          bench::remove_database(db);
          cppbatch::SqliteRepositoryOptions options;
          options.path = db;
          auto opened = cppbatch::SqliteJobRepository::open(options);
          if (!opened) throw std::runtime_error(opened.error().to_string());
          repository = std::move(opened.value());
          job = make_job(*repository, input, fw_output, read_ahead);
          bench::remove_file(fw_output);
        });
    if (!bench::same_content(fw_output, base_output)) {
      std::fprintf(stderr, "framework and baseline outputs differ (%s, %s)\n", fw_output.c_str(), base_output.c_str());
      return 1;
    }
    rows.push_back({read_ahead ? "SQLite repository, read-ahead (2 threads)" : "SQLite repository (WAL, synchronous=NORMAL)",
                    lines, fw, baseline, bytes});
  }
  bench::print_rows(rows);
  return 0;
}
