// DelimitedRecordReader: reads a delimited text file (CSV and the like,
// RFC 4180 quoting) record by record into a reused FieldSet, restartably.
// It is the untyped engine behind DelimitedFileReader<T>; use it directly
// when the items are generic records (config-driven jobs).
//
// Reading is streamed through one buffer (≥ 64 KiB per read(2)); memory is
// flat in the file size and grows only to hold the longest record. The file
// is never loaded whole and never re-parsed on restart.
//
//   DelimitedRecordReader reader({.path = "players.csv", .header_as_names = true});
//   reader.open(ctx);
//   while (const FieldSet* fs = reader.next()) use(fs->read_string("id"));
//   reader.close();
//
// Not thread-safe: one thread uses a reader at a time (a multi-threaded step
// wraps it in a synchronizing reader and sets save_state = false).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/infrastructure/byte_source.hpp"
#include "cppbatch/infrastructure/field_set.hpp"
#include "cppbatch/infrastructure/record_reader.hpp"
#include "cppbatch/infrastructure/text_input.hpp"

namespace cppbatch {
namespace internal {
class DelimitedScanner;
}

struct DelimitedReaderOptions {
  // The file to read. Required. A missing file fails open(). gzip and
  // zstd files are decompressed on the fly (see `compression`).
  std::string path{};
  // AUTO: recognise gzip/zstd by their magic bytes, else plain text.
  // Offsets in the context count uncompressed bytes; restarting inside a
  // compressed file decompresses the prefix again (see byte_source.hpp).
  Compression compression = Compression::AUTO;
  // Prefix of the ExecutionContext keys: <name>.read.count, <name>.offset,
  // <name>.line. Give each reader of a step its own name.
  std::string name = "delimitedReader";
  char delimiter = ',';
  // Quote character (RFC 4180: a quoted field may contain delimiters,
  // doubled quotes and newlines). '\0' disables quoting: quotes are data.
  char quote = '"';
  // Escape character: inside quoted and unquoted values it makes the next
  // character literal — the delimiter, the quote, itself, or a line break
  // (the record then continues on the next line); with '\\' the text \n
  // reads as n.
  // '\0' (the default): no escape character.
  char escape = '\0';
  // Physical lines skipped at the top of the file, before any header.
  int64_t lines_to_skip = 0;
  // The first record after the skipped lines (empty and comment lines not
  // counted) holds the field names. With explicit `names` too, that record
  // is skipped and `names` win.
  bool header_as_names = false;
  // Explicit field names (first to last column). Empty = none (unless
  // header_as_names).
  std::vector<std::string> names{};
  // When names are known, a record with another number of fields is a
  // ParseError (column of the first extra field, or end of line + name of
  // the first missing one). Without names no count is checked.
  // Lenient (false): a short record is padded with empty values up to the
  // names' count (so every name reads, as ""); extra fields are kept and
  // readable by index.
  bool strict = true;
  // Lines starting with one of these (at byte 0, before any trimming) are
  // skipped, e.g. {"#", "//"}. Default: none.
  std::vector<std::string> comment_prefixes{};
  // Strip spaces and tabs around unquoted values and outside quotes.
  bool trim = false;
  // Read buffer size; raised to at least 128 KiB so every read(2) asks for
  // at least 64 KiB. Grows (doubling) only for records longer than that.
  size_t buffer_size = 128 * 1024;
  // A record longer than this (usually an unbalanced quote swallowing the
  // rest of the file) is a ParseError; reading resumes at the next line.
  // Bounds memory whatever the input.
  size_t max_record_bytes = 16 * 1024 * 1024;
  // false: update() saves nothing and open() ignores saved state (for
  // multi-threaded steps, where a position means nothing).
  bool save_state = true;
};

class DelimitedRecordReader : public RecordReader {
 public:
  // Validates options (std::invalid_argument: empty path; delimiter,
  // quote and escape not distinct or a line break); touches no file until
  // open().
  explicit DelimitedRecordReader(DelimitedReaderOptions options);
  ~DelimitedRecordReader() override;
  DelimitedRecordReader(const DelimitedRecordReader&) = delete;
  DelimitedRecordReader& operator=(const DelimitedRecordReader&) = delete;

  // Opens the file. With a saved <name>.offset in `context`, re-reads the
  // header (if header_as_names) and seeks straight to the saved offset,
  // continuing counts and line numbers; otherwise starts at the top (a
  // UTF-8 BOM is skipped). Throws std::runtime_error naming the path when
  // the file cannot be opened, or is shorter than the saved offset.
  void open(ExecutionContext& context) override;
  // Saves <name>.read.count, <name>.offset (byte offset of the next record)
  // and <name>.line (physical lines before that offset) — of `at`, or of
  // the current position.
  using RecordReader::update;
  void update(ExecutionContext& context, const Position& at) override;
  // Closes the file; open() may be called again. Idempotent.
  void close() override;

  // The next record, or nullptr at end of input (and after). Empty lines,
  // comment lines, skipped lines and the header are not records. The
  // result is valid until the next call to next() or close(). A malformed
  // record throws ParseError after being consumed, so the following call
  // continues with the next record (skip policies rely on this). I/O
  // errors throw std::system_error. Calling next() before open() throws
  // std::logic_error.
  const FieldSet* next() override;
  Position position() const override { return {offset(), line(), read_count_}; }
  const std::string& resource() const override { return options_.path; }

  const DelimitedReaderOptions& options() const { return options_; }
  // Names in effect (explicit, or from the header once read).
  const FieldNames& names() const { return names_; }
  // Records delivered so far (including ones that then failed to map).
  int64_t read_count() const { return read_count_; }
  // Byte offset of the next record.
  int64_t offset() const { return input_.offset(); }
  // Physical lines before offset().
  int64_t line() const { return input_.lines(); }

 private:
  void fill();
  [[noreturn]] void fail_overlong(const char* p, size_t avail);
  bool is_comment(const char* line, size_t size) const;
  [[noreturn]] void fail_record(int64_t line, std::string_view raw, int64_t column,
                                std::string field, std::string reason);
  void take_header();

  DelimitedReaderOptions options_;
  std::string count_key_, offset_key_, line_key_;
  FieldNames names_;
  TextInput input_;
  int64_t read_count_ = 0;
  int64_t lines_to_skip_ = 0;  // still to skip
  bool header_pending_ = false;
  bool preamble_only_ = false;     // open(): stop once skipped lines and header are read
  bool discard_line_ = false;      // drop bytes up to the next '\n' (after an overlong record)
  std::unique_ptr<internal::DelimitedScanner> scanner_;
  FieldSet fields_;
};

}  // namespace cppbatch
