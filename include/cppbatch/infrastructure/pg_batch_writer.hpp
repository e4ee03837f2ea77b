// PgBatchWriter<T>: writes each chunk to PostgreSQL through one prepared
// statement (INSERT, UPDATE, or an INSERT ... ON CONFLICT DO UPDATE upsert
// for idempotent re-writes) executed once per item — Spring's
// JdbcBatchItemWriter. The whole chunk travels in libpq pipeline mode: one
// network round trip per chunk (plus one per 256 items, to bound what is
// in flight), not one per item.
//
//   PgBatchWriter<Player> writer(
//       {.url = "postgresql://batch@db/batch",
//        .sql = "INSERT INTO players(id, last_name) VALUES(:id, :last_name) "
//               "ON CONFLICT(id) DO UPDATE SET last_name = excluded.last_name"},
//       [](const Player& p, PgParams& params) { params.add(p.id); params.add(p.last_name); });
//   writer.write(chunk);
//
// Parameters are $1..$n or :name (numbered in order of first use;
// params.names() lists them); the binder adds one value per parameter in
// number order. For Record items, record_binder() adds the record's
// fields named like the parameters.
//
// Transactions: with its own connection (url) every chunk is one
// BEGIN ... COMMIT; a failure rolls the whole chunk back. With a caller's
// PgConnection inside a transaction the writer joins it and never
// begins, commits or rolls back. Restart: the writer holds no position; it
// commits before the step's checkpoint, so a crash between the two replays
// the chunk — harmless with an upsert (docs/transactions.md).
//
// A failing item throws PgWriteError with its index in the chunk and the
// SQLSTATE. Not thread-safe.
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

struct PgWriterOptions {
  // Connection URL (postgresql://...), opened by the constructor without a
  // PgConnection&; ignored by the other one.
  std::string url{};
  // The statement run once per item, with $n or :name parameters. Required.
  std::string sql{};
  // Used in error messages.
  std::string name = "pgBatchWriter";
};

// The parameter values of one item, sent as text (the server converts to
// the columns' types). Reused between items: nothing is allocated in
// steady state.
class PgParams {
 public:
  void add_null() { offsets_.push_back(-1); }
  void add(std::string_view text) {
    offsets_.push_back(static_cast<int>(buffer_.size()));
    buffer_.append(text);
    buffer_ += '\0';
  }
  void add(const char* text) { add(std::string_view(text)); }
  void add(const std::string& text) { add(std::string_view(text)); }
  void add(bool value) { add(std::string_view(value ? "t" : "f")); }
  template <class I>
    requires(std::is_integral_v<I> && !std::is_same_v<I, bool> && !std::is_same_v<I, char>)
  void add(I value) {
    char buffer[24];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    add(std::string_view(buffer, static_cast<size_t>(end - buffer)));
  }
  void add(double value);
  // A Record value: null, bool, integer, double, text, ISO date / date-time.
  void add(const Value& value);

  // Names of the statement's :name parameters in number order (after any
  // positional $n ones, which have empty names here); empty when the
  // statement uses $n only.
  const std::vector<std::string>& names() const { return *names_; }
  size_t size() const { return offsets_.size(); }

  // For the writer: starts an item / gives libpq's arrays.
  void clear() {
    buffer_.clear();
    offsets_.clear();
  }
  const char* const* values();
  void set_names(const std::vector<std::string>* names) { names_ = names; }

 private:
  std::string buffer_;
  std::vector<int> offsets_;  // -1 = NULL
  std::vector<const char*> pointers_;
  const std::vector<std::string>* names_ = nullptr;
};

namespace internal {

// The non-template part of PgBatchWriter: connection, prepared statement,
// pipeline, transaction and errors.
class PgBatchSession {
 public:
  explicit PgBatchSession(PgWriterOptions options);
  PgBatchSession(PgConnection& connection, PgWriterOptions options);
  ~PgBatchSession();

  // Prepares on first use, enters pipeline mode, BEGIN unless joining.
  void begin(PgParams& params);
  // Queues the item's execution.
  void send(PgParams& params);
  // COMMIT (when owned), sync, reads every result; throws PgWriteError
  // naming the first failing item after rolling back.
  void finish(size_t chunk_size);
  // Abandons the chunk after an exception of the binder at item `index`.
  [[noreturn]] void fail(size_t index, size_t chunk_size);

 private:
  void drain(size_t count);
  void reset_pipeline();

  PgWriterOptions options_;
  std::unique_ptr<PgConnection> owned_;
  PgConnection* connection_;
  std::string statement_sql_;
  std::string statement_name_;
  std::vector<std::string> names_;
  int parameter_count_ = 0;
  bool prepared_ = false;
  bool owns_transaction_ = false;
  size_t sent_ = 0;      // items queued in this chunk
  size_t drained_ = 0;   // item results read so far
  size_t first_error_ = 0;
  bool has_error_ = false;
  std::string error_message_, error_state_;
};

}  // namespace internal

template <class T>
class PgBatchWriter : public ItemWriter<T> {
 public:
  using Binder = std::function<void(const T&, PgParams&)>;

  // Connects to options.url now (PgError naming the redacted URL if it
  // cannot); disconnects on destruction.
  PgBatchWriter(PgWriterOptions options, Binder binder) : session_(std::move(options)), binder_(std::move(binder)) {
    if (!binder_) throw std::invalid_argument("PgBatchWriter: empty binder");
  }
  // Writes through `connection`, which must outlive this writer.
  PgBatchWriter(PgConnection& connection, PgWriterOptions options, Binder binder)
      : session_(connection, std::move(options)), binder_(std::move(binder)) {
    if (!binder_) throw std::invalid_argument("PgBatchWriter: empty binder");
  }

  void write(const Chunk<T>& chunk) override {
    if (chunk.empty()) return;
    session_.begin(params_);
    size_t i = 0;
    try {
      for (; i < chunk.size(); ++i) {
        params_.clear();
        binder_(chunk[i], params_);
        session_.send(params_);
      }
    } catch (...) {
      session_.fail(i, chunk.size());
    }
    session_.finish(chunk.size());
  }

 private:
  internal::PgBatchSession session_;
  Binder binder_;
  PgParams params_;
};

// A binder for Record items: for each :name parameter the record's field
// of that name (RecordError when the record lacks it). Statements with
// positional $n parameters need a binder of their own.
std::function<void(const Record&, PgParams&)> record_binder();

}  // namespace cppbatch
