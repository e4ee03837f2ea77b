// ByteSource: the bytes of an input file, decompressed when it is gzip or
// zstd — what every file reader (delimited, fixed-length, JSON, XML...)
// reads from, so each of them reads compressed input transparently.
//
// open_byte_source() looks at the file's first bytes (not its name): gzip
// (1f 8b) and zstd (28 b5 2f fd) are decompressed as a stream, anything
// else is read as is with read(2). Memory is bounded whatever the file
// size (one decompression window and one input buffer). Positions are
// offsets in the *uncompressed* bytes.
//
//   auto source = open_byte_source("trades.csv.gz");
//   char buf[65536];
//   while (size_t n = source->read(buf, sizeof buf)) consume(buf, n);
//
// Seeking a compressed source (restart) decompresses from the start and
// discards everything before the offset: it costs the time to decompress
// that prefix (roughly 0.3–1 s per GB of uncompressed text), never memory.
//
// Not thread-safe: one thread uses a source at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace cppbatch {

enum class Compression {
  AUTO,  // detect from the magic bytes (the default)
  NONE,  // read the bytes as they are, even if they look compressed
  GZIP,  // gzip (zlib); concatenated members are read one after the other
  ZSTD,  // zstd frames (libzstd); concatenated frames likewise
};

// "auto", "none", "gzip", "zstd".
std::string_view to_string(Compression compression);

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;

  // Reads up to `size` (> 0) bytes into `buffer`; returns how many, 0 only
  // at the end of the input (and after). Throws std::system_error on an I/O
  // error and std::runtime_error naming the file on corrupt or truncated
  // compressed data.
  virtual size_t read(char* buffer, size_t size) = 0;
  // Makes the next read() start at uncompressed offset `offset` (>= 0).
  // Returns the offset reached: `offset`, or less when the input is
  // shorter (then the source is at its end). Plain files seek in O(1);
  // compressed ones decompress from the start (see above).
  virtual int64_t seek(int64_t offset) = 0;
  // Uncompressed offset of the next byte read() returns.
  virtual int64_t position() const = 0;
  // The uncompressed size when known without reading (plain files).
  virtual std::optional<int64_t> size() const = 0;
  // NONE, GZIP or ZSTD (never AUTO).
  virtual Compression compression() const = 0;
  const std::string& path() const { return path_; }

 protected:
  explicit ByteSource(std::string path) : path_(std::move(path)) {}

 private:
  std::string path_;
};

// Opens `path` for reading. `compression` AUTO detects it from the magic
// bytes; an explicit value forces it (a file that is not in that format
// then fails at the first read()). Throws std::runtime_error naming the
// path when the file is missing, a directory or unreadable.
std::unique_ptr<ByteSource> open_byte_source(const std::string& path,
                                             Compression compression = Compression::AUTO);

}  // namespace cppbatch
