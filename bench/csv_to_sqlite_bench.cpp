// csv_to_sqlite_bench: CSV → transform → SQLite table, the classic load job.
//
// Framework: DelimitedFileReader<Txn> → processor (bench::transform) →
// SqliteBatchWriter<Txn> (one prepared INSERT, bind/step/reset per item),
// chunk size 1000, on the SQLite repository (WAL, synchronous=NORMAL):
//   (a) the table lives in the repository's database and the writer joins
//       the chunk transaction: items and checkpoint commit together, one
//       COMMIT per chunk (contract 1 of DESIGN.md);
//   (b) the table lives in its own database file and the writer commits
//       each chunk itself, then the repository commits the checkpoint.
// Baseline: the hand-written CSV loop of csv_transform_bench feeding a raw
// sqlite3 prepared INSERT (bind/step/reset) in ONE transaction, same
// pragmas (WAL, synchronous=NORMAL), same table.
// Row count and sum(amount) are checked equal.
//
// BENCH_LINES overrides the line count (default 1,000,000, ~66 MB).
#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "bench_util.hpp"
#include "csv_workload.hpp"
#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "cppbatch/infrastructure/delimited_file_reader.hpp"
#include "cppbatch/infrastructure/sqlite_batch_writer.hpp"
#include "cppbatch/repository/sqlite_job_repository.hpp"

namespace {

constexpr const char* kCreateTable =
    "CREATE TABLE IF NOT EXISTS txn(id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, "
    "amount REAL NOT NULL, value_date TEXT NOT NULL)";
constexpr const char* kInsert = "INSERT INTO txn(id, name, email, amount, value_date) VALUES(?1, ?2, ?3, ?4, ?5)";

void bind_txn(const bench::Txn& t, SQLite::Statement& s) {
  char date[11];
  bench::format_date_chars(t.date, date);
  date[10] = '\0';
  s.bind(1, t.id);
  s.bindNoCopy(2, t.name);
  s.bindNoCopy(3, t.email);
  s.bind(4, t.amount);
  s.bind(5, date);  // copied (SQLITE_TRANSIENT), as the baseline does
}

std::unique_ptr<cppbatch::Job> make_job(cppbatch::SqliteJobRepository& repository, const std::string& input,
                                        const std::string& own_db) {
  cppbatch::DelimitedReaderOptions in;
  in.path = input;
  in.header_as_names = true;
  cppbatch::SqliteWriterOptions out;
  out.sql = kInsert;
  std::unique_ptr<cppbatch::SqliteBatchWriter<bench::Txn>> writer;
  if (own_db.empty()) {
    repository.database().exec(kCreateTable);
    writer = std::make_unique<cppbatch::SqliteBatchWriter<bench::Txn>>(repository.database(), out, bind_txn);
  } else {
    out.database_path = own_db;
    out.init_sql = kCreateTable;
    writer = std::make_unique<cppbatch::SqliteBatchWriter<bench::Txn>>(out, bind_txn);
  }
  cppbatch::StepBuilder builder("load", repository);
  // The table lives in the repository's file: run each chunk in the
  // repository's transaction so rows and checkpoint commit atomically.
  if (own_db.empty()) builder.transaction_manager(repository.transaction_manager());
  auto step = std::move(builder)
                  .chunk<bench::Txn, bench::Txn>(1000)
                  .reader(std::make_unique<cppbatch::DelimitedFileReader<bench::Txn>>(in, bench::map_txn))
                  .processor([](const bench::Txn& t) -> std::optional<bench::Txn> { return bench::transform(t); })
                  .writer(std::move(writer))
                  .build();
  return cppbatch::JobBuilder("csvToSqliteBench", repository).start(std::move(step)).build();
}

void check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
  }
}

void exec(sqlite3* db, const char* sql) { check(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), db, sql); }

void run_baseline(const std::string& input, const std::string& db_path) {
  sqlite3* db = nullptr;
  check(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr), db, "open");
  exec(db, "PRAGMA journal_mode=WAL");
  exec(db, "PRAGMA synchronous=NORMAL");
  exec(db, kCreateTable);
  sqlite3_stmt* insert = nullptr;
  check(sqlite3_prepare_v3(db, kInsert, -1, SQLITE_PREPARE_PERSISTENT, &insert, nullptr), db, "prepare");
  exec(db, "BEGIN");
  bench::HandCsvReader reader(input);
  std::vector<std::string_view> fields;
  if (!reader.next(fields)) throw std::runtime_error("empty input");  // header
  char date[10];
  while (reader.next(fields)) {
    bench::Txn t = bench::transform(bench::hand_parse_txn(fields));
    bench::format_date_chars(t.date, date);
    sqlite3_bind_int64(insert, 1, t.id);
    sqlite3_bind_text(insert, 2, t.name.data(), static_cast<int>(t.name.size()), SQLITE_STATIC);
    sqlite3_bind_text(insert, 3, t.email.data(), static_cast<int>(t.email.size()), SQLITE_STATIC);
    sqlite3_bind_double(insert, 4, t.amount);
    sqlite3_bind_text(insert, 5, date, 10, SQLITE_TRANSIENT);
    check(sqlite3_step(insert), db, "insert");
    sqlite3_reset(insert);
  }
  exec(db, "COMMIT");
  sqlite3_finalize(insert);
  sqlite3_close(db);
}

// "rows sum(amount)" of the txn table, for the equality check.
std::string table_digest(const std::string& db_path) {
  sqlite3* db = nullptr;
  check(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), db, "open");
  sqlite3_stmt* s = nullptr;
  check(sqlite3_prepare_v2(db, "SELECT count(*), printf('%.2f', sum(amount)) FROM txn", -1, &s, nullptr), db,
        "digest");
  check(sqlite3_step(s), db, "digest");
  std::string digest = std::to_string(sqlite3_column_int64(s, 0)) + " " +
                       reinterpret_cast<const char*>(sqlite3_column_text(s, 1));
  sqlite3_finalize(s);
  sqlite3_close(db);
  return digest;
}

}  // namespace

int main() {
  bench::quiet_logs();
  size_t lines = 1'000'000;
  if (const char* env = std::getenv("BENCH_LINES")) lines = std::strtoull(env, nullptr, 10);
  const int reps = bench::repetitions();

  bench::TempDir dir("csv-sqlite");
  const std::string input = dir.file("input.csv");
  const std::string base_db = dir.file("baseline.db");
  const std::string repo_db = dir.file("repository.db");
  const std::string data_db = dir.file("data.db");
  const uint64_t bytes = bench::generate_csv(input, lines);

  bench::print_header(
      "csv_to_sqlite_bench — CSV → transform → SQLite table, chunk 1000, SQLite repository",
      "input: " + std::to_string(lines) + " lines, " + std::to_string(bytes / 1'000'000) +
          " MB; baseline: hand-written CSV loop + raw sqlite3 prepared INSERT in one transaction");

  bench::Timing baseline = bench::measure(reps, [&] { run_baseline(input, base_db); },
                                   [&] { bench::remove_database(base_db); });
  const std::string expected = table_digest(base_db);

  std::vector<bench::Row> rows;
  for (bool joined : {true, false}) {
    std::unique_ptr<cppbatch::SqliteJobRepository> repository;
    std::unique_ptr<cppbatch::Job> job;
    bench::Timing fw = bench::measure(
        reps,
        [&] {
          cppbatch::JobLauncher launcher(*repository);
          bench::run_job(launcher, *job, bench::unique_parameters());
        },
        [&] {
          job.reset();
          repository.reset();
          bench::remove_database(repo_db);
          bench::remove_database(data_db);
          cppbatch::SqliteRepositoryOptions options;
          options.path = repo_db;
          auto opened = cppbatch::SqliteJobRepository::open(options);
          if (!opened) throw std::runtime_error(opened.error().to_string());
          repository = std::move(opened.value());
          job = make_job(*repository, input, joined ? std::string() : data_db);
        });
    job.reset();
    repository.reset();
    std::string got = table_digest(joined ? repo_db : data_db);
    if (got != expected) {
      std::fprintf(stderr, "table differs: framework %s, baseline %s\n", got.c_str(), expected.c_str());
      return 1;
    }
    rows.push_back({joined ? "(a) table in repository db, joined chunk tx" : "(b) table in own db, writer commits",
                    lines, fw, baseline, bytes});
  }
  bench::print_rows(rows);
  return 0;
}
