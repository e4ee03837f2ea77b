#include "cppbatch/infrastructure/pg_batch_writer.hpp"

#include <atomic>
#include <exception>

#include "infrastructure/pg_internal.hpp"

namespace cppbatch {

void PgParams::add(double value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  std::string_view text(buffer, static_cast<size_t>(end - buffer));
  if (text == "inf") text = "Infinity";
  else if (text == "-inf") text = "-Infinity";
  else if (text == "nan" || text == "-nan") text = "NaN";
  add(text);
}

void PgParams::add(const Value& value) {
  switch (value.index()) {
    case 0: add_null(); break;
    case 1: add(std::get<bool>(value)); break;
    case 2: add(std::get<int64_t>(value)); break;
    case 3: add(std::get<double>(value)); break;
    case 4: add(std::string_view(std::get<std::string>(value))); break;
    default: add(std::string_view(value_to_string(value))); break;
  }
}

const char* const* PgParams::values() {
  pointers_.resize(offsets_.size());
  for (size_t i = 0; i < offsets_.size(); ++i) {
    pointers_[i] = offsets_[i] < 0 ? nullptr : buffer_.data() + offsets_[i];
  }
  return pointers_.data();
}

std::function<void(const Record&, PgParams&)> record_binder() {
  return [](const Record& record, PgParams& params) {
    for (const std::string& name : params.names()) {
      if (name.empty()) throw std::invalid_argument("record_binder: the statement has positional parameters");
      params.add(record.get(name));
    }
  };
}

namespace internal {
namespace {

constexpr size_t kInFlight = 256;  // items queued before their results are read

std::atomic<int64_t> statement_counter{0};

std::string current_reason() {
  try {
    throw;
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

}  // namespace

PgBatchSession::PgBatchSession(PgWriterOptions options)
    : options_(std::move(options)), owned_(std::make_unique<PgConnection>(options_.url)), connection_(owned_.get()) {
  if (options_.sql.empty()) throw std::invalid_argument("writer '" + options_.name + "': sql is empty");
}

PgBatchSession::PgBatchSession(PgConnection& connection, PgWriterOptions options)
    : options_(std::move(options)), connection_(&connection) {
  if (options_.sql.empty()) throw std::invalid_argument("writer '" + options_.name + "': sql is empty");
}

PgBatchSession::~PgBatchSession() {
  PGconn* conn = pg(*connection_);
  if (conn != nullptr && PQpipelineStatus(conn) != PQ_PIPELINE_OFF) {
    PQpipelineSync(conn);
    reset_pipeline();
  }
  if (prepared_ && !owned_ && conn != nullptr && PQstatus(conn) == CONNECTION_OK && !connection_->in_transaction()) {
    PQclear(PQexec(conn, ("DEALLOCATE " + statement_name_).c_str()));
  }
}

void PgBatchSession::begin(PgParams& params) {
  const std::string who = "writer '" + options_.name + "'";
  PGconn* conn = pg(*connection_);
  if (!prepared_) {
    statement_sql_ = rewrite_named_parameters(options_.sql, names_);
    statement_name_ = "cppbatch_writer_" + std::to_string(statement_counter.fetch_add(1));
    check(*connection_, PQprepare(conn, statement_name_.c_str(), statement_sql_.c_str(), 0, nullptr),
          PGRES_COMMAND_OK, who + ": preparing " + options_.sql);
    auto described = check(*connection_, PQdescribePrepared(conn, statement_name_.c_str()), PGRES_COMMAND_OK,
                           who + ": describing " + options_.sql);
    parameter_count_ = PQnparams(described.get());
    // :name parameters follow any $n ones: give the positional ones empty names.
    if (!names_.empty() && static_cast<int>(names_.size()) < parameter_count_) {
      names_.insert(names_.begin(), static_cast<size_t>(parameter_count_) - names_.size(), std::string());
    }
    prepared_ = true;
  }
  params.set_names(&names_);
  owns_transaction_ = !connection_->in_transaction();
  if (PQenterPipelineMode(conn) != 1) {
    throw PgError("'" + connection_->redacted_url() + "': " + who + ": cannot enter pipeline mode: " +
                      PQerrorMessage(conn),
                  "");
  }
  sent_ = drained_ = 0;
  has_error_ = false;
  error_message_.clear();
  error_state_.clear();
  if (owns_transaction_) {
    if (PQsendQueryParams(conn, "BEGIN", 0, nullptr, nullptr, nullptr, nullptr, 0) != 1) {
      std::string reason = PQerrorMessage(conn);
      reset_pipeline();
      throw PgError("'" + connection_->redacted_url() + "': " + who + ": BEGIN failed: " + reason, "");
    }
  }
}

void PgBatchSession::send(PgParams& params) {
  if (static_cast<int>(params.size()) != parameter_count_) {
    throw std::invalid_argument("the binder added " + std::to_string(params.size()) + " values for " +
                                std::to_string(parameter_count_) + " parameters");
  }
  PGconn* conn = pg(*connection_);
  if (PQsendQueryPrepared(conn, statement_name_.c_str(), parameter_count_, params.values(), nullptr, nullptr, 0) != 1) {
    throw std::runtime_error(std::string("queueing the statement failed: ") + PQerrorMessage(conn));
  }
  ++sent_;
  if (sent_ - drained_ >= kInFlight) {
    if (PQsendFlushRequest(conn) != 1 || PQflush(conn) != 0) {
      throw std::runtime_error(std::string("flushing the pipeline failed: ") + PQerrorMessage(conn));
    }
    drain(sent_ - drained_);
  }
}

// Reads the results of `count` queued items (and of the BEGIN before the
// first one).
void PgBatchSession::drain(size_t count) {
  PGconn* conn = pg(*connection_);
  auto read_command = [&](bool is_item) {
    PGresult* result = PQgetResult(conn);
    if (result == nullptr) throw std::runtime_error(std::string("pipeline result missing: ") + PQerrorMessage(conn));
    ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_FATAL_ERROR && !has_error_) {
      has_error_ = true;
      first_error_ = is_item ? drained_ : SIZE_MAX;
      error_message_ = PQresultErrorMessage(result);
      const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
      error_state_ = state != nullptr ? state : "";
    }
    PQclear(result);
    discard_results(conn);
  };
  if (drained_ == 0 && owns_transaction_ && count > 0) read_command(false);  // BEGIN
  for (size_t i = 0; i < count; ++i) {
    read_command(true);
    ++drained_;
  }
}

void PgBatchSession::reset_pipeline() {
  PGconn* conn = pg(*connection_);
  // Read everything up to the sync, then leave pipeline mode.
  for (int guard = 0; guard < 1000000; ++guard) {
    PGresult* result = PQgetResult(conn);
    if (result == nullptr) {
      if (PQpipelineStatus(conn) == PQ_PIPELINE_OFF) break;
      if (PQexitPipelineMode(conn) == 1) break;
      continue;
    }
    ExecStatusType status = PQresultStatus(result);
    PQclear(result);
    if (status == PGRES_PIPELINE_SYNC) {
      PQexitPipelineMode(conn);
      break;
    }
  }
}

void PgBatchSession::finish(size_t chunk_size) {
  const std::string who = "writer '" + options_.name + "'";
  PGconn* conn = pg(*connection_);
  bool queued = true;
  if (owns_transaction_) queued = PQsendQueryParams(conn, "COMMIT", 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
  if (!queued || PQpipelineSync(conn) != 1) {
    std::string reason = PQerrorMessage(conn);
    reset_pipeline();
    if (owns_transaction_ && connection_->in_transaction()) PQclear(PQexec(conn, "ROLLBACK"));
    throw PgWriteError("'" + connection_->redacted_url() + "': " + who + ": ending the chunk failed: " + reason, "",
                       chunk_size);
  }
  bool commit_failed = false;
  std::string commit_message, commit_state;
  try {
    if (owns_transaction_ && sent_ == 0) drain(0);
    drain(sent_ - drained_);
    if (owns_transaction_) {
      const bool before = has_error_;
      PGresult* result = PQgetResult(conn);
      if (result != nullptr) {
        if (PQresultStatus(result) == PGRES_FATAL_ERROR && !before) {
          commit_failed = true;
          commit_message = PQresultErrorMessage(result);
          const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
          commit_state = state != nullptr ? state : "";
        }
        PQclear(result);
        discard_results(conn);
      }
    }
  } catch (...) {
    reset_pipeline();
    if (owns_transaction_) PQclear(PQexec(conn, "ROLLBACK"));
    throw PgWriteError("'" + connection_->redacted_url() + "': " + who + ": " + current_reason(), "", chunk_size);
  }
  reset_pipeline();
  if (has_error_ || commit_failed) {
    if (owns_transaction_ && connection_->in_transaction()) PQclear(PQexec(conn, "ROLLBACK"));
    std::string message = has_error_ ? error_message_ : commit_message;
    while (!message.empty() && message.back() == '\n') message.pop_back();
    size_t index = has_error_ && first_error_ != SIZE_MAX ? first_error_ : chunk_size;
    std::string what = index < chunk_size ? "item at index " + std::to_string(index) + " of " +
                                                std::to_string(chunk_size) + " failed: "
                                          : std::string(commit_failed ? "COMMIT failed: " : "BEGIN failed: ");
    throw PgWriteError("'" + connection_->redacted_url() + "': " + who + ": " + what + message,
                       has_error_ ? error_state_ : commit_state, index);
  }
}

void PgBatchSession::fail(size_t index, size_t chunk_size) {
  std::string reason = current_reason();
  PGconn* conn = pg(*connection_);
  if (PQpipelineStatus(conn) != PQ_PIPELINE_OFF) {
    PQpipelineSync(conn);
    reset_pipeline();
  }
  if (owns_transaction_ && connection_->in_transaction()) PQclear(PQexec(conn, "ROLLBACK"));
  throw PgWriteError("'" + connection_->redacted_url() + "': writer '" + options_.name + "': item at index " +
                         std::to_string(index) + " of " + std::to_string(chunk_size) + " failed: " + reason,
                     "", index);
}

}  // namespace internal
}  // namespace cppbatch
