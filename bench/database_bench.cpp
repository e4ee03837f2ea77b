// database_bench: the database readers and writers beside hand-written
// loops doing the same work on the same data, in one run.
//
//   PG batch writer   PgBatchWriter<Txn> (pipelined prepared INSERT, chunk
//                     1000)  vs  raw libpq: the same pipeline by hand
//   PG COPY writer    PgCopyWriter<Txn> (chunk 10000)  vs  raw libpq
//                     COPY FROM STDIN, text built with to_chars
//   PG cursor read    PgCursorReader<Txn> (FETCH 1000)  vs  raw libpq
//                     DECLARE/FETCH 1000, rows parsed by hand
//   PG paging read    PgPagingReader<Txn> (page 1000)  vs  raw libpq
//                     prepared keyset query
//   SQLite paging     SqlitePagingReader<Txn> (page 1000)  vs  raw sqlite3
//                     keyset query
//   CSV → PG          a cppbatch job: DelimitedFileReader<Txn> →
//                     PgCopyWriter<Txn> (chunk 10000, in-memory repository)
//                     vs  `psql -c "\copy txn FROM file CSV HEADER"`
//
// Every pair ends with the same table (row count and sum(amount) checked)
// or the same items read (count and sum). The PostgreSQL server is started
// for the run by scripts/postgres-test-server.sh (fsync=off, loopback) and
// stopped at the end. BENCH_ROWS overrides the row count (default 200,000).
#include <postgresql/libpq-fe.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "csv_workload.hpp"
#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "cppbatch/infrastructure/delimited_file_reader.hpp"
#include "cppbatch/infrastructure/pg_batch_writer.hpp"
#include "cppbatch/infrastructure/pg_copy_writer.hpp"
#include "cppbatch/infrastructure/pg_cursor_reader.hpp"
#include "cppbatch/infrastructure/pg_paging_reader.hpp"
#include "cppbatch/infrastructure/sqlite_database.hpp"
#include "cppbatch/infrastructure/sqlite_paging_reader.hpp"
#include "cppbatch/repository/in_memory_job_repository.hpp"

namespace {

using bench::Txn;

constexpr const char* kCreate =
    "DROP TABLE IF EXISTS txn; CREATE TABLE txn(id bigint PRIMARY KEY, name text NOT NULL, email text NOT NULL, "
    "amount double precision NOT NULL, value_date date NOT NULL)";
constexpr const char* kInsert = "INSERT INTO txn(id, name, email, amount, value_date) VALUES($1, $2, $3, $4, $5)";
constexpr size_t kBatchChunk = 1000;
constexpr size_t kCopyChunk = 10000;
constexpr size_t kPage = 1000;

// The test server, started for this run and stopped at exit.
class Server {
 public:
  Server() {
    std::filesystem::path source(__FILE__);
    script_ = (source.parent_path().parent_path() / "scripts" / "postgres-test-server.sh").string();
    state_ = (std::filesystem::read_symlink("/proc/self/exe").parent_path() / "postgres-bench").string();
    if (std::system((script_ + " start " + state_ + " >/dev/null").c_str()) != 0) {
      throw std::runtime_error("could not start the PostgreSQL server with " + script_);
    }
    std::ifstream in(state_ + "/url");
    std::getline(in, url_);
  }
  ~Server() { (void)std::system((script_ + " stop " + state_).c_str()); }
  const std::string& url() const { return url_; }

 private:
  std::string script_, state_, url_;
};

void pg_check(PGconn* conn, PGresult* result, ExecStatusType expected, const char* what) {
  ExecStatusType status = PQresultStatus(result);
  std::string message = PQresultErrorMessage(result);
  PQclear(result);
  if (status != expected) throw std::runtime_error(std::string(what) + ": " + message + PQerrorMessage(conn));
}

void pg_exec(PGconn* conn, const char* sql) {
  PGresult* r = PQexec(conn, sql);
  ExecStatusType s = PQresultStatus(r);
  if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) pg_check(conn, r, PGRES_COMMAND_OK, sql);
  PQclear(r);
}

PGconn* pg_connect(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) throw std::runtime_error(std::string("connect: ") + PQerrorMessage(conn));
  return conn;
}

std::string pg_digest(const std::string& url) {
  PGconn* conn = pg_connect(url);
  PGresult* r = PQexec(conn, "SELECT count(*) || ' ' || round(sum(amount)::numeric, 2) FROM txn");
  std::string digest = PQresultStatus(r) == PGRES_TUPLES_OK ? PQgetvalue(r, 0, 0) : "?";
  PQclear(r);
  PQfinish(conn);
  return digest;
}

// ---- writers: the framework side

void bind_txn(const Txn& t, cppbatch::PgParams& p) {
  char date[10];
  bench::format_date_chars(t.date, date);
  p.add(t.id);
  p.add(t.name);
  p.add(t.email);
  p.add(t.amount);
  p.add(std::string_view(date, 10));
}

void format_txn_copy(const Txn& t, cppbatch::PgCopyRow& row) {
  char date[10];
  bench::format_date_chars(t.date, date);
  row.add(t.id);
  row.add(t.name);
  row.add(t.email);
  row.add(t.amount);
  row.add(std::string_view(date, 10));
}

// The items cut into chunks once, outside the timed part (the hand loops
// read the same items straight from the vector).
std::vector<cppbatch::Chunk<Txn>> make_chunks(const std::vector<Txn>& items, size_t chunk_size) {
  std::vector<cppbatch::Chunk<Txn>> chunks;
  for (size_t start = 0; start < items.size(); start += chunk_size) {
    cppbatch::Chunk<Txn> chunk;
    for (size_t i = start; i < std::min(items.size(), start + chunk_size); ++i) chunk.add(items[i]);
    chunks.push_back(std::move(chunk));
  }
  return chunks;
}

template <class Writer>
void write_all(Writer& writer, const std::vector<cppbatch::Chunk<Txn>>& chunks) {
  for (const auto& chunk : chunks) writer.write(chunk);
}

// ---- writers: the hand-written side

void hand_batch_insert(const std::string& url, const std::vector<Txn>& items) {
  PGconn* conn = pg_connect(url);
  pg_check(conn, PQprepare(conn, "ins", kInsert, 0, nullptr), PGRES_COMMAND_OK, "prepare");
  char id[24], amount[32], date[11];
  date[10] = '\0';
  for (size_t start = 0; start < items.size(); start += kBatchChunk) {
    const size_t end = std::min(items.size(), start + kBatchChunk);
    PQenterPipelineMode(conn);
    PQsendQueryParams(conn, "BEGIN", 0, nullptr, nullptr, nullptr, nullptr, 0);
    size_t queued = 0;
    auto read_results = [&](size_t n) {
      for (size_t i = 0; i < n; ++i) {
        PGresult* r = PQgetResult(conn);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) pg_check(conn, r, PGRES_COMMAND_OK, "insert");
        PQclear(r);
        while (PGresult* extra = PQgetResult(conn)) PQclear(extra);
      }
    };
    bool begin_read = false;
    for (size_t i = start; i < end; ++i) {
      const Txn& t = items[i];
      *std::to_chars(id, id + sizeof id - 1, t.id).ptr = '\0';
      *std::to_chars(amount, amount + sizeof amount - 1, t.amount).ptr = '\0';
      bench::format_date_chars(t.date, date);
      const char* values[5] = {id, t.name.c_str(), t.email.c_str(), amount, date};
      PQsendQueryPrepared(conn, "ins", 5, values, nullptr, nullptr, 0);
      if (++queued == 256) {
        PQsendFlushRequest(conn);
        PQflush(conn);
        read_results(begin_read ? queued : queued + 1);
        begin_read = true;
        queued = 0;
      }
    }
    PQsendQueryParams(conn, "COMMIT", 0, nullptr, nullptr, nullptr, nullptr, 0);
    PQpipelineSync(conn);
    read_results((begin_read ? queued : queued + 1) + 1);
    PGresult* sync = PQgetResult(conn);
    PQclear(sync);
    PQexitPipelineMode(conn);
  }
  PQfinish(conn);
}

void hand_copy(const std::string& url, const std::vector<Txn>& items) {
  PGconn* conn = pg_connect(url);
  std::string buffer;
  char number[32];
  for (size_t start = 0; start < items.size(); start += kCopyChunk) {
    const size_t end = std::min(items.size(), start + kCopyChunk);
    pg_exec(conn, "BEGIN");
    pg_check(conn, PQexec(conn, "COPY txn(id, name, email, amount, value_date) FROM STDIN"), PGRES_COPY_IN, "copy");
    buffer.clear();
    for (size_t i = start; i < end; ++i) {
      const Txn& t = items[i];
      buffer.append(number, std::to_chars(number, number + sizeof number, t.id).ptr);
      buffer += '\t';
      buffer += t.name;
      buffer += '\t';
      buffer += t.email;
      buffer += '\t';
      buffer.append(number, std::to_chars(number, number + sizeof number, t.amount).ptr);
      buffer += '\t';
      bench::format_date_chars(t.date, number);
      buffer.append(number, 10);
      buffer += '\n';
      if (buffer.size() >= (1u << 20)) {
        PQputCopyData(conn, buffer.data(), static_cast<int>(buffer.size()));
        buffer.clear();
      }
    }
    PQputCopyData(conn, buffer.data(), static_cast<int>(buffer.size()));
    PQputCopyEnd(conn, nullptr);
    pg_check(conn, PQgetResult(conn), PGRES_COMMAND_OK, "copy end");
    while (PGresult* extra = PQgetResult(conn)) PQclear(extra);
    pg_exec(conn, "COMMIT");
  }
  PQfinish(conn);
}

// ---- readers

struct ReadSum {
  uint64_t items = 0;
  double amount = 0;
  bool operator==(const ReadSum&) const = default;
};

Txn map_pg(const cppbatch::PgRow& row) {
  return Txn{row.get_long(0), std::string(row.get_string(1)), std::string(row.get_string(2)), row.get_double(3),
             bench::parse_date_chars(row.get_string(4))};
}

Txn map_sqlite(const cppbatch::SqliteRow& row) {
  return Txn{row.get_long(0), std::string(row.get_string(1)), std::string(row.get_string(2)), row.get_double(3),
             bench::parse_date_chars(row.get_string(4))};
}

template <class Reader>
ReadSum read_all(Reader& reader) {
  cppbatch::ExecutionContext ctx;
  reader.open(ctx);
  ReadSum sum;
  while (auto t = reader.read()) {
    ++sum.items;
    sum.amount += t->amount;
    bench::do_not_optimize(t->name.size());
  }
  reader.close();
  return sum;
}

int64_t parse_long(const char* s, int n) {
  int64_t v = 0;
  std::from_chars(s, s + n, v);
  return v;
}
double parse_double(const char* s, int n) {
  double v = 0;
  std::from_chars(s, s + n, v);
  return v;
}

Txn hand_row(PGresult* r, int i) {
  return Txn{parse_long(PQgetvalue(r, i, 0), PQgetlength(r, i, 0)),
             std::string(PQgetvalue(r, i, 1), static_cast<size_t>(PQgetlength(r, i, 1))),
             std::string(PQgetvalue(r, i, 2), static_cast<size_t>(PQgetlength(r, i, 2))),
             parse_double(PQgetvalue(r, i, 3), PQgetlength(r, i, 3)),
             bench::parse_date_chars(std::string_view(PQgetvalue(r, i, 4), 10))};
}

ReadSum hand_cursor(const std::string& url) {
  PGconn* conn = pg_connect(url);
  pg_exec(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  pg_exec(conn, "DECLARE c NO SCROLL CURSOR FOR SELECT id, name, email, amount, value_date FROM txn ORDER BY id");
  ReadSum sum;
  for (;;) {
    PGresult* r = PQexec(conn, "FETCH 1000 FROM c");
    const int n = PQntuples(r);
    for (int i = 0; i < n; ++i) {
      Txn t = hand_row(r, i);
      ++sum.items;
      sum.amount += t.amount;
      bench::do_not_optimize(t.name.size());
    }
    PQclear(r);
    if (n < 1000) break;
  }
  pg_exec(conn, "COMMIT");
  PQfinish(conn);
  return sum;
}

ReadSum hand_paging(const std::string& url) {
  PGconn* conn = pg_connect(url);
  pg_check(conn,
           PQprepare(conn, "first", "SELECT id, name, email, amount, value_date FROM txn ORDER BY id LIMIT 1000", 0,
                     nullptr),
           PGRES_COMMAND_OK, "prepare");
  pg_check(conn,
           PQprepare(conn, "next",
                     "SELECT id, name, email, amount, value_date FROM txn WHERE id > $1 ORDER BY id LIMIT 1000", 0,
                     nullptr),
           PGRES_COMMAND_OK, "prepare");
  ReadSum sum;
  std::string last;
  bool first = true;
  for (;;) {
    const char* values[1] = {last.c_str()};
    PGresult* r = first ? PQexecPrepared(conn, "first", 0, nullptr, nullptr, nullptr, 0)
                        : PQexecPrepared(conn, "next", 1, values, nullptr, nullptr, 0);
    first = false;
    const int n = PQntuples(r);
    for (int i = 0; i < n; ++i) {
      Txn t = hand_row(r, i);
      ++sum.items;
      sum.amount += t.amount;
      bench::do_not_optimize(t.name.size());
    }
    if (n > 0) last.assign(PQgetvalue(r, n - 1, 0));
    PQclear(r);
    if (n < 1000) break;
  }
  PQfinish(conn);
  return sum;
}

ReadSum hand_sqlite_paging(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* first = nullptr;
  sqlite3_stmt* next = nullptr;
  sqlite3_prepare_v2(db, "SELECT id, name, email, amount, value_date FROM txn ORDER BY id LIMIT 1000", -1, &first,
                     nullptr);
  sqlite3_prepare_v2(db, "SELECT id, name, email, amount, value_date FROM txn WHERE id > ?1 ORDER BY id LIMIT 1000",
                     -1, &next, nullptr);
  ReadSum sum;
  int64_t last = 0;
  bool is_first = true;
  for (;;) {
    sqlite3_stmt* s = is_first ? first : next;
    if (!is_first) sqlite3_bind_int64(next, 1, last);
    is_first = false;
    int n = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
      Txn t{sqlite3_column_int64(s, 0),
            std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, 1)),
                        static_cast<size_t>(sqlite3_column_bytes(s, 1))),
            std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, 2)),
                        static_cast<size_t>(sqlite3_column_bytes(s, 2))),
            sqlite3_column_double(s, 3),
            bench::parse_date_chars(std::string_view(reinterpret_cast<const char*>(sqlite3_column_text(s, 4)),
                                                     static_cast<size_t>(sqlite3_column_bytes(s, 4))))};
      last = t.id;
      ++n;
      ++sum.items;
      sum.amount += t.amount;
      bench::do_not_optimize(t.name.size());
    }
    sqlite3_reset(s);
    if (n < 1000) break;
  }
  sqlite3_finalize(first);
  sqlite3_finalize(next);
  sqlite3_close(db);
  return sum;
}

double children_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_CHILDREN, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

void require(bool ok, const std::string& what) {
  if (!ok) throw std::runtime_error("results differ: " + what);
}

}  // namespace

int main() {
  bench::quiet_logs();
  size_t rows_wanted = 200'000;
  if (const char* env = std::getenv("BENCH_ROWS")) rows_wanted = std::strtoull(env, nullptr, 10);
  const int reps = bench::repetitions();
  Server server;
  const std::string& url = server.url();

  bench::TempDir dir("database-bench");
  const std::string csv = dir.file("txn.csv");
  const uint64_t bytes = bench::generate_csv(csv, rows_wanted);
  std::vector<Txn> items;
  {
    bench::HandCsvReader reader(csv);
    std::vector<std::string_view> fields;
    reader.next(fields);  // header
    while (reader.next(fields)) items.push_back(bench::hand_parse_txn(fields));
  }
  const uint64_t n = items.size();
  bench::print_header("database_bench — PostgreSQL " + std::string("(local, fsync=off) and SQLite readers/writers"),
                      "rows: " + std::to_string(n) + " (" + std::to_string(bytes / 1'000'000) +
                          " MB as CSV); baselines: hand-written raw libpq / sqlite3 loops doing the same work");

  PGconn* admin = pg_connect(url);
  pg_exec(admin, "SET client_min_messages = warning");
  auto reset_table = [&] { pg_exec(admin, kCreate); };
  std::vector<bench::Row> rows;

  // PG batch writer
  const auto batch_chunks = make_chunks(items, kBatchChunk);
  const auto copy_chunks = make_chunks(items, kCopyChunk);
  reset_table();
  bench::Timing base = bench::measure(reps, [&] { hand_batch_insert(url, items); }, reset_table);
  const std::string expected = pg_digest(url);
  bench::Timing fw = bench::measure(
      reps,
      [&] {
        cppbatch::PgBatchWriter<Txn> writer({.url = url, .sql = kInsert}, bind_txn);
        write_all(writer, batch_chunks);
      },
      reset_table);
  require(pg_digest(url) == expected, "batch writer table");
  rows.push_back({"PG batch writer (pipelined INSERT, chunk 1000)", n, fw, base, bytes});

  // PG COPY writer
  base = bench::measure(reps, [&] { hand_copy(url, items); }, reset_table);
  require(pg_digest(url) == expected, "hand COPY table");
  fw = bench::measure(
      reps,
      [&] {
        cppbatch::PgCopyWriter<Txn> writer(
            {.url = url, .table = "txn", .columns = {"id", "name", "email", "amount", "value_date"}}, format_txn_copy);
        write_all(writer, copy_chunks);
      },
      reset_table);
  require(pg_digest(url) == expected, "COPY writer table");
  rows.push_back({"PG COPY writer (chunk 10000)", n, fw, base, bytes});

  // PG readers (the table as loaded above)
  pg_exec(admin, "VACUUM ANALYZE txn");
  ReadSum want, got;
  base = bench::measure(reps, [&] { want = hand_cursor(url); });
  fw = bench::measure(reps, [&] {
    cppbatch::PgCursorReader<Txn> reader(
        {.url = url, .sql = "SELECT id, name, email, amount, value_date FROM txn ORDER BY id", .fetch_size = 1000},
        map_pg);
    got = read_all(reader);
  });
  require(got == want && got.items == n, "cursor read");
  rows.push_back({"PG cursor read (FETCH 1000)", n, fw, base, bytes});

  base = bench::measure(reps, [&] { want = hand_paging(url); });
  fw = bench::measure(reps, [&] {
    cppbatch::PgPagingReader<Txn> reader(
        {.url = url, .sql = "SELECT id, name, email, amount, value_date FROM txn", .sort_key = "id",
         .page_size = kPage},
        map_pg);
    got = read_all(reader);
  });
  require(got == want && got.items == n, "paging read");
  rows.push_back({"PG paging read (keyset, page 1000)", n, fw, base, bytes});

  // SQLite paging
  const std::string sqlite_path = dir.file("txn.db");
  {
    SQLite::Database db = cppbatch::open_sqlite_database(
        sqlite_path, {.init_sql = "CREATE TABLE txn(id INTEGER PRIMARY KEY, name TEXT, email TEXT, amount REAL, "
                                  "value_date TEXT)"});
    SQLite::Transaction tx(db);
    SQLite::Statement insert(db, "INSERT INTO txn VALUES(?, ?, ?, ?, ?)");
    char date[10];
    for (const Txn& t : items) {
      bench::format_date_chars(t.date, date);
      insert.bind(1, t.id);
      insert.bind(2, t.name);
      insert.bind(3, t.email);
      insert.bind(4, t.amount);
      insert.bind(5, std::string(date, 10));
      insert.exec();
      insert.reset();
    }
    tx.commit();
  }
  base = bench::measure(reps, [&] { want = hand_sqlite_paging(sqlite_path); });
  fw = bench::measure(reps, [&] {
    cppbatch::SqlitePagingReader<Txn> reader({.database_path = sqlite_path,
                                              .sql = "SELECT id, name, email, amount, value_date FROM txn",
                                              .sort_key = "id",
                                              .page_size = kPage},
                                             map_sqlite);
    got = read_all(reader);
  });
  require(got == want && got.items == n, "sqlite paging read");
  rows.push_back({"SQLite paging read (keyset, page 1000)", n, fw, base, bytes});
  bench::print_rows(rows);

  // CSV → PostgreSQL: a cppbatch job vs psql \copy of the same file.
  std::vector<bench::Row> load;
  const std::string psql = "psql -X -q -v ON_ERROR_STOP=1 \"" + url + "\" -c \"\\copy txn FROM '" + csv +
                           "' WITH (FORMAT csv, HEADER true)\"";
  // psql's CPU time is its own (a waited-for child): taken from RUSAGE_CHILDREN.
  double psql_cpu = 1e300;
  base = bench::measure(
      reps,
      [&] {
        const double before = children_cpu_seconds();
        if (std::system(psql.c_str()) != 0) throw std::runtime_error("psql \\copy failed");
        psql_cpu = std::min(psql_cpu, children_cpu_seconds() - before);
      },
      reset_table);
  base.cpu = psql_cpu;
  const std::string loaded = pg_digest(url);
  require(loaded == expected, "psql \\copy table " + loaded + " vs " + expected);
  // The same job without and with read-ahead (the next chunk is parsed
  // while this one is copied and committed).
  for (const bool read_ahead : {false, true}) {
    std::unique_ptr<cppbatch::InMemoryJobRepository> repository;
    std::unique_ptr<cppbatch::Job> job;
    fw = bench::measure(
        reps,
        [&] {
          cppbatch::JobLauncher launcher(*repository);
          bench::run_job(launcher, *job, bench::unique_parameters());
        },
        [&] {
          reset_table();
          job.reset();
          repository = std::make_unique<cppbatch::InMemoryJobRepository>();
          cppbatch::DelimitedReaderOptions in;
          in.path = csv;
          in.header_as_names = true;
          auto step = cppbatch::StepBuilder("load", *repository)
                          .chunk<Txn, Txn>(kCopyChunk)
                          .reader(std::make_unique<cppbatch::DelimitedFileReader<Txn>>(in, bench::map_txn))
                          .writer(std::make_unique<cppbatch::PgCopyWriter<Txn>>(
                              cppbatch::PgCopyOptions{.url = url,
                                                      .table = "txn",
                                                      .columns = {"id", "name", "email", "amount", "value_date"}},
                              format_txn_copy))
                          .read_ahead(read_ahead)
                          .build();
          job = cppbatch::JobBuilder("csvToPg", *repository).start(std::move(step)).build();
        });
    require(pg_digest(url) == expected, "CSV → PG job table");
    load.push_back({read_ahead ? "CSV → PG: job, read-ahead, vs psql \\copy" : "CSV → PG: job (COPY writer) vs psql \\copy",
                    n, fw, base, bytes});
  }
  bench::print_rows(load);
  std::printf(
      "(the baseline of the last rows is psql \\copy, a separate process: its wall time includes starting psql;\n"
      " CPU r. compares psql's CPU time with this process's — the server's work is in neither)\n");
  PQfinish(admin);
  return 0;
}
