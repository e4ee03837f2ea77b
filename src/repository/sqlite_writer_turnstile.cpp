#include "repository/sqlite_writer_turnstile.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cppbatch/common/logging.hpp"

namespace cppbatch::internal {

WriterTurnstile::WriterTurnstile(const std::string& database_path) {
  if (database_path.empty() || database_path == ":memory:") return;
  const std::string lock_path = database_path + "-lock";
  fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    logger().debug("job repository {}: no writer turnstile ({}: {}); writers take SQLite's lock unordered",
                   database_path, lock_path, std::strerror(errno));
  }
}

WriterTurnstile::~WriterTurnstile() {
  if (fd_ >= 0) ::close(fd_);
}

WriterTurnstile::Turn::Turn(const WriterTurnstile& turnstile) : fd_(turnstile.fd_) {
  if (fd_ < 0) return;
  while (::flock(fd_, LOCK_EX) != 0) {
    if (errno != EINTR) {
      fd_ = -1;  // cannot queue: take SQLite's lock unordered
      return;
    }
  }
}

WriterTurnstile::Turn::~Turn() {
  if (fd_ >= 0) ::flock(fd_, LOCK_UN);
}

}  // namespace cppbatch::internal
