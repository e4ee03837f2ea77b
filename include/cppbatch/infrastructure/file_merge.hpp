// Merging several delimited files, each already sorted by the same keys,
// into one sorted file (a k-way merge), as a function and as a Tasklet.
//
// Every input is read record by record (all inputs are open at once; memory
// is one read buffer per input). Records with equal keys come out in input
// order (all of the first input's, then the second's...), so merging the
// outputs of stable sorts is stable. Each input's order is verified while
// merging: a record whose key sorts before the previous record of the same
// file fails the merge with
//   merge: input 'b.csv' is not sorted by year:numeric:asc: line 7 (year=1995) sorts before line 6
// Output: the header (when the inputs have one; all inputs must have the same
// field names), then the records' raw text, one per line, written to a
// temporary file renamed onto the output at the end — a failed merge leaves
// no partial output and a restart runs it again.
//
//   MergeOptions options{.inputs = {"a.csv", "b.csv"}, .input = {.header_as_names = true},
//                        .output = "all.csv", .keys = parse_sort_keys("year:numeric")};
//   auto step = StepBuilder("merge", repo).tasklet(std::make_unique<MergeTasklet>(options)).build();
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cppbatch/core/tasklet.hpp"
#include "cppbatch/infrastructure/delimited_record_reader.hpp"
#include "cppbatch/infrastructure/sort_key.hpp"

namespace cppbatch {

struct MergeOptions {
  // The sorted input files. Required (one is allowed: it is copied and checked).
  std::vector<std::string> inputs{};
  // How to read every input; its `path` is ignored (taken from `inputs`).
  DelimitedReaderOptions input{};
  // The merged file; its directory must exist. Replaced atomically.
  std::string output{};
  // The keys every input is sorted by. Required.
  std::vector<SortKey> keys{};
  // fdatasync() the output before the rename.
  bool sync = true;
};

struct MergeResult {
  int64_t records = 0;  // header excluded
};

// std::invalid_argument on bad options; std::runtime_error for an unsorted
// input or inputs with different field names; ParseError for a malformed
// record; std::system_error for I/O errors.
MergeResult merge_files(const MergeOptions& options);

// A tasklet running merge_files() once; records count as read and written.
class MergeTasklet final : public Tasklet {
 public:
  explicit MergeTasklet(MergeOptions options);
  RepeatStatus execute(StepContribution& contribution, ChunkContext& context) override;

 private:
  MergeOptions options_;
};

}  // namespace cppbatch
