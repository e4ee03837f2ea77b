#include "repository/sqlite_statements.hpp"

#include <initializer_list>

namespace cppbatch::internal {
namespace {

constexpr std::string_view kRunning = "('STARTING', 'STARTED', 'STOPPING')";

constexpr std::string_view kExecutionColumns =
    "E.JOB_EXECUTION_ID, E.VERSION, E.JOB_INSTANCE_ID, E.CREATE_TIME, E.START_TIME, E.END_TIME, E.STATUS, "
    "E.EXIT_CODE, E.EXIT_MESSAGE, E.LAST_UPDATED, I.VERSION, I.JOB_NAME, I.JOB_KEY";

constexpr std::string_view kStepColumns =
    "S.STEP_EXECUTION_ID, S.VERSION, S.STEP_NAME, S.JOB_EXECUTION_ID, S.CREATE_TIME, S.START_TIME, S.END_TIME, "
    "S.STATUS, S.COMMIT_COUNT, S.READ_COUNT, S.FILTER_COUNT, S.WRITE_COUNT, S.READ_SKIP_COUNT, S.WRITE_SKIP_COUNT, "
    "S.PROCESS_SKIP_COUNT, S.ROLLBACK_COUNT, S.EXIT_CODE, S.EXIT_MESSAGE, S.LAST_UPDATED";

// UPDATE_STEP and INSERT_STEP bind the step's mutable fields as ?1..?14 in
// this order (see bind_step_fields in sqlite_rows.cpp).
constexpr std::string_view kStepFieldNames =
    "START_TIME, END_TIME, STATUS, COMMIT_COUNT, READ_COUNT, FILTER_COUNT, WRITE_COUNT, EXIT_CODE, EXIT_MESSAGE, "
    "READ_SKIP_COUNT, PROCESS_SKIP_COUNT, WRITE_SKIP_COUNT, ROLLBACK_COUNT, LAST_UPDATED";

}  // namespace

const std::string_view kDeadLetterColumns =
    "DEAD_LETTER_ID, VERSION, JOB_NAME, JOB_INSTANCE_ID, JOB_EXECUTION_ID, STEP_NAME, STEP_EXECUTION_ID, PHASE, "
    "ERROR_TYPE, ERROR_MESSAGE, SOURCE, PAYLOAD, STATUS, ATTEMPTS, LAST_ERROR, CREATE_TIME, LAST_UPDATED";

namespace {

std::string concat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view part : parts) out += part;
  return out;
}

std::string template_of(Sql sql) {
  switch (sql) {
    case Sql::BEGIN_IMMEDIATE: return "BEGIN IMMEDIATE";
    case Sql::BEGIN_DEFERRED: return "BEGIN";
    case Sql::COMMIT: return "COMMIT";
    case Sql::ROLLBACK: return "ROLLBACK";
    case Sql::NEXT_JOB_ID: return "INSERT INTO %PREFIX%JOB_SEQ VALUES (NULL)";
    case Sql::TRIM_JOB_SEQ: return "DELETE FROM %PREFIX%JOB_SEQ WHERE ID < ?1";
    case Sql::NEXT_JOB_EXECUTION_ID: return "INSERT INTO %PREFIX%JOB_EXECUTION_SEQ VALUES (NULL)";
    case Sql::TRIM_JOB_EXECUTION_SEQ: return "DELETE FROM %PREFIX%JOB_EXECUTION_SEQ WHERE ID < ?1";
    case Sql::NEXT_STEP_EXECUTION_ID: return "INSERT INTO %PREFIX%STEP_EXECUTION_SEQ VALUES (NULL)";
    case Sql::TRIM_STEP_EXECUTION_SEQ: return "DELETE FROM %PREFIX%STEP_EXECUTION_SEQ WHERE ID < ?1";

    case Sql::FIND_INSTANCE:
      return "SELECT JOB_INSTANCE_ID, VERSION, JOB_NAME, JOB_KEY FROM %PREFIX%JOB_INSTANCE "
             "WHERE JOB_NAME = ?1 AND JOB_KEY = ?2";
    case Sql::GET_INSTANCE:
      return "SELECT JOB_INSTANCE_ID, VERSION, JOB_NAME, JOB_KEY FROM %PREFIX%JOB_INSTANCE WHERE JOB_INSTANCE_ID = ?1";
    case Sql::INSERT_INSTANCE:
      return "INSERT INTO %PREFIX%JOB_INSTANCE (JOB_INSTANCE_ID, JOB_NAME, JOB_KEY, VERSION) VALUES (?1, ?2, ?3, 0)";
    case Sql::JOB_NAMES: return "SELECT DISTINCT JOB_NAME FROM %PREFIX%JOB_INSTANCE ORDER BY JOB_NAME";
    case Sql::INSTANCES_PAGE:
      return "SELECT JOB_INSTANCE_ID, VERSION, JOB_NAME, JOB_KEY FROM %PREFIX%JOB_INSTANCE WHERE JOB_NAME = ?1 "
             "ORDER BY JOB_INSTANCE_ID DESC LIMIT ?2 OFFSET ?3";

    case Sql::RUNNING_WITH_LEASES:
      return concat({"SELECT E.JOB_EXECUTION_ID, E.LAST_UPDATED, E.CREATE_TIME, L.HOST, L.PID, L.LAST_BEAT "
                     "FROM %PREFIX%JOB_EXECUTION E LEFT JOIN %PREFIX%JOB_EXECUTION_LEASE L "
                     "ON L.JOB_EXECUTION_ID = E.JOB_EXECUTION_ID "
                     "WHERE E.JOB_INSTANCE_ID = ?1 AND E.STATUS IN ",
                     kRunning, " ORDER BY E.JOB_EXECUTION_ID DESC"});
    case Sql::NEWEST_BLOCKING:
      return "SELECT STATUS FROM %PREFIX%JOB_EXECUTION WHERE JOB_INSTANCE_ID = ?1 "
             "AND STATUS IN ('UNKNOWN', 'COMPLETED', 'ABANDONED') ORDER BY JOB_EXECUTION_ID DESC LIMIT 1";
    case Sql::NEWEST_UNKNOWN:
      return "SELECT STATUS FROM %PREFIX%JOB_EXECUTION WHERE JOB_INSTANCE_ID = ?1 AND STATUS = 'UNKNOWN' "
             "ORDER BY JOB_EXECUTION_ID DESC LIMIT 1";
    case Sql::LAST_JOB_CONTEXT:
      return "SELECT SHORT_CONTEXT, SERIALIZED_CONTEXT FROM %PREFIX%JOB_EXECUTION_CONTEXT WHERE JOB_EXECUTION_ID = "
             "(SELECT MAX(JOB_EXECUTION_ID) FROM %PREFIX%JOB_EXECUTION WHERE JOB_INSTANCE_ID = ?1)";
    case Sql::INSERT_EXECUTION:
      return "INSERT INTO %PREFIX%JOB_EXECUTION (JOB_EXECUTION_ID, JOB_INSTANCE_ID, START_TIME, END_TIME, STATUS, "
             "EXIT_CODE, EXIT_MESSAGE, VERSION, CREATE_TIME, LAST_UPDATED) "
             "VALUES (?1, ?2, NULL, NULL, ?3, ?4, ?5, 0, ?6, ?6)";
    case Sql::INSERT_PARAMETER:
      return "INSERT INTO %PREFIX%JOB_EXECUTION_PARAMS (JOB_EXECUTION_ID, PARAMETER_NAME, PARAMETER_TYPE, "
             "PARAMETER_VALUE, IDENTIFYING) VALUES (?1, ?2, ?3, ?4, ?5)";
    case Sql::MARK_EXECUTION_FAILED:
      return "UPDATE %PREFIX%JOB_EXECUTION SET STATUS = 'FAILED', EXIT_CODE = 'FAILED', EXIT_MESSAGE = ?1, "
             "END_TIME = ?2, LAST_UPDATED = ?2, VERSION = VERSION + 1 WHERE JOB_EXECUTION_ID = ?3";
    case Sql::MARK_STEPS_FAILED:
      return concat({"UPDATE %PREFIX%STEP_EXECUTION SET STATUS = 'FAILED', EXIT_CODE = 'FAILED', EXIT_MESSAGE = ?1, "
                     "END_TIME = ?2, LAST_UPDATED = ?2, VERSION = VERSION + 1 "
                     "WHERE JOB_EXECUTION_ID = ?3 AND STATUS IN ",
                     kRunning});

    case Sql::STATUS_VERSION:
      return "SELECT STATUS, VERSION FROM %PREFIX%JOB_EXECUTION WHERE JOB_EXECUTION_ID = ?1";
    case Sql::UPDATE_EXECUTION:
      return "UPDATE %PREFIX%JOB_EXECUTION SET START_TIME = ?1, END_TIME = ?2, STATUS = ?3, EXIT_CODE = ?4, "
             "EXIT_MESSAGE = ?5, VERSION = VERSION + 1, CREATE_TIME = COALESCE(?6, CREATE_TIME), LAST_UPDATED = ?7 "
             "WHERE JOB_EXECUTION_ID = ?8 AND VERSION = ?9";
    case Sql::INSERT_JOB_CONTEXT:
      return "INSERT INTO %PREFIX%JOB_EXECUTION_CONTEXT (SHORT_CONTEXT, SERIALIZED_CONTEXT, JOB_EXECUTION_ID) "
             "VALUES (?1, ?2, ?3)";
    case Sql::UPDATE_JOB_CONTEXT:
      return "UPDATE %PREFIX%JOB_EXECUTION_CONTEXT SET SHORT_CONTEXT = ?1, SERIALIZED_CONTEXT = ?2 "
             "WHERE JOB_EXECUTION_ID = ?3";

    case Sql::INSERT_STEP:
      return concat({"INSERT INTO %PREFIX%STEP_EXECUTION (", kStepFieldNames,
                     ", STEP_EXECUTION_ID, VERSION, STEP_NAME, JOB_EXECUTION_ID, CREATE_TIME) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 0, ?16, ?17, ?18)"});
    case Sql::UPDATE_STEP:
      return "UPDATE %PREFIX%STEP_EXECUTION SET START_TIME = ?1, END_TIME = ?2, STATUS = ?3, COMMIT_COUNT = ?4, "
             "READ_COUNT = ?5, FILTER_COUNT = ?6, WRITE_COUNT = ?7, EXIT_CODE = ?8, EXIT_MESSAGE = ?9, "
             "READ_SKIP_COUNT = ?10, PROCESS_SKIP_COUNT = ?11, WRITE_SKIP_COUNT = ?12, ROLLBACK_COUNT = ?13, "
             "LAST_UPDATED = ?14, VERSION = VERSION + 1 WHERE STEP_EXECUTION_ID = ?15 AND VERSION = ?16";
    case Sql::STEP_VERSION: return "SELECT VERSION FROM %PREFIX%STEP_EXECUTION WHERE STEP_EXECUTION_ID = ?1";
    case Sql::JOB_STATUS_OF_STEP:
      return "SELECT E.STATUS FROM %PREFIX%STEP_EXECUTION S JOIN %PREFIX%JOB_EXECUTION E "
             "ON E.JOB_EXECUTION_ID = S.JOB_EXECUTION_ID WHERE S.STEP_EXECUTION_ID = ?1";
    case Sql::INSERT_STEP_CONTEXT:
      return "INSERT INTO %PREFIX%STEP_EXECUTION_CONTEXT (SHORT_CONTEXT, SERIALIZED_CONTEXT, STEP_EXECUTION_ID) "
             "VALUES (?1, ?2, ?3)";
    case Sql::UPDATE_STEP_CONTEXT:
      return "UPDATE %PREFIX%STEP_EXECUTION_CONTEXT SET SHORT_CONTEXT = ?1, SERIALIZED_CONTEXT = ?2 "
             "WHERE STEP_EXECUTION_ID = ?3";
    case Sql::LAST_STEP:
      return concat({"SELECT ", kStepColumns,
                     ", C.SHORT_CONTEXT, C.SERIALIZED_CONTEXT FROM %PREFIX%JOB_EXECUTION E "
                     "JOIN %PREFIX%STEP_EXECUTION S ON S.JOB_EXECUTION_ID = E.JOB_EXECUTION_ID "
                     "LEFT JOIN %PREFIX%STEP_EXECUTION_CONTEXT C ON C.STEP_EXECUTION_ID = S.STEP_EXECUTION_ID "
                     "WHERE E.JOB_INSTANCE_ID = ?1 AND S.STEP_NAME = ?2 ORDER BY S.STEP_EXECUTION_ID DESC LIMIT 1"});
    case Sql::STEP_COUNT:
      return "SELECT COUNT(*) FROM %PREFIX%JOB_EXECUTION E JOIN %PREFIX%STEP_EXECUTION S "
             "ON S.JOB_EXECUTION_ID = E.JOB_EXECUTION_ID WHERE E.JOB_INSTANCE_ID = ?1 AND S.STEP_NAME = ?2";

    case Sql::PUT_LEASE:
      return "INSERT OR REPLACE INTO %PREFIX%JOB_EXECUTION_LEASE (JOB_EXECUTION_ID, HOST, PID, LAST_BEAT) "
             "VALUES (?1, ?2, ?3, ?4)";
    case Sql::BEAT_LEASE:
      return "UPDATE %PREFIX%JOB_EXECUTION_LEASE SET LAST_BEAT = ?1 "
             "WHERE JOB_EXECUTION_ID = ?2 AND HOST = ?3 AND PID = ?4";
    case Sql::RELEASE_LEASE:
      return "DELETE FROM %PREFIX%JOB_EXECUTION_LEASE WHERE JOB_EXECUTION_ID = ?1 AND HOST = ?2 AND PID = ?3";
    case Sql::DELETE_LEASE: return "DELETE FROM %PREFIX%JOB_EXECUTION_LEASE WHERE JOB_EXECUTION_ID = ?1";
    case Sql::GET_LEASE:
      return "SELECT HOST, PID, LAST_BEAT FROM %PREFIX%JOB_EXECUTION_LEASE WHERE JOB_EXECUTION_ID = ?1";

    case Sql::EXECUTIONS_CREATED_BEFORE:
      return "SELECT E.JOB_EXECUTION_ID, E.JOB_INSTANCE_ID FROM %PREFIX%JOB_EXECUTION E JOIN %PREFIX%JOB_INSTANCE I "
             "ON I.JOB_INSTANCE_ID = E.JOB_INSTANCE_ID WHERE E.CREATE_TIME < ?1 AND (?2 = '' OR I.JOB_NAME = ?2) "
             "ORDER BY E.JOB_INSTANCE_ID, E.JOB_EXECUTION_ID";
    case Sql::STATUS_INSTANCE:
      return "SELECT STATUS, JOB_INSTANCE_ID FROM %PREFIX%JOB_EXECUTION WHERE JOB_EXECUTION_ID = ?1";
    case Sql::DELETE_STEP_CONTEXTS:
      return "DELETE FROM %PREFIX%STEP_EXECUTION_CONTEXT WHERE STEP_EXECUTION_ID IN "
             "(SELECT STEP_EXECUTION_ID FROM %PREFIX%STEP_EXECUTION WHERE JOB_EXECUTION_ID = ?1)";
    case Sql::DELETE_STEPS: return "DELETE FROM %PREFIX%STEP_EXECUTION WHERE JOB_EXECUTION_ID = ?1";
    case Sql::DELETE_JOB_CONTEXT: return "DELETE FROM %PREFIX%JOB_EXECUTION_CONTEXT WHERE JOB_EXECUTION_ID = ?1";
    case Sql::DELETE_PARAMETERS: return "DELETE FROM %PREFIX%JOB_EXECUTION_PARAMS WHERE JOB_EXECUTION_ID = ?1";
    case Sql::DELETE_EXECUTION: return "DELETE FROM %PREFIX%JOB_EXECUTION WHERE JOB_EXECUTION_ID = ?1";
    case Sql::DELETE_INSTANCE_IF_EMPTY:
      return "DELETE FROM %PREFIX%JOB_INSTANCE WHERE JOB_INSTANCE_ID = ?1 AND NOT EXISTS "
             "(SELECT 1 FROM %PREFIX%JOB_EXECUTION WHERE JOB_INSTANCE_ID = ?1)";
    case Sql::INSERT_DEAD_LETTER:
      return concat({"INSERT INTO %PREFIX%DEAD_LETTER (", kDeadLetterColumns,
                     ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"});
    case Sql::GET_DEAD_LETTER:
      return concat({"SELECT ", kDeadLetterColumns, " FROM %PREFIX%DEAD_LETTER WHERE DEAD_LETTER_ID = ?1"});
    case Sql::UPDATE_DEAD_LETTER:
      return "UPDATE %PREFIX%DEAD_LETTER SET STATUS = ?1, ATTEMPTS = ?2, LAST_ERROR = ?3, LAST_UPDATED = ?4, "
             "VERSION = VERSION + 1 WHERE DEAD_LETTER_ID = ?5 AND VERSION = ?6";
    case Sql::DEAD_LETTER_VERSION:
      return "SELECT VERSION FROM %PREFIX%DEAD_LETTER WHERE DEAD_LETTER_ID = ?1";
    case Sql::kCount: break;
  }
  return "";
}

std::string selection_of(Selection selection) {
  switch (selection) {
    case Selection::BY_ID: return "SELECT ?1";
    case Selection::BY_INSTANCE: return "SELECT JOB_EXECUTION_ID FROM %PREFIX%JOB_EXECUTION WHERE JOB_INSTANCE_ID = ?1";
    case Selection::LAST_OF_INSTANCE:
      return "SELECT MAX(JOB_EXECUTION_ID) FROM %PREFIX%JOB_EXECUTION WHERE JOB_INSTANCE_ID = ?1";
    case Selection::RECENT:
      return "SELECT JOB_EXECUTION_ID FROM %PREFIX%JOB_EXECUTION ORDER BY JOB_EXECUTION_ID DESC LIMIT ?1";
    case Selection::RECENT_OF_JOB:
      return "SELECT X.JOB_EXECUTION_ID FROM %PREFIX%JOB_EXECUTION X JOIN %PREFIX%JOB_INSTANCE XI "
             "ON XI.JOB_INSTANCE_ID = X.JOB_INSTANCE_ID WHERE XI.JOB_NAME = ?1 "
             "ORDER BY X.JOB_EXECUTION_ID DESC LIMIT ?2";
    case Selection::RUNNING:
      return concat({"SELECT JOB_EXECUTION_ID FROM %PREFIX%JOB_EXECUTION WHERE STATUS IN ", kRunning});
    case Selection::RUNNING_OF_JOB:
      return concat({"SELECT X.JOB_EXECUTION_ID FROM %PREFIX%JOB_EXECUTION X JOIN %PREFIX%JOB_INSTANCE XI "
                     "ON XI.JOB_INSTANCE_ID = X.JOB_INSTANCE_ID WHERE XI.JOB_NAME = ?1 AND X.STATUS IN ",
                     kRunning});
    case Selection::kCount: break;
  }
  return "";
}

}  // namespace

std::string with_prefix(std::string_view text, std::string_view prefix) {
  constexpr std::string_view kPlaceholder = "%PREFIX%";
  std::string out;
  out.reserve(text.size() + 64);
  size_t pos = 0;
  while (true) {
    size_t found = text.find(kPlaceholder, pos);
    out += text.substr(pos, found - pos);
    if (found == std::string_view::npos) break;
    out += prefix;
    pos = found + kPlaceholder.size();
  }
  return out;
}

std::string sql_text(Sql sql, std::string_view prefix) { return with_prefix(template_of(sql), prefix); }

std::string sql_text(Selection selection, Part part, std::string_view prefix) {
  std::string ids = selection_of(selection);
  std::string text;
  switch (part) {
    case Part::EXECUTIONS:
    case Part::EXECUTIONS_WITH_CONTEXT:
      text = concat({"SELECT ", kExecutionColumns,
                     part == Part::EXECUTIONS ? "" : ", C.SHORT_CONTEXT, C.SERIALIZED_CONTEXT",
                     " FROM %PREFIX%JOB_EXECUTION E JOIN %PREFIX%JOB_INSTANCE I "
                     "ON I.JOB_INSTANCE_ID = E.JOB_INSTANCE_ID ",
                     part == Part::EXECUTIONS ? ""
                                              : "LEFT JOIN %PREFIX%JOB_EXECUTION_CONTEXT C "
                                                "ON C.JOB_EXECUTION_ID = E.JOB_EXECUTION_ID ",
                     "WHERE E.JOB_EXECUTION_ID IN (", ids, ") ORDER BY E.JOB_EXECUTION_ID DESC"});
      break;
    case Part::PARAMETERS:
      text = concat({"SELECT JOB_EXECUTION_ID, PARAMETER_NAME, PARAMETER_TYPE, PARAMETER_VALUE, IDENTIFYING "
                     "FROM %PREFIX%JOB_EXECUTION_PARAMS WHERE JOB_EXECUTION_ID IN (",
                     ids, ")"});
      break;
    case Part::STEPS:
    case Part::STEPS_WITH_CONTEXT:
      text = concat({"SELECT ", kStepColumns, part == Part::STEPS ? "" : ", C.SHORT_CONTEXT, C.SERIALIZED_CONTEXT",
                     " FROM %PREFIX%STEP_EXECUTION S ",
                     part == Part::STEPS ? ""
                                         : "LEFT JOIN %PREFIX%STEP_EXECUTION_CONTEXT C "
                                           "ON C.STEP_EXECUTION_ID = S.STEP_EXECUTION_ID ",
                     "WHERE S.JOB_EXECUTION_ID IN (", ids, ") ORDER BY S.STEP_EXECUTION_ID"});
      break;
    case Part::kCount: break;
  }
  return with_prefix(text, prefix);
}

bool on_hot_path(Sql sql) {
  switch (sql) {
    case Sql::JOB_NAMES:       // listing: reads the JOB_INSTANCE index once
    case Sql::INSTANCES_PAGE:  // listing: by JOB_NAME index
    case Sql::EXECUTIONS_CREATED_BEFORE:  // retention's selection: reads the history once
      return false;
    default: return true;
  }
}

}  // namespace cppbatch::internal
