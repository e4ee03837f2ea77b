#include "infrastructure/file_input.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

namespace cppbatch::internal {

FileInput::FileInput(std::string path, std::string who)
    : path_(std::move(path)), who_(std::move(who)) {}

FileInput::~FileInput() { close(); }

void FileInput::open() {
  close();
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    throw std::runtime_error(who_ + ": cannot open input file '" + path_ + "': " +
                             std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd_, &st) != 0 || S_ISDIR(st.st_mode)) {
    int err = S_ISDIR(st.st_mode) ? EISDIR : errno;
    close();
    throw std::runtime_error(who_ + ": cannot read input file '" + path_ + "': " +
                             std::strerror(err));
  }
  size_ = static_cast<int64_t>(st.st_size);
  ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
}

size_t FileInput::read(char* out, size_t n) {
  ssize_t got;
  do {
    got = ::read(fd_, out, n);
  } while (got < 0 && errno == EINTR);
  if (got < 0) {
    throw std::system_error(errno, std::generic_category(), who_ + ": reading '" + path_ + "'");
  }
  return static_cast<size_t>(got);
}

void FileInput::seek(int64_t offset) {
  if (offset > size_) {
    throw std::runtime_error(who_ + ": input file '" + path_ + "' has " + std::to_string(size_) +
                             " bytes but the restart offset is " + std::to_string(offset) +
                             " — was the file replaced?");
  }
  if (::lseek(fd_, static_cast<off_t>(offset), SEEK_SET) < 0) {
    throw std::system_error(errno, std::generic_category(), who_ + ": seeking in '" + path_ + "'");
  }
}

void FileInput::close() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

}  // namespace cppbatch::internal
