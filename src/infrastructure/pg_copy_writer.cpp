#include "cppbatch/infrastructure/pg_copy_writer.hpp"

#include <cstdlib>
#include <exception>

#include "infrastructure/pg_internal.hpp"

namespace cppbatch {

void PgCopyRow::add(double value) {
  separator();
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  std::string_view text(buffer, static_cast<size_t>(end - buffer));
  if (text == "inf") text = "Infinity";
  else if (text == "-inf") text = "-Infinity";
  else if (text == "nan" || text == "-nan") text = "NaN";
  out_.append(text);
}

void PgCopyRow::add(const Value& value) {
  switch (value.index()) {
    case 0: add_null(); break;
    case 1: add(std::get<bool>(value)); break;
    case 2: add(std::get<int64_t>(value)); break;
    case 3: add(std::get<double>(value)); break;
    case 4: add(std::string_view(std::get<std::string>(value))); break;
    default: add(std::string_view(value_to_string(value))); break;
  }
}

std::function<void(const Record&, PgCopyRow&)> record_copy_formatter(std::vector<std::string> columns) {
  return [columns = std::move(columns)](const Record& record, PgCopyRow& row) {
    for (const std::string& column : columns) {
      auto index = record.index_of(column);
      if (index) {
        row.add(record[*index]);
      } else {
        row.add_null();
      }
    }
  };
}

namespace internal {
namespace {

std::string copy_statement(const PgCopyOptions& options) {
  if (options.table.empty()) throw std::invalid_argument("writer '" + options.name + "': table is empty");
  if (options.columns.empty()) throw std::invalid_argument("writer '" + options.name + "': columns is empty");
  std::string sql = "COPY " + options.table + " (";
  for (size_t i = 0; i < options.columns.size(); ++i) {
    if (i != 0) sql += ", ";
    sql += quote_identifier(options.columns[i]);
  }
  return sql + ") FROM STDIN";
}

std::string current_reason() {
  try {
    throw;
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

// The 0-based line of the chunk a COPY error is about ("COPY t, line 3...").
size_t failing_line(const PGresult* result, size_t fallback) {
  const char* context = result != nullptr ? PQresultErrorField(result, PG_DIAG_CONTEXT) : nullptr;
  if (context == nullptr) return fallback;
  std::string_view text(context);
  size_t at = text.find(", line ");
  if (at == std::string_view::npos) return fallback;
  long line = std::strtol(context + at + 7, nullptr, 10);
  return line > 0 ? static_cast<size_t>(line - 1) : fallback;
}

}  // namespace

PgCopySession::PgCopySession(PgCopyOptions options)
    : options_(std::move(options)),
      owned_(std::make_unique<PgConnection>(options_.url)),
      connection_(owned_.get()),
      copy_sql_(copy_statement(options_)) {}

PgCopySession::PgCopySession(PgConnection& connection, PgCopyOptions options)
    : options_(std::move(options)), connection_(&connection), copy_sql_(copy_statement(options_)) {}

PgCopySession::~PgCopySession() {
  if (copying_) PQputCopyEnd(pg(*connection_), "writer destroyed");
}

void PgCopySession::begin() {
  const std::string who = "writer '" + options_.name + "'";
  owns_transaction_ = !connection_->in_transaction();
  if (owns_transaction_) check(*connection_, PQexec(pg(*connection_), "BEGIN"), PGRES_COMMAND_OK, who + ": BEGIN");
  PGresult* result = PQexec(pg(*connection_), copy_sql_.c_str());
  if (PQresultStatus(result) != PGRES_COPY_IN) {
    PgResultPtr owned(result);
    if (owns_transaction_) PQclear(PQexec(pg(*connection_), "ROLLBACK"));
    throw_pg_error(*connection_, result, who + ": " + copy_sql_);
  }
  PQclear(result);
  copying_ = true;
}

void PgCopySession::send(std::string& buffer) {
  if (buffer.empty()) return;
  if (PQputCopyData(pg(*connection_), buffer.data(), static_cast<int>(buffer.size())) != 1) {
    throw std::runtime_error(std::string("sending COPY data failed: ") + PQerrorMessage(pg(*connection_)));
  }
  buffer.clear();
}

void PgCopySession::finish(size_t chunk_size) {
  const std::string who = "writer '" + options_.name + "'";
  PGconn* conn = pg(*connection_);
  copying_ = false;
  if (PQputCopyEnd(conn, nullptr) != 1) {
    std::string reason = PQerrorMessage(conn);
    if (owns_transaction_) PQclear(PQexec(conn, "ROLLBACK"));
    throw PgWriteError("'" + connection_->redacted_url() + "': " + who + ": ending COPY failed: " + reason, "",
                       chunk_size);
  }
  PgResultPtr result(PQgetResult(conn));
  discard_results(conn);
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    const char* state = PQresultErrorField(result.get(), PG_DIAG_SQLSTATE);
    size_t index = failing_line(result.get(), chunk_size);
    std::string message = PQresultErrorMessage(result.get());
    while (!message.empty() && message.back() == '\n') message.pop_back();
    if (owns_transaction_) PQclear(PQexec(conn, "ROLLBACK"));
    throw PgWriteError("'" + connection_->redacted_url() + "': " + who + ": item at index " + std::to_string(index) +
                           " of " + std::to_string(chunk_size) + " failed: " + message,
                       state != nullptr ? state : "", index);
  }
  if (owns_transaction_) {
    PGresult* commit = PQexec(conn, "COMMIT");
    if (PQresultStatus(commit) != PGRES_COMMAND_OK) {
      PgResultPtr owned(commit);
      const char* state = PQresultErrorField(commit, PG_DIAG_SQLSTATE);
      throw PgWriteError("'" + connection_->redacted_url() + "': " + who + ": COMMIT failed: " +
                             PQresultErrorMessage(commit),
                         state != nullptr ? state : "", chunk_size);
    }
    PQclear(commit);
  }
}

void PgCopySession::fail(size_t index, size_t chunk_size) {
  std::string reason = current_reason();
  PGconn* conn = pg(*connection_);
  if (copying_) {
    copying_ = false;
    PQputCopyEnd(conn, "aborted by the writer");
    discard_results(conn);
  }
  if (owns_transaction_) PQclear(PQexec(conn, "ROLLBACK"));
  throw PgWriteError("'" + connection_->redacted_url() + "': writer '" + options_.name + "': item at index " +
                         std::to_string(index) + " of " + std::to_string(chunk_size) + " failed: " + reason,
                     "", index);
}

}  // namespace internal
}  // namespace cppbatch
