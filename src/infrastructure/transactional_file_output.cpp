#include "cppbatch/infrastructure/transactional_file_output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

namespace cppbatch {

TransactionalFileOutput::TransactionalFileOutput(std::string path, std::string name, bool append,
                                                 bool sync_on_commit)
    : path_(std::move(path)),
      name_(std::move(name)),
      offset_key_(name_ + ".offset"),
      written_key_(name_ + ".written"),
      append_(append),
      sync_on_commit_(sync_on_commit) {
  if (path_.empty()) throw std::invalid_argument("writer '" + name_ + "': path is empty");
}

TransactionalFileOutput::~TransactionalFileOutput() { close(); }

void TransactionalFileOutput::fail(const std::string& what, int err) {
  throw std::system_error(err, std::generic_category(),
                          "writer '" + name_ + "': " + what + " '" + path_ + "'");
}

void TransactionalFileOutput::truncate_to(int64_t size) {
  if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) fail("truncating", errno);
  if (::lseek(fd_, static_cast<off_t>(size), SEEK_SET) < 0) fail("seeking in", errno);
}

bool TransactionalFileOutput::open(ExecutionContext& context) {
  close();
  const std::optional<int64_t> committed = context.get_long(offset_key_);
  bool fresh_and_empty = false;
  if (committed) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd_ < 0) {
      int err = errno;
      throw std::runtime_error("writer '" + name_ + "': cannot reopen output file '" + path_ +
                               "' to restart after " + std::to_string(*committed) +
                               " committed bytes: " + std::strerror(err));
    }
    struct stat st {};
    if (::fstat(fd_, &st) != 0) fail("inspecting", errno);
    if (static_cast<int64_t>(st.st_size) < *committed) {
      int64_t size = static_cast<int64_t>(st.st_size);
      close();
      throw std::runtime_error("writer '" + name_ + "': output file '" + path_ + "' has " +
                               std::to_string(size) + " bytes, fewer than the " +
                               std::to_string(*committed) +
                               " committed ones — was it changed outside the job?");
    }
    // Bytes past the committed offset belong to a chunk that never committed.
    truncate_to(*committed);
    if (sync_on_commit_ && ::fdatasync(fd_) != 0) fail("syncing", errno);
    position_ = *committed;
    records_ = context.get_long(written_key_).value_or(0);
  } else {
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append_ ? 0 : O_TRUNC);
    fd_ = ::open(path_.c_str(), flags, 0644);
    if (fd_ < 0) {
      int err = errno;
      throw std::runtime_error("writer '" + name_ + "': cannot open output file '" + path_ +
                               "': " + std::strerror(err));
    }
    off_t end = ::lseek(fd_, 0, SEEK_END);
    if (end < 0) fail("seeking in", errno);
    position_ = static_cast<int64_t>(end);
    records_ = 0;
    fresh_and_empty = position_ == 0;
  }
  committed_position_ = position_;
  committed_records_ = records_;
  context.put_long(offset_key_, position_);
  context.put_long(written_key_, records_);
  return fresh_and_empty;
}

void TransactionalFileOutput::write(std::string_view bytes, int64_t records) {
  if (fd_ < 0) throw std::logic_error("writer '" + name_ + "': write() before open()");
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      // Leave no partial chunk behind; a retry writes it again whole.
      (void)::ftruncate(fd_, static_cast<off_t>(position_));
      (void)::lseek(fd_, static_cast<off_t>(position_), SEEK_SET);
      fail("writing to", err);
    }
    done += static_cast<size_t>(n);
  }
  position_ += static_cast<int64_t>(bytes.size());
  records_ += records;
}

void TransactionalFileOutput::update(ExecutionContext& context) {
  if (fd_ < 0) throw std::logic_error("writer '" + name_ + "': update() before open()");
  if (sync_on_commit_ && position_ != committed_position_ && ::fdatasync(fd_) != 0) {
    fail("syncing", errno);
  }
  context.put_long(offset_key_, position_);
  context.put_long(written_key_, records_);
  committed_position_ = position_;
  committed_records_ = records_;
}

void TransactionalFileOutput::discard_uncommitted() {
  if (fd_ < 0 || position_ == committed_position_) return;
  truncate_to(committed_position_);
  position_ = committed_position_;
  records_ = committed_records_;
}

void TransactionalFileOutput::close() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

}  // namespace cppbatch
