// Sorting a delimited file by key fields with bounded memory (an external
// merge sort), as a function and as a Tasklet for a step.
//
// The input is read record by record (DelimitedRecordReader: CSV quoting,
// header, comments...). Records are collected until the memory budget is
// used, sorted (stable: equal keys keep their input order) and, when the
// input does not fit in one budget, written as a sorted run to a temporary
// file; the runs are then merged k-way, at most `fan_in` at a time (more
// runs take several merge passes). Memory stays within about
// `memory_budget` + `fan_in` × 64 KiB whatever the file size.
//
// Output: the header line (when the input has one, rebuilt from the field
// names) then every record's raw text as read, one per line ("\n"), in key
// order. It is written to a temporary file beside the output and renamed
// onto it at the end: a failed run leaves no partial output (and removes
// its temporary files), so a restart simply runs the sort again.
//
//   SortOptions options{.input = {.path = "games.csv", .header_as_names = true},
//                       .output = "games-sorted.csv",
//                       .keys = parse_sort_keys("team,year:numeric:desc")};
//   SortResult r = sort_file(options);
//   auto step = StepBuilder("sortGames", repo).tasklet(std::make_unique<SortTasklet>(options)).build();
//
// Errors: a malformed record or a non-numeric numeric key throws ParseError
// (file, line, field); an unknown key field std::invalid_argument; I/O
// errors std::system_error naming the file. Thread-safe in the sense that
// independent sorts may run at once on different outputs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cppbatch/core/tasklet.hpp"
#include "cppbatch/infrastructure/delimited_record_reader.hpp"
#include "cppbatch/infrastructure/sort_key.hpp"

namespace cppbatch {

struct SortOptions {
  // The input and how to read it. Its save_state is ignored (a sort has no
  // restart position: it reruns).
  DelimitedReaderOptions input{};
  // The sorted file. Its directory must exist. Replaced atomically.
  std::string output{};
  // Key fields, most significant first. Required.
  std::vector<SortKey> keys{};
  // Bytes of records (raw text + encoded keys + ~24 bytes each) held in
  // memory before a run is written out. Default 64 MiB; at least 64 KiB.
  size_t memory_budget = 64u << 20;
  // Runs merged at once (open files during a merge). Default 64; at least 2.
  size_t fan_in = 64;
  // Where the runs go (a fresh subdirectory is made and removed). Empty:
  // the output's directory.
  std::string temp_directory{};
  // fdatasync() the output before the rename (and the directory after), so
  // a machine crash cannot leave an empty file under the output's name.
  bool sync = true;
};

struct SortResult {
  int64_t records = 0;      // records read and written (header excluded)
  size_t runs = 0;          // sorted runs written to temporary files (0: sorted in memory)
  size_t merge_passes = 0;  // intermediate passes before the final merge
};

// Sorts options.input into options.output (see above). std::invalid_argument
// on bad options (no key, empty output, output equal to the input).
SortResult sort_file(const SortOptions& options);

// A tasklet running sort_file() once; it adds the records to the step's
// read and write counts. A failed sort leaves no output, and rerunning the
// step (restart) sorts again from the start.
class SortTasklet final : public Tasklet {
 public:
  explicit SortTasklet(SortOptions options);
  RepeatStatus execute(StepContribution& contribution, ChunkContext& context) override;
  const SortResult& last_result() const { return result_; }

 private:
  SortOptions options_;
  SortResult result_;
};

}  // namespace cppbatch
