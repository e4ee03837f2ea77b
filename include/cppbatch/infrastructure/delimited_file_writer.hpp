// DelimitedFileWriter<T>: a restartable, transactional ItemWriter to a
// delimited text file (Spring's FlatFileItemWriter with a delimited line
// aggregator). A formatter given at construction turns each item into
// fields through a FieldWriter; write() formats the whole chunk into one
// reused buffer and appends it with a single write(2).
//
// Transactional: the file keeps in step with committed chunks (see
// TransactionalFileOutput). On restart the file is cut back to the offset
// of the last committed chunk, so the bytes of a chunk that never committed
// disappear and the output ends up identical to an uninterrupted run.
//
//   DelimitedFileWriter<Trade> writer(
//       {.path = "trades.csv", .header = "isin,quantity,price"},
//       [](const Trade& t, FieldWriter& out) {
//         out.write(t.isin); out.write(t.quantity); out.write_fixed(t.price, 2);
//       });
//   writer.open(ctx);  writer.write(chunk);  writer.update(ctx);  writer.close();
//
// Not thread-safe: write/update/close from one thread at a time (a
// multi-threaded step serialises its writer). The formatter must not throw
// for valid items; if it does, nothing of the chunk is written.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <utility>

#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/core/item_writer.hpp"
#include "cppbatch/infrastructure/field_writer.hpp"
#include "cppbatch/infrastructure/flat_file_output.hpp"

namespace cppbatch {

struct DelimitedWriterOptions {
  // The file to write. Required. Its directory must exist.
  std::string path{};
  // Prefix of the ExecutionContext keys <name>.offset, <name>.written.
  std::string name = "delimitedWriter";
  char delimiter = ',';
  // Quote for values holding the delimiter, the quote, CR or LF (doubled
  // inside). '\0': never quote.
  char quote = '"';
  // Written as is (plus line_separator unless it already ends with '\n')
  // when a fresh start finds the file empty: once per output file, never
  // again on restart or when appending to a non-empty file. Empty: none.
  std::string header{};
  // Appends more header text (after `header`) under the same rule; e.g.
  // a title line with the run date.
  HeaderCallback header_callback{};
  // Called by close() to append a footer, given the records written to
  // the file, e.g. "total: 1200" (line_separator added unless it ends with
  // '\n'). A restart removes the footer of a failed run (it lies past the
  // committed offset). Empty: no footer.
  FooterCallback footer_callback{};
  // false: a fresh start truncates the file. true: appends to it.
  bool append = false;
  // fdatasync() in update(), so a committed chunk survives a power loss.
  // Costs one device flush per chunk (typically 0.1–10 ms on SSDs, more on
  // disks/network storage): use bigger chunks when it is on. Without it a
  // crash of the process loses nothing committed (data is in the page
  // cache), but a crash of the machine may leave the file shorter than the
  // committed offset, which restart reports as an error.
  bool sync_on_commit = false;
  // Appended after each record.
  std::string line_separator = "\n";
};

template <class T>
class DelimitedFileWriter : public ItemWriter<T>, public ItemStream {
 public:
  using Formatter = std::function<void(const T&, FieldWriter&)>;

  // Throws std::invalid_argument on an empty path or formatter.
  DelimitedFileWriter(DelimitedWriterOptions options, Formatter formatter)
      : options_(std::move(options)),
        formatter_(std::move(formatter)),
        output_(options_.path, options_.name, options_.append, options_.sync_on_commit,
                options_.line_separator, options_.header, options_.header_callback,
                options_.footer_callback) {
    if (!formatter_) throw std::invalid_argument("DelimitedFileWriter: empty formatter");
  }

  // Fresh start: truncates (or appends) and writes the header to an empty
  // file. Restart: truncates to the committed offset. See
  // TransactionalFileOutput::open for errors.
  void open(ExecutionContext& context) override { output_.open(context); }

  // Formats every item, then appends the chunk with one write(2). A
  // formatter exception leaves the file untouched.
  void write(const Chunk<T>& chunk) override {
    std::string& buffer = output_.buffer();
    buffer.clear();
    FieldWriter fields(buffer, options_.delimiter, options_.quote);
    for (const T& item : chunk) {
      fields.begin_record();
      formatter_(item, fields);
      buffer += options_.line_separator;
    }
    output_.write_buffer(static_cast<int64_t>(chunk.size()));
  }

  void update(ExecutionContext& context) override { output_.update(context); }
  // Writes the footer (if any) and closes the file.
  void close() override { output_.close(); }

  // Cuts the file back to the last update(): the engine calls it when a
  // chunk rolls back, so a retried or re-scanned chunk is written once.
  void discard_uncommitted() override { output_.discard_uncommitted(); }
  const TransactionalFileOutput& output() const { return output_.output(); }

 private:
  DelimitedWriterOptions options_;
  Formatter formatter_;
  FlatFileOutput output_;
};

}  // namespace cppbatch
