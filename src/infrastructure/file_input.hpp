// Internal: the byte source of the streaming readers (JSON, XML) — a file
// read with read(2), positioned by byte offset. It is the one piece to swap
// for another source (e.g. transparently decompressed input).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace cppbatch::internal {

class FileInput {
 public:
  // `who` names the component in messages ("reader 'jsonReader'").
  FileInput(std::string path, std::string who);
  ~FileInput();
  FileInput(const FileInput&) = delete;
  FileInput& operator=(const FileInput&) = delete;

  // Opens the file for sequential reading. Throws std::runtime_error naming
  // the path when it is missing, unreadable or a directory.
  void open();
  // Up to `n` bytes into `out`; 0 at the end. Throws std::system_error.
  size_t read(char* out, size_t n);
  // Positions the next read at `offset`. Throws std::runtime_error when
  // the file is shorter than `offset` (it changed since the offset was
  // saved), std::system_error on I/O errors.
  void seek(int64_t offset);
  void close();
  bool is_open() const { return fd_ >= 0; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::string who_;
  int fd_ = -1;
  int64_t size_ = 0;
};

}  // namespace cppbatch::internal
