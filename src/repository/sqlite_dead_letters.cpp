// SqliteJobRepository's dead-letter store: <prefix>DEAD_LETTER on the
// repository's connection, writes joining the transaction manager's
// transaction.
#include "repository/dead_letter_rules.hpp"
#include "repository/launch_rules.hpp"
#include "repository/sqlite_impl.hpp"

namespace cppbatch::internal {

namespace {

template <class Enum>
Enum column_enum(SQLite::Statement& statement, int index, std::optional<Enum> (*parse)(std::string_view),
                 const char* what) {
  std::string text = statement.getColumn(index).getString();
  auto value = parse(text);
  if (!value) throw StorageFailure(fmt::format("'{}' is not a dead-letter {}", text, what));
  return *value;
}

DeadLetter read_dead_letter(SQLite::Statement& s) {
  namespace c = dead_letter_column;
  DeadLetter letter;
  letter.id = s.getColumn(c::ID).getInt64();
  letter.version = s.getColumn(c::VERSION).getInt64();
  letter.job_name = s.getColumn(c::JOB_NAME).getString();
  letter.job_instance_id = s.getColumn(c::JOB_INSTANCE_ID).getInt64();
  letter.job_execution_id = s.getColumn(c::JOB_EXECUTION_ID).getInt64();
  letter.step_name = s.getColumn(c::STEP_NAME).getString();
  letter.step_execution_id = s.getColumn(c::STEP_EXECUTION_ID).getInt64();
  letter.phase = column_enum<SkipPhase>(s, c::PHASE, parse_skip_phase, "phase");
  letter.error_type = s.getColumn(c::ERROR_TYPE).getString();
  letter.error_message = s.getColumn(c::ERROR_MESSAGE).getString();
  letter.source = s.getColumn(c::SOURCE).getString();
  letter.payload = s.getColumn(c::PAYLOAD).getString();
  letter.status = column_enum<DeadLetterStatus>(s, c::STATUS, parse_dead_letter_status, "status");
  letter.attempts = s.getColumn(c::ATTEMPTS).getInt64();
  letter.last_error = s.getColumn(c::LAST_ERROR).getString();
  letter.create_time = column_time(s, c::CREATE_TIME).value();
  letter.last_updated = column_time(s, c::LAST_UPDATED).value();
  return letter;
}

// The SELECT for a query (filters bound from ?1 in the order they appear).
std::string find_sql(const DeadLetterQuery& query, std::string_view prefix) {
  std::string sql = fmt::format("SELECT {} FROM {}DEAD_LETTER WHERE DEAD_LETTER_ID > ?", kDeadLetterColumns, prefix);
  if (!query.job_name.empty()) sql += " AND JOB_NAME = ?";
  if (!query.step_name.empty()) sql += " AND STEP_NAME = ?";
  if (!query.error_type.empty()) sql += " AND ERROR_TYPE = ?";
  if (!query.statuses.empty()) {
    sql += " AND STATUS IN (";
    for (size_t i = 0; i < query.statuses.size(); ++i) sql += i == 0 ? "?" : ", ?";
    sql += ")";
  }
  return sql + " ORDER BY DEAD_LETTER_ID LIMIT ?";
}

}  // namespace

Result<int64_t> SqliteDeadLetters::add(const DeadLetter& given) {
  return guarded(impl_, "adding a dead letter", [&]() -> Result<int64_t> {
    std::lock_guard lock(impl_.mutex);
    if (!impl_.in_transaction()) return outside_transaction("add");
    const DeadLetter letter = new_dead_letter(given, 0, impl_.now());
    Use use(impl_, Sql::INSERT_DEAD_LETTER);
    SQLite::Statement& s = *use;
    namespace c = dead_letter_column;
    s.bind(c::ID + 1);  // NULL: the next AUTOINCREMENT id
    s.bind(c::VERSION + 1, letter.version);
    s.bind(c::JOB_NAME + 1, letter.job_name);
    s.bind(c::JOB_INSTANCE_ID + 1, letter.job_instance_id);
    s.bind(c::JOB_EXECUTION_ID + 1, letter.job_execution_id);
    s.bind(c::STEP_NAME + 1, letter.step_name);
    s.bind(c::STEP_EXECUTION_ID + 1, letter.step_execution_id);
    s.bind(c::PHASE + 1, std::string(to_string(letter.phase)));
    s.bind(c::ERROR_TYPE + 1, letter.error_type);
    s.bind(c::ERROR_MESSAGE + 1, letter.error_message);
    s.bind(c::SOURCE + 1, letter.source);
    s.bind(c::PAYLOAD + 1, letter.payload);
    s.bind(c::STATUS + 1, std::string(to_string(letter.status)));
    s.bind(c::ATTEMPTS + 1, letter.attempts);
    s.bind(c::LAST_ERROR + 1, letter.last_error);
    bind_time(s, c::CREATE_TIME + 1, letter.create_time);
    bind_time(s, c::LAST_UPDATED + 1, letter.last_updated);
    s.exec();
    return static_cast<int64_t>(impl_.db.getLastInsertRowid());
  });
}

Result<DeadLetter> SqliteDeadLetters::get(int64_t id) {
  return guarded(impl_, "reading a dead letter", [&]() -> Result<DeadLetter> {
    std::lock_guard lock(impl_.mutex);
    Use use(impl_, Sql::GET_DEAD_LETTER);
    use->bind(1, id);
    if (!use->executeStep()) return dead_letter_not_found(id);
    return read_dead_letter(*use);
  });
}

Result<std::vector<DeadLetter>> SqliteDeadLetters::find(const DeadLetterQuery& query) {
  return guarded(impl_, "listing dead letters", [&]() -> Result<std::vector<DeadLetter>> {
    std::lock_guard lock(impl_.mutex);
    // Built per query (filters vary); listings are not on a per-item path.
    SQLite::Statement s(impl_.db, find_sql(query, impl_.options.table_prefix));
    int index = 1;
    s.bind(index++, query.after_id);
    if (!query.job_name.empty()) s.bind(index++, query.job_name);
    if (!query.step_name.empty()) s.bind(index++, query.step_name);
    if (!query.error_type.empty()) s.bind(index++, query.error_type);
    for (DeadLetterStatus status : query.statuses) s.bind(index++, std::string(to_string(status)));
    s.bind(index, query.limit);
    std::vector<DeadLetter> out;
    while (s.executeStep()) out.push_back(read_dead_letter(s));
    return out;
  });
}

Result<void> SqliteDeadLetters::update(DeadLetter& letter) {
  return guarded(impl_, "updating a dead letter", [&]() -> Result<void> {
    std::lock_guard lock(impl_.mutex);
    if (!impl_.in_transaction()) return outside_transaction("update");
    DeadLetter next = letter;
    prepare_update(next, impl_.now());
    Use use(impl_, Sql::UPDATE_DEAD_LETTER);
    use->bind(1, std::string(to_string(next.status)));
    use->bind(2, next.attempts);
    use->bind(3, next.last_error);
    bind_time(*use, 4, next.last_updated);
    use->bind(5, next.id);
    use->bind(6, next.version);
    if (use->exec() == 0) {
      Use version(impl_, Sql::DEAD_LETTER_VERSION);
      version->bind(1, letter.id);
      std::optional<int64_t> stored;
      if (version->executeStep()) stored = version->getColumn(0).getInt64();
      if (!stored) return dead_letter_not_found(letter.id);
      return version_conflict("DeadLetter", letter.id, letter.version, stored);
    }
    next.version += 1;
    letter = std::move(next);
    return {};
  });
}

}  // namespace cppbatch::internal
