// What only the SQLite repository promises: Spring Batch 5's schema,
// table prefixes, the file surviving a reopen, several connections (as
// several processes) sharing one file, and the chunk transaction shared
// with a writer through database().
#include <algorithm>
#include <atomic>
#include <fstream>
#include <latch>
#include <map>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "conformance/repository_backends.hpp"
#include "cppbatch/core/job_operator.hpp"
#include "cppbatch/testing/manual_clock.hpp"
#include "repository/sqlite_statements.hpp"

namespace cppbatch::conformance {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

JobParameters daily(std::string date = "2026-01-02") {
  return JobParametersBuilder().add_string("date", std::move(date)).build();
}

class SqliteJobRepositoryTest : public ::testing::Test {
 protected:
  std::string path() const { return (dir_.path() / "batch.db").string(); }
  SqliteRepositoryOptions options(std::string prefix = "BATCH_") {
    SqliteRepositoryOptions o;
    o.path = path();
    o.table_prefix = std::move(prefix);
    o.clock = &clock_;
    return o;
  }
  std::unique_ptr<SqliteJobRepository> open(std::string prefix = "BATCH_") {
    return must(SqliteJobRepository::open(options(std::move(prefix))));
  }
  // Column names of a table, in order (PRAGMA table_info).
  std::vector<std::string> columns(SQLite::Database& db, const std::string& table) {
    std::vector<std::string> names;
    SQLite::Statement query(db, "PRAGMA table_info(" + table + ")");
    while (query.executeStep()) names.push_back(query.getColumn(1).getString());
    return names;
  }
  std::vector<std::string> objects(SQLite::Database& db, const std::string& type) {
    std::vector<std::string> names;
    SQLite::Statement query(db, "SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%' "
                                "ORDER BY name");
    query.bind(1, type);
    while (query.executeStep()) names.push_back(query.getColumn(0).getString());
    return names;
  }
  // A STARTED execution of "settlement" with its step "load" added, as the
  // process running it holds them.
  std::unique_ptr<JobExecution> running_execution(JobRepository& owner_repo) {
    auto owner = must(owner_repo.create_job_execution("settlement", daily()));
    owner->status = BatchStatus::STARTED;
    must(owner_repo.update(*owner));
    must(owner_repo.add(owner->create_step_execution("load")));
    return owner;
  }

  TempDir dir_;
  cppbatch::testing::ManualClock clock_;
};

TEST_F(SqliteJobRepositoryTest, SchemaHasSpringBatch5TablesAndColumns) {
  auto repo = open();
  SQLite::Database db(path());
  EXPECT_THAT(objects(db, "table"),
              ElementsAre("BATCH_DEAD_LETTER", "BATCH_JOB_EXECUTION", "BATCH_JOB_EXECUTION_CONTEXT",
                          "BATCH_JOB_EXECUTION_LEASE", "BATCH_JOB_EXECUTION_PARAMS", "BATCH_JOB_EXECUTION_SEQ", "BATCH_JOB_INSTANCE",
                          "BATCH_JOB_SEQ", "BATCH_STEP_EXECUTION", "BATCH_STEP_EXECUTION_CONTEXT",
                          "BATCH_STEP_EXECUTION_SEQ"));
  EXPECT_THAT(columns(db, "BATCH_JOB_INSTANCE"), ElementsAre("JOB_INSTANCE_ID", "VERSION", "JOB_NAME", "JOB_KEY"));
  EXPECT_THAT(columns(db, "BATCH_JOB_EXECUTION"),
              ElementsAre("JOB_EXECUTION_ID", "VERSION", "JOB_INSTANCE_ID", "CREATE_TIME", "START_TIME", "END_TIME",
                          "STATUS", "EXIT_CODE", "EXIT_MESSAGE", "LAST_UPDATED"));
  EXPECT_THAT(columns(db, "BATCH_JOB_EXECUTION_PARAMS"),
              ElementsAre("JOB_EXECUTION_ID", "PARAMETER_NAME", "PARAMETER_TYPE", "PARAMETER_VALUE", "IDENTIFYING"));
  EXPECT_THAT(columns(db, "BATCH_STEP_EXECUTION"),
              ElementsAre("STEP_EXECUTION_ID", "VERSION", "STEP_NAME", "JOB_EXECUTION_ID", "CREATE_TIME",
                          "START_TIME", "END_TIME", "STATUS", "COMMIT_COUNT", "READ_COUNT", "FILTER_COUNT",
                          "WRITE_COUNT", "READ_SKIP_COUNT", "WRITE_SKIP_COUNT", "PROCESS_SKIP_COUNT",
                          "ROLLBACK_COUNT", "EXIT_CODE", "EXIT_MESSAGE", "LAST_UPDATED"));
  EXPECT_THAT(columns(db, "BATCH_JOB_EXECUTION_CONTEXT"),
              ElementsAre("JOB_EXECUTION_ID", "SHORT_CONTEXT", "SERIALIZED_CONTEXT"));
  EXPECT_THAT(columns(db, "BATCH_STEP_EXECUTION_CONTEXT"),
              ElementsAre("STEP_EXECUTION_ID", "SHORT_CONTEXT", "SERIALIZED_CONTEXT"));
  for (const char* sequence : {"BATCH_JOB_SEQ", "BATCH_JOB_EXECUTION_SEQ", "BATCH_STEP_EXECUTION_SEQ"}) {
    EXPECT_THAT(columns(db, sequence), ElementsAre("ID")) << sequence;
  }
  EXPECT_THAT(columns(db, "BATCH_JOB_EXECUTION_LEASE"), ElementsAre("JOB_EXECUTION_ID", "HOST", "PID", "LAST_BEAT"));
  EXPECT_THAT(columns(db, "BATCH_DEAD_LETTER"),
              ElementsAre("DEAD_LETTER_ID", "VERSION", "JOB_NAME", "JOB_INSTANCE_ID", "JOB_EXECUTION_ID", "STEP_NAME",
                          "STEP_EXECUTION_ID", "PHASE", "ERROR_TYPE", "ERROR_MESSAGE", "SOURCE", "PAYLOAD", "STATUS",
                          "ATTEMPTS", "LAST_ERROR", "CREATE_TIME", "LAST_UPDATED"));
  EXPECT_THAT(objects(db, "index"),
              ElementsAre("BATCH_DEAD_LETTER_JOB_IDX", "BATCH_JOB_EXEC_INST_STATUS_IDX", "BATCH_JOB_EXEC_PARAMS_EXEC_IDX",
                          "BATCH_JOB_EXEC_STATUS_IDX", "BATCH_JOB_INST_NAME_IDX", "BATCH_STEP_EXEC_JOB_EXEC_NAME_IDX"));
}

TEST_F(SqliteJobRepositoryTest, OpensInWalModeWithTheChosenSynchronousLevel) {
  auto repo = open();
  EXPECT_EQ(repo->database().execAndGet("PRAGMA journal_mode").getString(), "wal");
  EXPECT_EQ(repo->database().execAndGet("PRAGMA synchronous").getInt(), 1);  // NORMAL
  EXPECT_EQ(repo->database().execAndGet("PRAGMA foreign_keys").getInt(), 1);
  repo.reset();
  auto full_options = options();
  full_options.synchronous = SqliteRepositoryOptions::Synchronous::FULL;
  auto full = must(SqliteJobRepository::open(full_options));
  EXPECT_EQ(full->database().execAndGet("PRAGMA synchronous").getInt(), 2);  // FULL
}

TEST_F(SqliteJobRepositoryTest, TablePrefixNamesEveryTableAndIndex) {
  auto app = open("APP_");
  auto batch = open();
  auto mine = must(app->create_job_execution("settlement", daily()));
  EXPECT_EQ(must(batch->find_job_instance("settlement", daily())), std::nullopt);
  EXPECT_EQ(must(app->job_execution(mine->id))->id, mine->id);

  SQLite::Database db(path());
  auto tables = objects(db, "table");
  EXPECT_EQ(std::count_if(tables.begin(), tables.end(), [](const std::string& t) { return t.rfind("APP_", 0) == 0; }),
            11);
  auto indexes = objects(db, "index");
  EXPECT_EQ(std::count_if(indexes.begin(), indexes.end(),
                          [](const std::string& t) { return t.rfind("APP_", 0) == 0; }),
            6);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM APP_JOB_EXECUTION").getInt(), 1);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION").getInt(), 0);

  // The dead-letter table follows the prefix too.
  DeadLetter letter;
  letter.job_name = "settlement";
  letter.step_name = "settle";
  must(app->transaction_manager().begin());
  const int64_t id = must(app->dead_letters().add(letter));
  must(app->transaction_manager().commit());
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM APP_DEAD_LETTER").getInt(), 1);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM BATCH_DEAD_LETTER").getInt(), 0);
  EXPECT_EQ(batch->dead_letters().get(id).error().code(), ErrorCode::NOT_FOUND);
}

TEST_F(SqliteJobRepositoryTest, InvalidTablePrefixIsRefused) {
  for (const char* prefix : {"", "BAD-PREFIX", "X; DROP TABLE Y; --", "A B"}) {
    auto repo = SqliteJobRepository::open(options(prefix));
    ASSERT_FALSE(repo.ok()) << prefix;
    EXPECT_EQ(repo.error().code(), ErrorCode::INVALID_ARGUMENT) << prefix;
  }
}

TEST_F(SqliteJobRepositoryTest, ReopeningKeepsEverything) {
  int64_t execution_id = 0;
  {
    auto repo = open();
    auto execution = must(repo->create_job_execution("settlement", daily()));
    execution_id = execution->id;
    execution->execution_context.put_long("n", 7);
    must(repo->update_execution_context(*execution));
    StepExecution& step = execution->create_step_execution("load");
    must(repo->add(step));
  }
  auto repo = open();
  auto stored = must(repo->job_execution(execution_id));
  EXPECT_EQ(stored->execution_context.get_long("n"), 7);
  ASSERT_EQ(stored->step_executions.size(), 1u);
  EXPECT_EQ(repo->create_job_execution("settlement", daily()).error().code(), ErrorCode::ALREADY_RUNNING);
}

TEST_F(SqliteJobRepositoryTest, FileThatIsNotADatabaseIsAStorageError) {
  {
    std::ofstream garbage(path());
    for (int i = 0; i < 200; ++i) garbage << "this is not a SQLite database\n";
  }
  auto repo = SqliteJobRepository::open(options());
  ASSERT_FALSE(repo.ok());
  EXPECT_EQ(repo.error().code(), ErrorCode::STORAGE);
  EXPECT_THAT(repo.error().message(), HasSubstr(path()));
  EXPECT_THAT(repo.error().message(), HasSubstr("not a database"));

  auto dir_options = options();
  dir_options.path = dir_.path().string();
  auto directory = SqliteJobRepository::open(dir_options);
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.error().code(), ErrorCode::STORAGE);
  EXPECT_THAT(directory.error().message(), HasSubstr(dir_.path().string()));
}

TEST_F(SqliteJobRepositoryTest, StoresSpringFormatsInTheColumns) {
  auto repo = open();
  auto params = JobParametersBuilder()
                    .add_string("name", "x")
                    .add_long("count", 3, false)
                    .add_double("rate", 1.5)
                    .add_date("day", *parse_date("2026-01-02"))
                    .add_date_time("at", *parse_date_time("2026-01-02T10:00:00"), false)
                    .build();
  auto execution = must(repo->create_job_execution("formats", params));
  execution->execution_context.put_string("big", std::string(3000, 'x'));
  must(repo->update_execution_context(*execution));
  StepExecution& step = execution->create_step_execution("load");
  step.execution_context.put_long("line", 1);
  must(repo->add(step));

  SQLite::Database db(path());
  std::map<std::string, std::vector<std::string>> rows;
  SQLite::Statement query(db, "SELECT PARAMETER_NAME, PARAMETER_TYPE, PARAMETER_VALUE, IDENTIFYING "
                              "FROM BATCH_JOB_EXECUTION_PARAMS WHERE JOB_EXECUTION_ID = ?");
  query.bind(1, execution->id);
  while (query.executeStep()) {
    rows[query.getColumn(0).getString()] = {query.getColumn(1).getString(), query.getColumn(2).getString(),
                                            query.getColumn(3).getString()};
  }
  EXPECT_EQ(rows["name"], (std::vector<std::string>{"java.lang.String", "x", "Y"}));
  EXPECT_EQ(rows["count"], (std::vector<std::string>{"java.lang.Long", "3", "N"}));
  EXPECT_EQ(rows["rate"], (std::vector<std::string>{"java.lang.Double", "1.5", "Y"}));
  EXPECT_EQ(rows["day"], (std::vector<std::string>{"java.time.LocalDate", "2026-01-02", "Y"}));
  EXPECT_EQ(rows["at"], (std::vector<std::string>{"java.time.LocalDateTime", "2026-01-02T10:00:00", "N"}));

  SQLite::Statement job_context(db, "SELECT LENGTH(SHORT_CONTEXT), SERIALIZED_CONTEXT FROM "
                                    "BATCH_JOB_EXECUTION_CONTEXT WHERE JOB_EXECUTION_ID = ?");
  job_context.bind(1, execution->id);
  ASSERT_TRUE(job_context.executeStep());
  EXPECT_EQ(job_context.getColumn(0).getInt(), 2500);
  EXPECT_EQ(job_context.getColumn(1).getString(), execution->execution_context.to_json());

  SQLite::Statement step_context(db, "SELECT SHORT_CONTEXT, SERIALIZED_CONTEXT FROM BATCH_STEP_EXECUTION_CONTEXT "
                                     "WHERE STEP_EXECUTION_ID = ?");
  step_context.bind(1, step.id);
  ASSERT_TRUE(step_context.executeStep());
  EXPECT_EQ(step_context.getColumn(0).getString(), R"({"line":1})");
  EXPECT_TRUE(step_context.isColumnNull(1));

  SQLite::Statement times(db, "SELECT CREATE_TIME, STATUS, EXIT_CODE FROM BATCH_JOB_EXECUTION "
                              "WHERE JOB_EXECUTION_ID = ?");
  times.bind(1, execution->id);
  ASSERT_TRUE(times.executeStep());
  EXPECT_EQ(times.getColumn(0).getString(), format_timestamp(clock_.now()));
  EXPECT_EQ(times.getColumn(1).getString(), "STARTING");
  EXPECT_EQ(times.getColumn(2).getString(), "UNKNOWN");
}

TEST_F(SqliteJobRepositoryTest, IdsComeFromTheSequenceTables) {
  auto repo = open();
  auto first = must(repo->create_job_execution("a", daily()));
  auto second = must(repo->create_job_execution("b", daily()));
  StepExecution& step = second->create_step_execution("load");
  must(repo->add(step));
  SQLite::Database db(path());
  EXPECT_EQ(db.execAndGet("SELECT MAX(ID) FROM BATCH_JOB_SEQ").getInt64(), second->job_instance.id);
  EXPECT_EQ(db.execAndGet("SELECT MAX(ID) FROM BATCH_JOB_EXECUTION_SEQ").getInt64(), second->id);
  EXPECT_EQ(db.execAndGet("SELECT MAX(ID) FROM BATCH_STEP_EXECUTION_SEQ").getInt64(), step.id);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION_SEQ").getInt(), 1);  // trimmed
  EXPECT_GT(second->id, first->id);
}

TEST_F(SqliteJobRepositoryTest, TwoConnectionsRacingForOneInstanceHaveOneWinner) {
  auto left = open();
  auto right = open();
  for (int round = 0; round < 20; ++round) {
    auto params = daily("2026-02-" + std::to_string(10 + round));
    std::latch ready(2);
    Result<std::unique_ptr<JobExecution>> results[2] = {Error(ErrorCode::INTERNAL, ""),
                                                        Error(ErrorCode::INTERNAL, "")};
    std::thread a([&] {
      ready.arrive_and_wait();
      results[0] = left->create_job_execution("race", params);
    });
    std::thread b([&] {
      ready.arrive_and_wait();
      results[1] = right->create_job_execution("race", params);
    });
    a.join();
    b.join();
    int winners = (results[0].ok() ? 1 : 0) + (results[1].ok() ? 1 : 0);
    ASSERT_EQ(winners, 1) << "round " << round;
    const auto& loser = results[0].ok() ? results[1] : results[0];
    EXPECT_EQ(loser.error().code(), ErrorCode::ALREADY_RUNNING) << loser.error().to_string();
  }
  EXPECT_EQ(must(left->find_job_executions(ExecutionQuery{"race", 100})).size(), 20u);
}

TEST_F(SqliteJobRepositoryTest, ConnectionsOpeningANewFileAtOnceAllSucceed) {
  constexpr int kConnections = 6;
  std::latch ready(kConnections);
  std::vector<Result<std::unique_ptr<SqliteJobRepository>>> results;
  for (int i = 0; i < kConnections; ++i) results.emplace_back(Error(ErrorCode::INTERNAL, ""));
  std::vector<std::thread> threads;
  for (int i = 0; i < kConnections; ++i) {
    threads.emplace_back([&, i] {
      ready.arrive_and_wait();
      results[static_cast<size_t>(i)] = SqliteJobRepository::open(options());
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& result : results) EXPECT_TRUE(result.ok()) << result.error().to_string();
}

TEST_F(SqliteJobRepositoryTest, OpeningAndReadingDoNotWaitForAnotherConnectionsWrite) {
  auto writer = open();
  auto execution = must(writer->create_job_execution("settlement", daily()));
  must(writer->transaction_manager().begin());  // holds the file's write lock
  execution->status = BatchStatus::STARTED;
  must(writer->update(*execution));

  auto reader_options = options();
  reader_options.busy_timeout = std::chrono::milliseconds{0};  // fail at once if it had to wait
  auto reader = must(SqliteJobRepository::open(reader_options));
  EXPECT_EQ(must(reader->job_names()), std::vector<std::string>{"settlement"});
  EXPECT_EQ(must(reader->job_execution(execution->id))->status, BatchStatus::STARTING);  // not committed yet
  auto busy = reader->create_job_execution("other", daily());
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.error().code(), ErrorCode::STORAGE);
  EXPECT_THAT(busy.error().message(), HasSubstr("locked"));

  must(writer->transaction_manager().commit());
  EXPECT_EQ(must(reader->job_execution(execution->id))->status, BatchStatus::STARTED);
  must(reader->create_job_execution("other", daily()));
}

TEST_F(SqliteJobRepositoryTest, StopRequestedThroughAnotherConnectionReachesTheOwner) {
  auto owner_repo = open();
  auto operator_repo = open();
  auto owner = running_execution(*owner_repo);
  StepExecution& step = *owner->step_executions.back();

  auto seen = must(operator_repo->job_execution(owner->id));
  seen->status = BatchStatus::STOPPING;
  must(operator_repo->update(*seen));

  must(owner_repo->update(step));
  EXPECT_TRUE(step.terminate_only);
  must(owner_repo->update(*owner));
  EXPECT_EQ(owner->status, BatchStatus::STOPPING);
}

// A job commits chunk after chunk, re-taking the file's write lock at once.
// SQLite's lock is not fair: a second process waiting for it (`cppbatch
// stop`) wakes at random moments and nearly always finds it taken again.
// The repository must let a waiting writer in at the next chunk boundary.
TEST_F(SqliteJobRepositoryTest, WaitingWriterGetsInAtTheNextChunkBoundary) {
  auto owner_repo = open();
  auto operator_repo = open();
  auto owner = running_execution(*owner_repo);
  StepExecution& step = *owner->step_executions.back();

  constexpr int kChunks = 3000;
  std::atomic<int> chunks{0};
  std::atomic<bool> stop_written{false};
  std::thread job([&] {
    for (int i = 0; i < kChunks && !stop_written; ++i) {
      must(owner_repo->transaction_manager().begin());
      std::this_thread::sleep_for(std::chrono::microseconds(300));  // reading, processing, writing
      step.commit_count += 1;
      must(owner_repo->update(step));
      must(owner_repo->transaction_manager().commit());
      ++chunks;
    }
  });
  while (chunks < 5) std::this_thread::yield();

  auto seen = must(operator_repo->job_execution(owner->id));
  seen->status = BatchStatus::STOPPING;
  const int waiting_from = chunks;
  Result<void> stop = operator_repo->update(*seen);
  const int written_at = chunks;
  stop_written = true;
  job.join();

  ASSERT_TRUE(stop.ok()) << stop.error().to_string();
  EXPECT_LE(written_at - waiting_from, 3) << "the stop waited " << written_at - waiting_from << " chunks";
  EXPECT_EQ(must(owner_repo->job_execution(owner->id))->status, BatchStatus::STOPPING);
}

TEST_F(SqliteJobRepositoryTest, WriterSharesTheChunkTransaction) {
  auto repo = open();
  repo->database().exec("CREATE TABLE ITEMS (ID INTEGER PRIMARY KEY, NAME TEXT)");
  auto execution = must(repo->create_job_execution("settlement", daily()));
  StepExecution& step = execution->create_step_execution("load");
  must(repo->add(step));
  auto count_items = [&] { return repo->database().execAndGet("SELECT COUNT(*) FROM ITEMS").getInt(); };

  StepExecution before = step;
  must(repo->transaction_manager().begin());
  repo->database().exec("INSERT INTO ITEMS (NAME) VALUES ('a'), ('b')");
  step.write_count = 2;
  step.commit_count = 1;
  must(repo->update(step));
  repo->transaction_manager().rollback();
  step = before;
  EXPECT_EQ(count_items(), 0);
  EXPECT_EQ(must(repo->job_execution(execution->id))->step_executions.at(0)->write_count, 0);

  must(repo->transaction_manager().begin());
  repo->database().exec("INSERT INTO ITEMS (NAME) VALUES ('a'), ('b')");
  step.write_count = 2;
  must(repo->update(step));
  must(repo->transaction_manager().commit());
  EXPECT_EQ(count_items(), 2);
  EXPECT_EQ(must(repo->job_execution(execution->id))->step_executions.at(0)->write_count, 2);
}

TEST_F(SqliteJobRepositoryTest, TransactionManagerRefusesMisuse) {
  auto repo = open();
  TransactionManager& transactions = repo->transaction_manager();
  EXPECT_EQ(transactions.commit().error().code(), ErrorCode::ILLEGAL_STATE);
  transactions.rollback();  // no-op without begin()
  must(transactions.begin());
  EXPECT_EQ(transactions.begin().error().code(), ErrorCode::ILLEGAL_STATE);
  must(transactions.commit());
}

// --- retention: every row goes, in whole executions -------------------------

// Rows that belong to nothing any more. Counted without relying on the
// foreign keys (the repository does not rely on ON DELETE CASCADE either).
int64_t orphan_rows(SQLite::Database& db) {
  const char* queries[] = {
      "SELECT COUNT(*) FROM BATCH_JOB_INSTANCE I WHERE NOT EXISTS "
      "(SELECT 1 FROM BATCH_JOB_EXECUTION E WHERE E.JOB_INSTANCE_ID = I.JOB_INSTANCE_ID)",
      "SELECT COUNT(*) FROM BATCH_JOB_EXECUTION E WHERE NOT EXISTS "
      "(SELECT 1 FROM BATCH_JOB_INSTANCE I WHERE I.JOB_INSTANCE_ID = E.JOB_INSTANCE_ID)",
      "SELECT COUNT(*) FROM BATCH_JOB_EXECUTION_PARAMS P WHERE NOT EXISTS "
      "(SELECT 1 FROM BATCH_JOB_EXECUTION E WHERE E.JOB_EXECUTION_ID = P.JOB_EXECUTION_ID)",
      "SELECT COUNT(*) FROM BATCH_JOB_EXECUTION_CONTEXT C WHERE NOT EXISTS "
      "(SELECT 1 FROM BATCH_JOB_EXECUTION E WHERE E.JOB_EXECUTION_ID = C.JOB_EXECUTION_ID)",
      "SELECT COUNT(*) FROM BATCH_JOB_EXECUTION_LEASE L WHERE NOT EXISTS "
      "(SELECT 1 FROM BATCH_JOB_EXECUTION E WHERE E.JOB_EXECUTION_ID = L.JOB_EXECUTION_ID)",
      "SELECT COUNT(*) FROM BATCH_STEP_EXECUTION S WHERE NOT EXISTS "
      "(SELECT 1 FROM BATCH_JOB_EXECUTION E WHERE E.JOB_EXECUTION_ID = S.JOB_EXECUTION_ID)",
      "SELECT COUNT(*) FROM BATCH_STEP_EXECUTION_CONTEXT C WHERE NOT EXISTS "
      "(SELECT 1 FROM BATCH_STEP_EXECUTION S WHERE S.STEP_EXECUTION_ID = C.STEP_EXECUTION_ID)",
  };
  int64_t orphans = 0;
  for (const char* query : queries) orphans += db.execAndGet(query).getInt64();
  return orphans;
}

// The rows of one execution: "params|job context|steps|step contexts|lease".
std::string rows_of(SQLite::Database& db, int64_t id) {
  const std::string where = " WHERE JOB_EXECUTION_ID = " + std::to_string(id);
  std::string rows;
  for (const std::string& query :
       {"SELECT COUNT(*) FROM BATCH_JOB_EXECUTION" + where, "SELECT COUNT(*) FROM BATCH_JOB_EXECUTION_PARAMS" + where,
        "SELECT COUNT(*) FROM BATCH_JOB_EXECUTION_CONTEXT" + where, "SELECT COUNT(*) FROM BATCH_STEP_EXECUTION" + where,
        "SELECT COUNT(*) FROM BATCH_STEP_EXECUTION_CONTEXT WHERE STEP_EXECUTION_ID IN "
        "(SELECT STEP_EXECUTION_ID FROM BATCH_STEP_EXECUTION" + where + ")",
        "SELECT COUNT(*) FROM BATCH_JOB_EXECUTION_LEASE" + where}) {
    rows += (rows.empty() ? "" : "|") + db.execAndGet(query).getString();
  }
  return rows;
}

int64_t count(SQLite::Database& db, const std::string& table) {
  return db.execAndGet("SELECT COUNT(*) FROM " + table).getInt64();
}

class SqliteRetentionTest : public SqliteJobRepositoryTest {
 protected:
  void SetUp() override { repo_ = open(); }

  // A finished execution of its own instance with two steps, contexts,
  // two parameters — and its lease still there, as after a crash between
  // the final update and the release.
  int64_t finished_execution(const std::string& date) {
    auto params = JobParametersBuilder().add_string("date", date).add_long("attempt", 1, false).build();
    auto execution = must(repo_->create_job_execution("settlement", params));
    execution->execution_context.put_string("date", date);
    must(repo_->update_execution_context(*execution));
    for (const char* name : {"load", "report"}) {
      StepExecution& step = execution->create_step_execution(name);
      step.execution_context.put_long("offset", 3);
      must(repo_->add(step));
    }
    execution->status = BatchStatus::COMPLETED;
    execution->exit_status = ExitStatus::completed();
    must(repo_->update(*execution));
    clock_.advance(std::chrono::seconds(1));
    return execution->id;
  }

  std::unique_ptr<SqliteJobRepository> repo_;
  JobRegistry registry_;
};

TEST_F(SqliteRetentionTest, PruneDeletesEveryRowOfOldExecutionsAndLeavesNoOrphans) {
  const int64_t old1 = finished_execution("2026-01-01");
  const int64_t old2 = finished_execution("2026-01-02");
  const Timestamp cutoff = clock_.now();
  const int64_t recent = finished_execution("2026-01-03");
  SQLite::Database db(path());
  EXPECT_EQ(rows_of(db, old1), "1|2|1|2|2|1");
  const std::string recent_rows = rows_of(db, recent);

  JobOperator op(registry_, *repo_);
  PruneReport report = must(op.prune({.created_before = cutoff}));
  EXPECT_EQ(report.job_executions, (std::vector<int64_t>{old1, old2}));
  EXPECT_EQ(report.job_instances.size(), 2u);
  EXPECT_EQ(report.step_executions, 4);
  EXPECT_TRUE(report.skipped_running.empty());

  EXPECT_EQ(rows_of(db, old1), "0|0|0|0|0|0");
  EXPECT_EQ(rows_of(db, old2), "0|0|0|0|0|0");
  EXPECT_EQ(rows_of(db, recent), recent_rows);
  EXPECT_EQ(count(db, "BATCH_JOB_INSTANCE"), 1);
  EXPECT_EQ(count(db, "BATCH_JOB_EXECUTION"), 1);
  EXPECT_EQ(count(db, "BATCH_STEP_EXECUTION"), 2);
  EXPECT_EQ(orphan_rows(db), 0);
}

// A failure in the middle of a batch — here a real constraint: a trigger
// refusing to delete one execution row, after that execution's children
// were already deleted in the same transaction — rolls the whole batch
// back: earlier batches are gone whole, the failing one and those after
// are intact, nothing is orphaned, and pruning again finishes the work.
TEST_F(SqliteRetentionTest, InterruptedPruneLeavesWholeExecutionsAndFinishesWhenRunAgain) {
  std::vector<int64_t> ids;
  for (int day = 1; day <= 6; ++day) ids.push_back(finished_execution("2026-01-0" + std::to_string(day)));
  SQLite::Database db(path(), SQLite::OPEN_READWRITE);
  std::map<int64_t, std::string> before;
  for (int64_t id : ids) before[id] = rows_of(db, id);
  const int64_t victim = ids[3];  // second in the second batch of two
  db.exec("CREATE TRIGGER inject_failure BEFORE DELETE ON BATCH_JOB_EXECUTION WHEN OLD.JOB_EXECUTION_ID = " +
          std::to_string(victim) + " BEGIN SELECT RAISE(ABORT, 'injected failure'); END");

  JobOperator op(registry_, *repo_);
  auto interrupted = op.prune({.created_before = clock_.now(), .batch_size = 2});
  ASSERT_FALSE(interrupted.ok());
  EXPECT_EQ(interrupted.error().code(), ErrorCode::STORAGE);
  EXPECT_THAT(interrupted.error().message(), HasSubstr("after 1 batch (2 executions, 2 instances deleted"));
  EXPECT_THAT(interrupted.error().message(), HasSubstr("injected failure"));

  EXPECT_EQ(rows_of(db, ids[0]), "0|0|0|0|0|0");
  EXPECT_EQ(rows_of(db, ids[1]), "0|0|0|0|0|0");
  for (size_t i = 2; i < ids.size(); ++i) EXPECT_EQ(rows_of(db, ids[i]), before[ids[i]]) << ids[i];
  EXPECT_EQ(count(db, "BATCH_JOB_INSTANCE"), 4);
  EXPECT_EQ(orphan_rows(db), 0);
  EXPECT_EQ(must(repo_->job_execution(ids[2]))->step_executions.size(), 2u);

  db.exec("DROP TRIGGER inject_failure");
  PruneReport rest = must(op.prune({.created_before = clock_.now(), .batch_size = 2}));
  EXPECT_EQ(rest.job_executions, (std::vector<int64_t>(ids.begin() + 2, ids.end())));
  EXPECT_EQ(rest.transactions, 2);
  for (const char* table : {"BATCH_JOB_INSTANCE", "BATCH_JOB_EXECUTION", "BATCH_JOB_EXECUTION_PARAMS",
                            "BATCH_JOB_EXECUTION_CONTEXT", "BATCH_JOB_EXECUTION_LEASE", "BATCH_STEP_EXECUTION",
                            "BATCH_STEP_EXECUTION_CONTEXT"}) {
    EXPECT_EQ(count(db, table), 0) << table;
  }
}

// Launch, update and heartbeat statements reach rows through an index or
// the primary key: their cost does not grow with the history. (Checked on
// SQLite's query plans rather than on timings.)
TEST_F(SqliteJobRepositoryTest, HotPathStatementsNeverScanATable) {
  auto repo = open();
  auto check = [&](const std::string& sql) {
    SQLite::Statement plan(repo->database(), "EXPLAIN QUERY PLAN " + sql);
    while (plan.executeStep()) {
      std::string detail = plan.getColumn(3).getString();
      bool scans_table = detail.rfind("SCAN ", 0) == 0 && detail.find("CONSTANT ROW") == std::string::npos &&
                         detail.find("COVERING INDEX") == std::string::npos;
      EXPECT_FALSE(scans_table) << sql << "\n  plan: " << detail;
    }
  };
  using internal::Part;
  using internal::Selection;
  using internal::Sql;
  for (size_t i = 0; i < static_cast<size_t>(Sql::kCount); ++i) {
    auto sql = static_cast<Sql>(i);
    if (internal::on_hot_path(sql)) check(internal::sql_text(sql, "BATCH_"));
  }
  for (Selection selection : {Selection::BY_ID, Selection::BY_INSTANCE, Selection::LAST_OF_INSTANCE,
                              Selection::RUNNING, Selection::RUNNING_OF_JOB}) {
    for (size_t p = 0; p < static_cast<size_t>(Part::kCount); ++p) {
      check(internal::sql_text(selection, static_cast<Part>(p), "BATCH_"));
    }
  }
}

}  // namespace
}  // namespace cppbatch::conformance
