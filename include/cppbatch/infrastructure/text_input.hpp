// TextInput: a growable read buffer over a ByteSource that knows the byte
// offset and the line count of what has been consumed — the input half
// shared by the text file readers (delimited, fixed-length and other
// line-based formats). It reads the file (plain, gzip or zstd) in large
// pieces, hands out the unconsumed bytes, and restarts at a saved offset.
//
//   TextInput in("reader 'orders'");
//   in.open("orders.txt.gz", Compression::AUTO, 128 * 1024);
//   while (auto line = in.next_line(1 << 20)) handle(line->text, line->number);
//
// Memory: the buffer grows (doubling) only to hold the longest record the
// caller asks it to keep whole; otherwise flat in the file size.
// Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cppbatch/infrastructure/byte_source.hpp"

namespace cppbatch {

class TextInput {
 public:
  // `who` starts error messages ("reader 'orders'").
  explicit TextInput(std::string who);

  // Opens `path` (see open_byte_source) with a buffer of at least
  // `buffer_size` (raised to 128 KiB), reads the first piece and skips a
  // UTF-8 BOM. `padding` bytes stay allocated (and readable) after the
  // buffer's end, for parsers that read past the data (simdjson). Throws
  // std::runtime_error naming the path.
  void open(const std::string& path, Compression compression, size_t buffer_size,
            size_t padding = 0);
  // Releases the file and the buffer. Idempotent.
  void close();
  bool is_open() const { return source_ != nullptr; }

  // The unconsumed bytes held in the buffer (views die at the next fill()).
  const char* data() const { return buffer_.get() + begin_; }
  size_t available() const { return end_ - begin_; }
  // True when the source has nothing beyond what the buffer holds.
  bool eof() const { return eof_; }
  // Reads more bytes after the unconsumed ones (moving them to the front,
  // doubling the buffer when they fill it). At the end of the input it
  // sets eof() and adds nothing. Throws std::system_error /
  // std::runtime_error (corrupt compressed data).
  void fill();
  // Marks `bytes` of the available ones consumed, holding `newlines` '\n's.
  void consume(size_t bytes, int64_t newlines) {
    begin_ += bytes;
    lines_ += newlines;
  }
  // Byte offset (uncompressed) of the first unconsumed byte.
  int64_t offset() const { return buffer_offset_ + static_cast<int64_t>(begin_); }
  // '\n's consumed so far (the physical lines before offset()).
  int64_t lines() const { return lines_; }
  // Continues at `offset`, counting `lines` lines before it. Returns false
  // (then the input is at its end) when the input is shorter than `offset`.
  bool seek(int64_t offset, int64_t lines);
  // seek() for a restart: throws std::runtime_error ("<who>: input file
  // 'PATH' has N bytes but the restart offset is M — was the file
  // replaced?") when the input is shorter than the saved offset.
  void resume(int64_t offset, int64_t lines, const std::string& who);
  // What the source is (path, compression, size when known).
  const ByteSource& source() const { return *source_; }

  // One physical line, without its terminator (LF, or CRLF whose CR is
  // dropped). `number` is 1-based. `overlong`: the line was longer than the
  // limit; `text` holds its first bytes and the rest is skipped.
  struct Line {
    std::string_view text;
    int64_t number = 0;
    bool overlong = false;
  };
  // Consumes and returns the next physical line, nullopt at the end. The
  // view is valid until the next call. A line longer than `max_bytes` is
  // returned cut with overlong = true (the caller reports it) and the next
  // call continues after its end.
  std::optional<Line> next_line(size_t max_bytes) {
    // Inline fast path: a whole line in the buffer (the usual case).
    if (!discard_line_ && begin_ < end_) {
      const char* p = buffer_.get() + begin_;
      const void* nl = std::memchr(p, '\n', end_ - begin_);
      if (nl != nullptr) {
        size_t size = static_cast<size_t>(static_cast<const char*>(nl) - p);
        begin_ += size + 1;
        ++lines_;
        if (size > 0 && p[size - 1] == '\r') --size;
        if (size <= max_bytes) return Line{std::string_view(p, size), lines_, false};
        return Line{std::string_view(p, max_bytes), lines_, true};
      }
    }
    return next_line_slow(max_bytes);
  }

 private:
  std::optional<Line> next_line_slow(size_t max_bytes);

  std::string who_;
  std::unique_ptr<ByteSource> source_;
  std::unique_ptr<char[]> buffer_;
  size_t capacity_ = 0;
  size_t padding_ = 0;
  size_t begin_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  bool discard_line_ = false;
  int64_t buffer_offset_ = 0;  // offset of buffer_[0]
  int64_t lines_ = 0;
};

}  // namespace cppbatch
