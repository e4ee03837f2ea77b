#include "sort_runs.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace cppbatch::internal {

BufferedFileOutput::BufferedFileOutput(std::string path, bool append, bool sync, size_t buffer_size)
    : output_(std::move(path), "out", append, sync), capacity_(buffer_size) {
  was_empty_ = output_.open(context_);
  buffer_.reserve(capacity_);
}

BufferedFileOutput::~BufferedFileOutput() { output_.close(); }

void BufferedFileOutput::flush_buffer() {
  if (buffer_.empty()) return;
  output_.write(buffer_, 0);
  buffer_.clear();
}

void BufferedFileOutput::flush(bool sync) {
  flush_buffer();
  if (sync) output_.update(context_);
}

void BufferedFileOutput::close() {
  if (!output_.is_open()) return;
  flush(true);
  output_.close();
}

std::string AtomicFileOutput::temporary_path(const std::string& path) {
  std::filesystem::path p(path);
  return (p.parent_path() / ("." + p.filename().string() + ".tmp")).string();
}

AtomicFileOutput::AtomicFileOutput(std::string path, bool sync)
    : path_(std::move(path)), temporary_(temporary_path(path_)), sync_(sync) {
  out_ = std::make_unique<BufferedFileOutput>(temporary_, /*append=*/false, sync_);
}

AtomicFileOutput::~AtomicFileOutput() {
  if (committed_) return;
  try {
    out_.reset();
  } catch (...) {  // closing a file we are throwing away: nothing to report
  }
  remove_quietly(temporary_);
}

void AtomicFileOutput::commit() {
  out_->close();
  if (::rename(temporary_.c_str(), path_.c_str()) != 0) {
    throw std::system_error(errno, std::generic_category(),
                            "cannot rename '" + temporary_ + "' to '" + path_ + "'");
  }
  if (sync_) {
    // Make the rename itself durable: sync the directory.
    std::string dir = std::filesystem::path(path_).parent_path().string();
    sync_file(dir.empty() ? "." : dir);
  }
  committed_ = true;
}

RunWriter::RunWriter(std::string path, size_t buffer_size)
    : out_(std::move(path), /*append=*/false, /*sync=*/false, buffer_size) {}

void RunWriter::add(std::string_view key, std::string_view raw) {
  uint32_t header[2] = {static_cast<uint32_t>(key.size()), static_cast<uint32_t>(raw.size())};
  out_.append(std::string_view(reinterpret_cast<const char*>(header), sizeof header));
  out_.append(key);
  out_.append(raw);
}

RunReader::RunReader(std::string path, size_t buffer_size)
    : path_(std::move(path)), buffer_(new char[buffer_size]), capacity_(buffer_size) {
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "cannot open sort run '" + path_ + "'");
}

RunReader::~RunReader() {
  if (fd_ >= 0) ::close(fd_);
}

bool RunReader::fill(size_t need) {
  while (end_ - begin_ < need) {
    if (eof_) {
      if (end_ == begin_) return false;
      throw std::runtime_error("sort run '" + path_ + "' is truncated");
    }
    if (begin_ > 0) {
      std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (need > capacity_) {
      size_t grown = std::max(need, capacity_ * 2);
      std::unique_ptr<char[]> bigger(new char[grown]);
      std::memcpy(bigger.get(), buffer_.get(), end_);
      buffer_ = std::move(bigger);
      capacity_ = grown;
    }
    ssize_t n = ::read(fd_, buffer_.get() + end_, capacity_ - end_);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), "cannot read sort run '" + path_ + "'");
    }
    if (n == 0) eof_ = true;
    end_ += static_cast<size_t>(n);
  }
  return true;
}

bool RunReader::next() {
  if (!fill(8)) return false;
  uint32_t header[2];
  std::memcpy(header, buffer_.get() + begin_, sizeof header);
  const size_t size = 8 + size_t{header[0]} + header[1];
  if (!fill(size)) throw std::runtime_error("sort run '" + path_ + "' is truncated");
  const char* p = buffer_.get() + begin_;
  key_ = std::string_view(p + 8, header[0]);
  raw_ = std::string_view(p + 8 + header[0], header[1]);
  begin_ += size;
  return true;
}

void sync_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "cannot open '" + path + "' to sync it");
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) throw std::system_error(err, std::generic_category(), "cannot sync '" + path + "'");
}

void remove_quietly(const std::string& path) {
  std::error_code ignored;
  std::filesystem::remove_all(path, ignored);
}

}  // namespace cppbatch::internal
