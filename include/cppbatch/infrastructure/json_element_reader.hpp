// JsonElementReader: reads the elements of a JSON file one by one,
// restartably — the untyped engine behind JsonItemReader<T>. Two formats:
//   ARRAY  the top level is one array; its elements are the items
//          (`[{"id":1}, {"id":2}]`, pretty-printed or not);
//   LINES  JSON Lines: one value per line (blank lines are skipped).
//
// Streaming: the file (plain, gzip or zstd, see byte_source.hpp) goes
// through one buffer (TextInput, ≥ 64 KiB per read). ARRAY: a small
// scanner (strings, escapes, nesting depth) finds where each element ends
// and only that element is parsed (simdjson), never the whole file. LINES:
// the complete lines held in the buffer are parsed as one batch
// (simdjson's parse_many); a batch stops at the first line that does not
// parse cleanly as one value, which is then parsed alone, like every line
// up to the batch's end — so errors, locations and restart offsets are
// exactly those of a line-by-line parse. Memory is flat in the file size
// and grows only to hold the largest element, up to max_element_bytes
// (plus the batch parser's index, ~15 bytes per buffered byte).
//
//   JsonElementReader reader({.path = "trades.json", .format = JsonFormat::ARRAY});
//   reader.open(ctx);
//   while (const JsonValue* v = reader.next()) use(v->get_string("isin"));
//   reader.close();
//
// Errors: a malformed element throws ParseError (file, line and column of
// the error, the raw element) after the element has been consumed, so the
// next call continues with the following element (what skip policies rely
// on). A file whose top level is not an array (ARRAY) fails open() with a
// ParseError. A truncated file ends with a ParseError (missing ']' or an
// element cut short). Data after the closing ']' is a ParseError and
// reading ends there.
//
// Not thread-safe: one thread uses a reader at a time (a multi-threaded
// step serialises it and sets save_state = false).
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <string_view>

#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/infrastructure/byte_source.hpp"
#include "cppbatch/infrastructure/json_cursor.hpp"
#include "cppbatch/infrastructure/json_value.hpp"
#include "cppbatch/infrastructure/parse_error.hpp"
#include "cppbatch/infrastructure/text_input.hpp"

namespace cppbatch {

enum class JsonFormat {
  ARRAY,  // one top-level array of elements
  LINES,  // JSON Lines (one value per line)
};

struct JsonReaderOptions {
  // The file to read. Required. A missing file fails open(). gzip and
  // zstd files are decompressed on the fly (see `compression`).
  std::string path{};
  // AUTO: recognise gzip/zstd by their magic bytes, else plain text.
  // Offsets in the context count uncompressed bytes; restarting inside a
  // compressed file decompresses the prefix again (see byte_source.hpp).
  Compression compression = Compression::AUTO;
  // Prefix of the ExecutionContext keys <name>.read.count, <name>.offset,
  // <name>.line, <name>.column.
  std::string name = "jsonReader";
  JsonFormat format = JsonFormat::ARRAY;
  // Read buffer size; raised to at least 128 KiB. Grows (doubling) only
  // for elements longer than that.
  size_t buffer_size = 128 * 1024;
  // An element longer than this is a ParseError; it is skipped (scanned
  // without being kept) and reading continues after it. Bounds memory
  // whatever the input.
  size_t max_element_bytes = 16 * 1024 * 1024;
  // false: update() saves nothing and open() ignores saved state.
  bool save_state = true;
};

class JsonElementReader : public ItemStream {
 public:
  // Throws std::invalid_argument on an empty path. Touches no file until
  // open().
  explicit JsonElementReader(JsonReaderOptions options);
  ~JsonElementReader() override;
  JsonElementReader(const JsonElementReader&) = delete;
  JsonElementReader& operator=(const JsonElementReader&) = delete;

  // Opens the file (a UTF-8 BOM is skipped; ARRAY: the opening '[' is
  // read). With a saved <name>.offset, seeks straight to it and continues
  // counts and positions. Throws std::runtime_error naming the path when
  // the file cannot be read or is shorter than the saved offset, and
  // ParseError when an ARRAY file does not start with '['.
  void open(ExecutionContext& context) override;
  // Saves <name>.read.count, <name>.offset (where reading resumes: after
  // the last element handed out), <name>.line and <name>.column there.
  void update(ExecutionContext& context) override;
  // Closes the file; open() may be called again. Idempotent.
  void close() override;

  // The next element, or nullptr at the end (and after). Valid, with
  // everything read from it, until the next call to next() or close().
  // Throws ParseError for a malformed element (consumed, see above),
  // std::system_error on I/O errors, std::logic_error before open().
  const JsonValue* next();
  // The next element as a JsonCursor (json_cursor.hpp), otherwise like
  // next() (errors, counts, offsets). LINES: lazily read (simdjson
  // On-Demand) when the line belongs to a batch, over the full parse when
  // read alone; ARRAY: over the full parse.
  const JsonCursor* next_cursor();
  // After reading a lazy cursor: moves the batch past it, which proves the
  // line held exactly that one value; throws the line's ParseError (what
  // next() reports for it) when it did not — drop what was read from it.
  // A no-op otherwise. next() and next_cursor() call it first if needed, so
  // an unconfirmed line's error then comes from that next call.
  void confirm_cursor();
  // The element last handed out, parsed fully — for a lazy cursor whose
  // read failed. Throws the ParseError of a malformed element (as next()
  // would have); else a cursor over the full parse, valid until the next
  // read.
  const JsonCursor& reparse();
  // Throws the ParseError for a mapper's exception on the element last
  // handed out: a JsonValueError names its member as the field, anything
  // else reads "mapping failed: <what()>".
  [[noreturn]] void fail_mapping(const std::exception& error) const;

  // The raw text, 1-based line and column of the last element returned
  // (or that failed): for messages. Valid until the next call to next().
  std::string_view raw() const { return raw_; }
  int64_t line() const { return element_line_; }
  int64_t column() const { return element_column_; }

  const JsonReaderOptions& options() const { return options_; }
  // Elements handed out so far (including ones that failed to parse or map).
  int64_t read_count() const { return read_count_; }
  // Byte offset where a restart would resume.
  int64_t offset() const { return resume_offset_; }

 private:
  struct Impl;
  enum class Phase { OPEN, FIRST, AFTER, NEXT, ELEMENT, TRAILING, LINES, DONE };

  void reset_scan();
  void consume(size_t bytes);
  bool skip_whitespace();  // false: needs more data (or end of input)
  bool scan_element(const char* p, size_t avail);  // true: scan_end_ set
  bool next_line(bool lazy);  // true: an element is ready (see element_lazy_)
  bool start_batch(bool lazy);
  bool next_in_batch();  // false: the batch ended or was given up
  bool batch_holds_line(size_t at, size_t size);
  const JsonValue* next_array();
  void check_size(const char* p, size_t size);
  const JsonValue* parse(const char* p, size_t size);
  [[noreturn]] void fail(int64_t line, int64_t column, std::string_view raw, std::string reason);
  [[noreturn]] void fail_here(std::string reason);
  [[noreturn]] void fail_overlong();
  void mark_resume();

  JsonReaderOptions options_;
  std::string who_;
  std::string count_key_, offset_key_, line_key_, column_key_;
  std::unique_ptr<Impl> impl_;
  TextInput input_;          // the buffer (padded for the parser)
  bool open_ = false;
  int64_t line_start_ = 0;   // offset where the line of input_.offset() starts
  Phase phase_ = Phase::DONE;
  // LINES batch (offsets in the input): [batch_base_, batch_end_) holds
  // complete lines parsed by one parse_many; no new batch starts before
  // per_line_until_ (after a batch was given up).
  bool batch_active_ = false;
  bool batch_lazy_ = false;       // the batch is On-Demand (else DOM parse_many)
  bool element_lazy_ = false;     // the element handed out is the On-Demand document
  bool lazy_unconfirmed_ = false;  // ... and the batch has not moved past it yet
  bool advance_pending_ = false;  // step the batch to its next document first
  int64_t batch_base_ = 0, batch_end_ = 0, per_line_until_ = 0;
  // Element scan in progress (positions relative to begin_).
  size_t scan_pos_ = 0;
  size_t scan_end_ = 0;
  int64_t depth_ = 0;
  bool in_string_ = false;
  char kind_ = 0;           // first byte of the element: '{', '[', '"' or a scalar's
  bool discarding_ = false;  // skipping the rest of an overlong element
  int64_t read_count_ = 0;
  int64_t resume_offset_ = 0, resume_line_ = 0, resume_line_start_ = 0;
  std::string_view raw_;
  int64_t element_line_ = 0, element_column_ = 0;
};

}  // namespace cppbatch
