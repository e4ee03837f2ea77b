// FlatFileOutput: the file half shared by the line-oriented writers
// (DelimitedFileWriter, FixedLengthFileWriter): a TransactionalFileOutput
// plus the header written once per fresh output file and the footer
// written at close(). Writers format a chunk into buffer(), then call
// write_buffer().
//
// Footer and restart: close() appends the footer after whatever was
// written; it is not part of any committed offset, so when a run fails
// (close() still writes the footer) the restart truncates the file to the
// last committed chunk and the stale footer disappears. The footer of the
// finished file is written by the close() of the run that completes.
//
//   FlatFileOutput out(path, "writer", false, false, "\n", "id,name", {},
//                      [](std::string& f, int64_t n) { f += "total: " + std::to_string(n); });
//   out.open(ctx); out.buffer() += "1,a\n"; out.write_buffer(1); out.update(ctx); out.close();
//
// Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "cppbatch/core/execution_context.hpp"
#include "cppbatch/infrastructure/transactional_file_output.hpp"

namespace cppbatch {

// Appends a header to `out` (the line separator is added unless it ends
// with '\n').
using HeaderCallback = std::function<void(std::string& out)>;
// Appends a footer to `out`; `items_written` counts the records of the
// file (of this run's part of it when appending to an existing file).
using FooterCallback = std::function<void(std::string& out, int64_t items_written)>;

class FlatFileOutput {
 public:
  // `header` (text) and `header_callback` both go into the header, text
  // first. Nothing is touched until open().
  FlatFileOutput(std::string path, std::string name, bool append, bool sync_on_commit,
                 std::string line_separator, std::string header, HeaderCallback header_callback,
                 FooterCallback footer_callback);

  // Opens the output (TransactionalFileOutput::open); on a fresh start with
  // an empty file writes the header and records it as committed.
  void open(ExecutionContext& context);
  // The chunk buffer (cleared by write_buffer; keeps its capacity).
  std::string& buffer() { return buffer_; }
  // Appends buffer() holding `records` records with one write(2).
  void write_buffer(int64_t records);
  void update(ExecutionContext& context) { output_.update(context); }
  // Writes the footer (when the file is open and a footer callback is set)
  // and closes. Idempotent. A failure to write the footer throws after
  // closing the file.
  void close();
  // Cuts the file back to the last update().
  void discard_uncommitted() { output_.discard_uncommitted(); }
  const TransactionalFileOutput& output() const { return output_; }
  const std::string& line_separator() const { return line_separator_; }

 private:
  void end_line();  // separator after a header/footer unless it ends with '\n'

  TransactionalFileOutput output_;
  std::string line_separator_;
  std::string header_;
  HeaderCallback header_callback_;
  FooterCallback footer_callback_;
  std::string buffer_;
};

}  // namespace cppbatch
