// PgCopyWriter<T>: loads each chunk into a PostgreSQL table with
// COPY table(columns) FROM STDIN (text format) — the fastest way to insert
// many rows (Spring has no counterpart; think of psql's \copy fed by a
// step). Insert-only: COPY cannot upsert.
//
//   PgCopyWriter<Player> writer(
//       {.url = "postgresql://batch@db/batch", .table = "players",
//        .columns = {"id", "last_name", "birth_year"}},
//       [](const Player& p, PgCopyRow& row) { row.add(p.id); row.add(p.last_name); row.add(p.birth_year); });
//   writer.write(chunk);
//
// The formatter adds one value per column, in `columns` order; PgCopyRow
// escapes text (backslash, tab, newline, carriage return) and writes
// numbers without allocating. For Record items, record_copy_formatter()
// writes the record's fields named like the columns.
//
// Transactions: with its own connection (url) every chunk is one
// BEGIN; COPY; COMMIT — a failure anywhere rolls the whole chunk back.
// With a caller's PgConnection that is inside a transaction the writer
// joins it and never begins, commits or rolls back. Restart: the writer
// holds no position; it commits before the step's checkpoint, so a crash
// between the two replays the chunk — COPY into a table with a unique key
// then fails on the duplicates (nothing is loaded twice, the step needs
// the duplicate rows removed first) and into a table without one loads
// them twice. For exactly-once loads either write into the repository's
// transaction, or load a staging table keyed by the item and move it
// (docs/io-databases.md).
//
// A failing item throws PgWriteError with its index in the chunk (the
// formatter's exception, a wrong number of values, or the server's
// rejection of that line). Not thread-safe.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "cppbatch/core/item_writer.hpp"
#include "cppbatch/infrastructure/pg_connection.hpp"
#include "cppbatch/infrastructure/record.hpp"

namespace cppbatch {

struct PgCopyOptions {
  // Connection URL (postgresql://...), opened by the constructor without a
  // PgConnection&; ignored by the other one.
  std::string url{};
  // Target table, as SQL (schema-qualify or quote it as needed). Required.
  std::string table{};
  // Target columns, in the order the formatter adds values. Required.
  // Quoted as identifiers ("birthYear" stays case-sensitive).
  std::vector<std::string> columns{};
  // Used in error messages.
  std::string name = "pgCopyWriter";
  // Bytes buffered before they are sent to the server.
  size_t buffer_bytes = 1 << 20;
};

// One line of COPY text: values are appended in column order.
class PgCopyRow {
 public:
  explicit PgCopyRow(std::string& out) : out_(out) {}

  void add_null() { separator(); out_ += "\\N"; }
  void add(std::string_view text) {
    separator();
    size_t start = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      const char escape = escape_of(text[i]);
      if (escape == 0) continue;
      out_.append(text.substr(start, i - start));
      out_ += '\\';
      out_ += escape;
      start = i + 1;
    }
    out_.append(text.substr(start));
  }
  void add(const char* text) { add(std::string_view(text)); }
  void add(const std::string& text) { add(std::string_view(text)); }
  void add(bool value) { separator(); out_ += value ? 't' : 'f'; }
  template <class I>
    requires(std::is_integral_v<I> && !std::is_same_v<I, bool> && !std::is_same_v<I, char>)
  void add(I value) {
    separator();
    char buffer[24];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    out_.append(buffer, end);
  }
  void add(double value);
  // A Record value: null, bool, integer, double, text, ISO date / date-time.
  void add(const Value& value);

  size_t fields() const { return fields_; }

 private:
  // The letter after the backslash for a byte COPY text must escape, else 0.
  static char escape_of(char c) {
    if (static_cast<unsigned char>(c) > '\\') return 0;
    return c == '\\' ? '\\' : c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : 0;
  }
  void separator() {
    if (fields_++ != 0) out_ += '\t';
  }

  std::string& out_;
  size_t fields_ = 0;
};

namespace internal {

// The non-template part of PgCopyWriter: connection, COPY protocol,
// transaction and errors.
class PgCopySession {
 public:
  explicit PgCopySession(PgCopyOptions options);
  PgCopySession(PgConnection& connection, PgCopyOptions options);
  ~PgCopySession();

  // BEGIN (unless joining a transaction) and COPY ... FROM STDIN.
  void begin();
  // Sends the buffered lines.
  void send(std::string& buffer);
  // Ends the COPY and commits; throws PgWriteError (index from the
  // server's "line N" context) after rolling back.
  void finish(size_t chunk_size);
  // Aborts the COPY, rolls back, throws PgWriteError for the current
  // exception at item `index`.
  [[noreturn]] void fail(size_t index, size_t chunk_size);
  const PgCopyOptions& options() const { return options_; }

 private:
  PgCopyOptions options_;
  std::unique_ptr<PgConnection> owned_;
  PgConnection* connection_;
  std::string copy_sql_;
  bool owns_transaction_ = false;
  bool copying_ = false;
};

}  // namespace internal

template <class T>
class PgCopyWriter : public ItemWriter<T> {
 public:
  using Formatter = std::function<void(const T&, PgCopyRow&)>;

  // Connects to options.url now (PgError naming the redacted URL if it
  // cannot); disconnects on destruction.
  PgCopyWriter(PgCopyOptions options, Formatter formatter)
      : session_(std::move(options)), formatter_(std::move(formatter)) {
    if (!formatter_) throw std::invalid_argument("PgCopyWriter: empty formatter");
  }
  // Writes through `connection`, which must outlive this writer.
  PgCopyWriter(PgConnection& connection, PgCopyOptions options, Formatter formatter)
      : session_(connection, std::move(options)), formatter_(std::move(formatter)) {
    if (!formatter_) throw std::invalid_argument("PgCopyWriter: empty formatter");
  }

  void write(const Chunk<T>& chunk) override {
    if (chunk.empty()) return;
    session_.begin();
    const size_t columns = session_.options().columns.size();
    const size_t flush_at = session_.options().buffer_bytes;
    size_t i = 0;
    try {
      buffer_.clear();
      for (; i < chunk.size(); ++i) {
        PgCopyRow row(buffer_);
        formatter_(chunk[i], row);
        if (row.fields() != columns) {
          throw std::invalid_argument("the formatter added " + std::to_string(row.fields()) + " values for " +
                                      std::to_string(columns) + " columns");
        }
        buffer_ += '\n';
        if (buffer_.size() >= flush_at) session_.send(buffer_);
      }
      session_.send(buffer_);
    } catch (...) {
      session_.fail(i, chunk.size());
    }
    session_.finish(chunk.size());
  }

 private:
  internal::PgCopySession session_;
  Formatter formatter_;
  std::string buffer_;
};

// A formatter for Record items: the record's fields named like `columns`,
// in that order (a missing field is NULL).
std::function<void(const Record&, PgCopyRow&)> record_copy_formatter(std::vector<std::string> columns);

}  // namespace cppbatch
