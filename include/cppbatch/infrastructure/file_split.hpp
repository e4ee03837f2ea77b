// Splitting one delimited file into several by the value of a field, as a
// function and as a Tasklet: every record goes, as its raw text, to the
// file named by `file_name_pattern` with "{}" replaced by the field's value.
// Records keep their input order within each output; when the input has a
// header, each output starts with it.
//
// File names: the value is sanitised — bytes other than A-Z a-z 0-9 . _ -
// become '_', a leading '.' becomes '_', an empty value is "_", at most 100
// bytes are kept — and when that changed the value, "-" and 8 hex digits of
// a hash of the original value are appended, so two values never share a
// file ("a/b" → "a_b-1c2d3e4f", while "a_b" stays "a_b").
//
// Open files are bounded: at most `max_open_files` outputs are open at a
// time; the least recently used is flushed and closed, and reopened for
// appending when its value comes back. Memory: one 64 KiB buffer per open
// output plus the names of the outputs (one entry per distinct value).
//
// Atomicity: outputs are written in a staging directory inside
// `output_directory` and moved to their final names only once the whole
// input has been split; a failed split removes the staging directory and
// leaves earlier outputs untouched, and a restart runs the split again. An
// output that would replace the input is refused before anything is moved.
//
//   SplitOptions options{.input = {.path = "games.csv", .names = {...}}, .field = "team",
//                        .output_directory = "by-team", .file_name_pattern = "games-{}.csv"};
//   auto step = StepBuilder("split", repo).tasklet(std::make_unique<SplitTasklet>(options)).build();
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cppbatch/core/tasklet.hpp"
#include "cppbatch/infrastructure/delimited_record_reader.hpp"

namespace cppbatch {

struct SplitOptions {
  // The input and how to read it (save_state is ignored).
  DelimitedReaderOptions input{};
  // The field whose value picks the output, by name (needs names) ...
  std::string field{};
  // ... or, when `field` is empty, by 0-based column.
  std::optional<size_t> column{};
  // Where the outputs go; created when missing.
  std::string output_directory{};
  // The output file name; exactly one "{}", replaced by the sanitised value.
  std::string file_name_pattern = "{}.csv";
  // Outputs open at the same time (at least 1).
  size_t max_open_files = 64;
  // fsync() every output (once, after the last record) and the directories
  // before and after the outputs are moved into place.
  bool sync = true;
  // Names the staging directory (".<name>.split.tmp"): give concurrent
  // splits into one directory different names.
  std::string name = "split";
};

struct SplitResult {
  int64_t records = 0;  // header excluded
  size_t files = 0;     // outputs written
  size_t reopens = 0;   // outputs closed (least recently used) and reopened later
};

// std::invalid_argument on bad options (no field, pattern without exactly
// one "{}", or with a '/'); ParseError for a malformed record or a record
// missing the field; std::system_error for I/O errors.
SplitResult split_file(const SplitOptions& options);

// The file name part for `value` (the sanitising described above).
std::string sanitize_file_name(std::string_view value);

// A tasklet running split_file() once; records count as read and written.
class SplitTasklet final : public Tasklet {
 public:
  explicit SplitTasklet(SplitOptions options);
  RepeatStatus execute(StepContribution& contribution, ChunkContext& context) override;

 private:
  SplitOptions options_;
};

}  // namespace cppbatch
