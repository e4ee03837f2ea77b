#include <charconv>
#include <stdexcept>

#include "cppbatch/infrastructure/pg_connection.hpp"
#include "cppbatch/infrastructure/pg_cursor_reader.hpp"
#include "infrastructure/pg_internal.hpp"
#include "infrastructure/pg_types.hpp"

namespace cppbatch {

struct PgCursor::Impl {
  std::unique_ptr<PgConnection> connection;
  internal::PgResultPtr result;  // the current fetch
  std::string fetch_sql;
  // The next FETCH was sent and its result not read yet: the server
  // produces the next rows while the current ones are mapped.
  bool prefetching = false;

  void send_fetch(const std::string& who) {
    if (PQsendQuery(internal::pg(*connection), fetch_sql.c_str()) == 0) {
      internal::throw_pg_error(*connection, nullptr, who + ": FETCH");
    }
    prefetching = true;
  }
};

PgCursor::PgCursor(PgReaderOptions options) : options_(std::move(options)), impl_(std::make_unique<Impl>()) {
  if (options_.url.empty()) throw std::invalid_argument("PgCursor '" + options_.name + "': url is empty");
  if (options_.sql.empty()) throw std::invalid_argument("PgCursor '" + options_.name + "': sql is empty");
  if (options_.fetch_size <= 0) throw std::invalid_argument("PgCursor '" + options_.name + "': fetch_size must be > 0");
  count_key_ = options_.name + ".read.count";
  last_key_key_ = options_.name + ".last.key";
}

PgCursor::~PgCursor() {
  try {
    close();
  } catch (...) {
  }
}

void PgCursor::open(ExecutionContext& context) {
  close();
  const std::string who = "reader '" + options_.name + "'";
  std::vector<SqlBinding> bindings = resolve_bindings(options_.bindings, options_.parameter_sources, context);
  size_t positional = 0;
  for (const SqlBinding& b : bindings) positional += b.name.empty() ? 1 : 0;
  std::vector<std::string> names;
  std::string sql = internal::rewrite_named_parameters(options_.sql, names, static_cast<int>(positional) + 1);
  std::vector<SqlValue> values = internal::order_bindings(bindings, names, options_.sql);

  std::optional<SqlValue> saved_key;
  int64_t saved_count = 0;
  if (options_.save_state) {
    saved_count = context.get_long(count_key_).value_or(0);
    if (!options_.restart_key_column.empty()) {
      auto it = context.values().find(last_key_key_);
      if (it != context.values().end()) saved_key = internal::to_sql_value(it->second);
    }
  }
  if (saved_key) {
    const std::string key = "cppbatch_q." + internal::quote_identifier(options_.restart_key_column);
    sql = "SELECT * FROM (" + sql + ") AS cppbatch_q WHERE " + key + " > $" + std::to_string(values.size() + 1) +
          " ORDER BY " + key;
    values.push_back(*saved_key);
  }

  impl_->connection = std::make_unique<PgConnection>(options_.url);
  impl_->fetch_sql = "FETCH " + std::to_string(options_.fetch_size) + " FROM cppbatch_cursor";
  impl_->prefetching = false;
  PgConnection& db = *impl_->connection;
  db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  try {
    (void)internal::exec_params(db, "DECLARE cppbatch_cursor NO SCROLL CURSOR FOR " + sql, values);
  } catch (const PgError& e) {
    close();
    throw PgError(who + ": " + e.what() + " — " + options_.sql, e.sqlstate());
  }
  if (!saved_key && saved_count > 0 && options_.restart_key_column.empty()) {
    db.execute("MOVE FORWARD " + std::to_string(saved_count) + " IN cppbatch_cursor");
  }
  read_count_ = saved_count;
  last_key_.reset();
  last_fetch_ = false;
  fetch();
  key_column_ = -1;
  if (!options_.restart_key_column.empty()) {
    const int columns = PQnfields(impl_->result.get());
    for (int i = 0; i < columns; ++i) {
      if (options_.restart_key_column == PQfname(impl_->result.get(), i)) key_column_ = i;
    }
    if (key_column_ < 0) {
      close();
      throw std::runtime_error(who + ": restart key column '" + options_.restart_key_column +
                               "' is not in the result of: " + options_.sql);
    }
  }
}

// Takes the FETCH sent last (sending one first if none is under way) and,
// unless it was the last, sends the next one at once.
void PgCursor::fetch() {
  PgConnection& db = *impl_->connection;
  const std::string who = "reader '" + options_.name + "'";
  if (!impl_->prefetching) impl_->send_fetch(who);
  impl_->prefetching = false;
  row_.reset();
  impl_->result.reset();
  internal::PgResultPtr result(PQgetResult(internal::pg(db)));
  internal::discard_results(internal::pg(db));  // the end of the FETCH's results
  impl_->result = internal::check(db, result.release(), PGRES_TUPLES_OK, who + ": FETCH");
  rows_in_fetch_ = PQntuples(impl_->result.get());
  last_fetch_ = rows_in_fetch_ < options_.fetch_size;
  position_ = 0;
  row_.emplace(impl_->result.get(), 0);
  if (!last_fetch_) impl_->send_fetch(who);
}

const PgRow* PgCursor::next() {
  if (!impl_->connection) throw std::logic_error("reader '" + options_.name + "': next() called before open()");
  if (position_ >= rows_in_fetch_) {
    if (last_fetch_) return nullptr;
    fetch();
    if (rows_in_fetch_ == 0) return nullptr;
  }
  row_->move_to(position_++);
  if (key_column_ >= 0) remember_key();
  ++read_count_;
  return &*row_;
}

void PgCursor::remember_key() {
  if (row_->is_null(key_column_)) {
    throw std::runtime_error("reader '" + options_.name + "': restart key column '" + options_.restart_key_column +
                             "' is NULL at row " + std::to_string(read_count_ + 1) +
                             "; a restart key must be unique and not NULL");
  }
  last_key_ = internal::key_value(*row_, key_column_);
}

void PgCursor::update(ExecutionContext& context) {
  if (!options_.save_state) return;
  context.put_long(count_key_, read_count_);
  if (last_key_) internal::put_key(context, last_key_key_, *last_key_);
}

void PgCursor::close() {
  row_.reset();
  impl_->result.reset();
  if (impl_->connection) {
    auto connection = std::move(impl_->connection);
    // PQexec first discards the result of a FETCH still under way.
    PQclear(PQexec(internal::pg(*connection), "COMMIT"));
  }
  impl_->prefetching = false;
  rows_in_fetch_ = position_ = 0;
}

Record PgRecordMapper::operator()(const PgRow& row) {
  const int columns = row.column_count();
  if (!layout_ || layout_->size() != static_cast<size_t>(columns) ||
      (columns > 0 && (*layout_)[0] != row.column_name(0))) {
    std::vector<std::string> names;
    for (int i = 0; i < columns; ++i) names.emplace_back(row.column_name(i));
    layout_ = make_record_layout(std::move(names));
  }
  std::vector<Value> values(static_cast<size_t>(columns));
  for (int i = 0; i < columns; ++i) values[static_cast<size_t>(i)] = internal::pg_value(row, i);
  return Record(layout_, std::move(values));
}

}  // namespace cppbatch
