// TransactionalFileOutput: an append-only output file whose content follows
// the chunk transactions of a step — the restart half of every file writer
// (delimited today; JSON/XML later). The file never holds bytes of a chunk
// that did not commit once the step has been restarted:
//   open()    fresh start: create/truncate (or append to) the file;
//             restart (context holds <name>.offset): truncate the file back
//             to that committed offset and continue after it;
//   write()   appends a formatted chunk with one write(2) (short writes are
//             retried; on failure the file is cut back to where it was);
//   update()  (inside the chunk transaction) records <name>.offset, the file
//             size after the chunk, and <name>.written, the records so far;
//             with sync_on_commit, fdatasync()s first.
//
//   TransactionalFileOutput out("out.csv", "writer", /*append=*/false, /*sync=*/false);
//   if (out.open(ctx)) out.write("id,name\n", 0);   // fresh, empty file: header
//   out.write(chunk_bytes, chunk_items); out.update(ctx);
//   out.close();
//
// Not thread-safe. One instance per file: two writers on one path corrupt
// each other.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cppbatch/core/execution_context.hpp"

namespace cppbatch {

class TransactionalFileOutput {
 public:
  // `name` prefixes the context keys. Nothing is touched until open().
  TransactionalFileOutput(std::string path, std::string name, bool append, bool sync_on_commit);
  ~TransactionalFileOutput();
  TransactionalFileOutput(const TransactionalFileOutput&) = delete;
  TransactionalFileOutput& operator=(const TransactionalFileOutput&) = delete;

  // Opens the file (see above) and returns true when it is a fresh start on
  // an empty file (the caller writes its header, then update()s). Also
  // stores the starting position in `context`, so an engine that saves the
  // context right after open (as Spring does) can undo even a first chunk
  // that never committed. Throws std::runtime_error naming the path when
  // the file cannot be opened, or on restart when it is missing or shorter
  // than the committed offset.
  bool open(ExecutionContext& context);
  // Appends `bytes` (holding `records` records). Throws std::system_error;
  // the file is then cut back to its size before the call.
  void write(std::string_view bytes, int64_t records);
  // Saves <name>.offset and <name>.written; fdatasync() first when
  // sync_on_commit (throws std::system_error if that fails).
  void update(ExecutionContext& context);
  // Cuts the file back to the position of the last update()/open(): for an
  // engine that rolls a chunk back and carries on in the same process
  // (retry, skip scan) after write() succeeded.
  void discard_uncommitted();
  // Closes the file. Idempotent; does not sync.
  void close();

  bool is_open() const { return fd_ >= 0; }
  int64_t position() const { return position_; }  // file size so far
  int64_t records() const { return records_; }
  const std::string& path() const { return path_; }

 private:
  [[noreturn]] void fail(const std::string& what, int err);
  void truncate_to(int64_t size);

  std::string path_;
  std::string name_;
  std::string offset_key_, written_key_;
  bool append_;
  bool sync_on_commit_;
  int fd_ = -1;
  int64_t position_ = 0;
  int64_t records_ = 0;
  int64_t committed_position_ = 0;
  int64_t committed_records_ = 0;
};

}  // namespace cppbatch
