// Private machinery of the file sort, merge and split utilities: a buffered
// output file that appears under its final name only once complete
// (written as a temporary file, then renamed), and the sorted-run files of
// the external sort with their reader.
//
// Run file format (private, never outlives a sort): records of
//   u32 key length | u32 raw length | key bytes | raw record bytes
// in the machine's byte order.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "cppbatch/core/execution_context.hpp"
#include "cppbatch/infrastructure/transactional_file_output.hpp"

namespace cppbatch::internal {

// Appends bytes through a 1 MiB buffer to a file. Not thread-safe.
class BufferedFileOutput {
 public:
  // Opens (creates/truncates, or appends to) `path`; `sync` fdatasync()s on flush(true).
  BufferedFileOutput(std::string path, bool append, bool sync, size_t buffer_size = 1 << 20);
  ~BufferedFileOutput();
  BufferedFileOutput(const BufferedFileOutput&) = delete;
  BufferedFileOutput& operator=(const BufferedFileOutput&) = delete;

  // True when open() found the file empty (a header is due).
  bool was_empty() const { return was_empty_; }
  void append(std::string_view bytes) {
    if (buffer_.size() + bytes.size() > capacity_) flush_buffer();
    if (bytes.size() > capacity_) {
      output_.write(bytes, 0);
    } else {
      buffer_.append(bytes);
    }
  }
  void append_line(std::string_view line) {
    if (buffer_.size() + line.size() + 1 > capacity_) flush_buffer();
    if (line.size() + 1 > capacity_) {
      output_.write(line, 0);
      output_.write("\n", 0);
    } else {
      buffer_.append(line);
      buffer_.push_back('\n');
    }
  }
  // Writes the buffer out; with `sync` (and the sync option), fdatasync()s.
  void flush(bool sync);
  // Flushes (syncing when the option says so) and closes.
  void close();
  const std::string& path() const { return output_.path(); }

 private:
  void flush_buffer();

  TransactionalFileOutput output_;
  ExecutionContext context_;
  std::string buffer_;
  size_t capacity_;
  bool was_empty_ = false;
};

// A file written under a temporary name (`<dir>/.<name>.tmp`) and renamed
// to `path` by commit(); destroyed without commit(), it removes the
// temporary file, so a failed run leaves neither half an output nor a
// stale temporary file.
class AtomicFileOutput {
 public:
  AtomicFileOutput(std::string path, bool sync);
  ~AtomicFileOutput();
  AtomicFileOutput(const AtomicFileOutput&) = delete;
  AtomicFileOutput& operator=(const AtomicFileOutput&) = delete;

  BufferedFileOutput& out() { return *out_; }
  // Flushes, syncs (option), closes and renames onto the final path.
  void commit();
  // The temporary name for `path`.
  static std::string temporary_path(const std::string& path);

 private:
  std::string path_;
  std::string temporary_;
  std::unique_ptr<BufferedFileOutput> out_;
  bool sync_;
  bool committed_ = false;
};

class RunWriter {
 public:
  explicit RunWriter(std::string path, size_t buffer_size);
  void add(std::string_view key, std::string_view raw);
  void finish() { out_.close(); }

 private:
  BufferedFileOutput out_;
};

// Reads a run file sequentially through a buffer (grown only for a record
// longer than it). key()/raw() are valid until the next next().
class RunReader {
 public:
  RunReader(std::string path, size_t buffer_size);
  ~RunReader();
  RunReader(const RunReader&) = delete;
  RunReader& operator=(const RunReader&) = delete;

  // Advances to the next record; false at the end of the file.
  bool next();
  std::string_view key() const { return key_; }
  std::string_view raw() const { return raw_; }

 private:
  bool fill(size_t need);  // ensures `need` bytes from begin_; false at EOF before any byte

  std::string path_;
  int fd_ = -1;
  std::unique_ptr<char[]> buffer_;
  size_t capacity_;
  size_t begin_ = 0, end_ = 0;
  bool eof_ = false;
  std::string_view key_, raw_;
};

// fsync()s a file or a directory (std::system_error naming it on failure).
void sync_file(const std::string& path);

// Removes a file or a directory tree, ignoring errors (cleanup paths).
void remove_quietly(const std::string& path);

}  // namespace cppbatch::internal
