// Fair turns at a repository file's write lock. SQLite's lock is not fair:
// a connection that commits chunk after chunk takes the lock again at once,
// and another process waiting for it (a `cppbatch stop`, a second job)
// sleeps in its busy handler and nearly always wakes to find it taken. Every
// repository connection on the file therefore takes its turn at the
// turnstile — an flock(2) lock on `<file>-lock` beside the database — while
// it waits for BEGIN IMMEDIATE, and lets go once the transaction is open. A
// waiting writer holds the turnstile, so the committer's next BEGIN queues
// behind it: the waiter gets in at the next chunk boundary. Opening the
// file (WAL switch, schema) takes a turn as well. The kernel drops the lock
// of a process that dies. Internal.
#pragma once

#include <string>
#include <utility>

namespace cppbatch::internal {

class WriterTurnstile {
 public:
  // No turnstile (each turn a no-op) for ":memory:", or when the lock file
  // cannot be opened (read-only directory): the lock is then merely unfair.
  explicit WriterTurnstile(const std::string& database_path);
  ~WriterTurnstile();
  WriterTurnstile(WriterTurnstile&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  WriterTurnstile(const WriterTurnstile&) = delete;
  WriterTurnstile& operator=(const WriterTurnstile&) = delete;
  WriterTurnstile& operator=(WriterTurnstile&&) = delete;

  // Holds the turnstile for its lifetime (blocks while another connection
  // holds it; that holder's wait is bounded by its busy timeout).
  class Turn {
   public:
    explicit Turn(const WriterTurnstile& turnstile);
    ~Turn();
    Turn(const Turn&) = delete;
    Turn& operator=(const Turn&) = delete;

   private:
    int fd_;
  };

 private:
  int fd_ = -1;
};

}  // namespace cppbatch::internal
