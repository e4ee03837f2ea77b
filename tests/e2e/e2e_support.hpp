// Helpers for the end-to-end tests: run the real `cppbatch` binary
// (CPPBATCH_BINARY) in a temporary working directory against a SQLite
// repository there, in the foreground or in the background, and look at the
// files it leaves (repository, settlement databases) with SQLiteCpp,
// read-only.
//
//   TempDir dir("crash");
//   Cli cli(dir.path());
//   RunResult r = cli.run({"run", "settlementJob", "date=2026-11-21,date"});
//   EXPECT_EQ(r.exit_code, 0) << r.err;
//
// Header-only: the suite is every *_test.cpp of tests/e2e.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#ifndef CPPBATCH_BINARY
#error "CPPBATCH_BINARY must name the cppbatch executable"
#endif

namespace cppbatch::testing::e2e {

namespace fs = std::filesystem;

// A fresh directory under the system temp dir, removed with its content on
// destruction (kept when CPPBATCH_E2E_KEEP is set, for post-mortems).
class TempDir {
 public:
  explicit TempDir(const std::string& tag) {
    std::string pattern = (fs::temp_directory_path() / ("cppbatch-e2e-" + tag + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + pattern);
    path_ = pattern;
  }
  ~TempDir() {
    if (std::getenv("CPPBATCH_E2E_KEEP") != nullptr) return;
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

// Writes `lines` lines "i,name-i" (i = 1..lines) to `path`.
inline void write_numbered_csv(const fs::path& path, int64_t lines) {
  std::ofstream out(path);
  for (int64_t i = 1; i <= lines; ++i) out << i << ",name-" << i << '\n';
}

inline std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The exit code as a shell reports it: the status, or 128 + signal.
inline int exit_code_of(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return -1;
}

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// A `cppbatch` process started in the background; killed (SIGKILL) and
// reaped on destruction if still running.
class BackgroundRun {
 public:
  BackgroundRun(pid_t pid, fs::path out, fs::path err) : pid_(pid), out_(std::move(out)), err_(std::move(err)) {}
  ~BackgroundRun() {
    if (!reaped_) {
      ::kill(pid_, SIGKILL);
      wait();
    }
  }
  BackgroundRun(const BackgroundRun&) = delete;
  BackgroundRun& operator=(const BackgroundRun&) = delete;

  pid_t pid() const { return pid_; }
  // The exit code if the process has ended (reaps it), else nullopt.
  std::optional<int> poll() {
    if (reaped_) return exit_code_;
    int status = 0;
    pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == 0) return std::nullopt;
    reaped_ = true;
    exit_code_ = exit_code_of(status);
    return exit_code_;
  }
  // Blocks until the process ended; its exit code.
  int wait() {
    if (reaped_) return exit_code_;
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0) {
      if (errno != EINTR) throw std::runtime_error("waitpid failed");
    }
    reaped_ = true;
    exit_code_ = exit_code_of(status);
    return exit_code_;
  }
  // kill -9, then reap.
  int kill_hard() {
    ::kill(pid_, SIGKILL);
    return wait();
  }
  RunResult result() { return RunResult{wait(), read_file(out_), read_file(err_)}; }

 private:
  pid_t pid_;
  fs::path out_, err_;
  bool reaped_ = false;
  int exit_code_ = -1;
};

// Runs the binary with `--repository sqlite:<dir>/batch.db` in `dir` (its
// working directory, so workdir defaults to it). Output goes to files in
// the directory (no pipes to drain, no deadlock on large logs).
class Cli {
 public:
  explicit Cli(fs::path dir) : dir_(std::move(dir)) {}

  const fs::path& dir() const { return dir_; }
  fs::path repository() const { return dir_ / "batch.db"; }

  // Extra environment variables for the next processes ("NAME=value").
  void set_env(std::vector<std::string> env) { env_ = std::move(env); }

  RunResult run(const std::vector<std::string>& arguments) { return start(arguments)->result(); }

  std::unique_ptr<BackgroundRun> start(const std::vector<std::string>& arguments) {
    const int n = ++runs_;
    fs::path out = dir_ / ("cli-" + std::to_string(n) + ".out");
    fs::path err = dir_ / ("cli-" + std::to_string(n) + ".err");
    std::vector<std::string> argv_text = {CPPBATCH_BINARY, "--repository", "sqlite:" + repository().string()};
    argv_text.insert(argv_text.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (auto& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    // The child's environment: ours plus the extras (built before fork).
    std::vector<std::string> env_text;
    for (char** e = environ; *e != nullptr; ++e) env_text.emplace_back(*e);
    env_text.insert(env_text.end(), env_.begin(), env_.end());
    std::vector<char*> env;
    for (auto& e : env_text) env.push_back(e.data());
    env.push_back(nullptr);

    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
      // Child: only async-signal-safe calls until exec.
      int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (out_fd < 0 || err_fd < 0 || ::dup2(out_fd, 1) < 0 || ::dup2(err_fd, 2) < 0 || ::chdir(dir_.c_str()) != 0) {
        ::_exit(127);
      }
      ::execve(argv[0], argv.data(), env.data());
      ::_exit(127);
    }
    return std::make_unique<BackgroundRun>(pid, out, err);
  }

 private:
  fs::path dir_;
  std::vector<std::string> env_;
  int runs_ = 0;
};

// A read-only connection that waits for writers instead of failing.
inline SQLite::Database open_read_only(const fs::path& path) {
  SQLite::Database db(path.string(), SQLite::OPEN_READONLY);
  db.setBusyTimeout(10000);
  return db;
}

inline int64_t query_long(SQLite::Database& db, const std::string& sql) {
  SQLite::Statement statement(db, sql);
  if (!statement.executeStep()) throw std::runtime_error("no row for: " + sql);
  return statement.getColumn(0).getInt64();
}

inline std::string query_text(SQLite::Database& db, const std::string& sql) {
  SQLite::Statement statement(db, sql);
  if (!statement.executeStep()) throw std::runtime_error("no row for: " + sql);
  return statement.getColumn(0).getString();
}

// A step's COMMIT_COUNT in its newest execution, or -1 while there is none.
inline int64_t step_commits(const fs::path& repository, const std::string& step) {
  try {
    SQLite::Database db = open_read_only(repository);
    SQLite::Statement q(db, "SELECT COMMIT_COUNT FROM BATCH_STEP_EXECUTION WHERE STEP_NAME = ? "
                            "ORDER BY STEP_EXECUTION_ID DESC LIMIT 1");
    q.bind(1, step);
    return q.executeStep() ? q.getColumn(0).getInt64() : -1;
  } catch (const SQLite::Exception&) {
    return -1;  // not created yet
  }
}

// Every row of a query as "v1|v2|...", in the query's order.
inline std::vector<std::string> dump(SQLite::Database& db, const std::string& sql) {
  std::vector<std::string> rows;
  SQLite::Statement statement(db, sql);
  while (statement.executeStep()) {
    std::string row;
    for (int i = 0; i < statement.getColumnCount(); ++i) {
      if (i > 0) row += '|';
      row += statement.getColumn(i).getString();
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// The settlement table of `dir` for `date`, ordered by seller.
inline std::vector<std::string> settlement_rows(const fs::path& dir, const std::string& date) {
  SQLite::Database db = open_read_only(dir / "settlement.db");
  return dump(db,
              "SELECT settlement_date, seller_id, txn_count, sales_cents, fee_cents, net_cents, last_txn_id "
              "FROM settlement WHERE settlement_date = '" +
                  date + "' ORDER BY seller_id");
}

// The transactions settle rejects (no tariff in the standard schedule, or
// not a sale), as SQL over transactions.
inline const char* const kRejectedTransaction = "(card_type = 'prepaid' OR amount_cents <= 0)";

// The dead-letter table of `dir`'s repository must hold exactly the day's
// rejected transactions, each once (none lost, none stored twice), as JSON
// payloads of settle's PROCESS skips. Returns how many there are.
inline int64_t expect_dead_letters_are_the_rejected_transactions(const fs::path& dir, const std::string& date) {
  SQLite::Database db = open_read_only(dir / "transactions.db");
  db.exec("ATTACH DATABASE '" + (dir / "batch.db").string() + "' AS r");
  std::vector<std::string> rejected = dump(db, "SELECT id FROM transactions WHERE txn_date = '" + date + "' AND " +
                                                   kRejectedTransaction + " ORDER BY id");
  std::vector<std::string> letters =
      dump(db, "SELECT json_extract(PAYLOAD, '$.id') FROM r.BATCH_DEAD_LETTER WHERE JOB_NAME = 'settlementJob' "
               "AND STEP_NAME = 'settle' AND PHASE = 'PROCESS' AND json_extract(PAYLOAD, '$.txn_date') = '" +
                   date + "' ORDER BY 1");
  EXPECT_EQ(letters, rejected);
  return static_cast<int64_t>(rejected.size());
}

// The settlement table must be the per-seller aggregation of the
// transactions settle accepts, computed here independently (fees by the
// standard tariff, integer cents rounded half-up), and the rejected ones
// must be in the dead-letter table, once each.
inline void expect_settlement_matches_transactions(const fs::path& dir, const std::string& date, int64_t count) {
  SQLite::Database db = open_read_only(dir / "transactions.db");
  EXPECT_EQ(query_long(db, "SELECT COUNT(*) FROM transactions WHERE txn_date = '" + date + "'"), count);
  db.exec("ATTACH DATABASE '" + (dir / "settlement.db").string() + "' AS s");
  const std::string expected =
      "SELECT txn_date, seller_id, COUNT(*), SUM(amount_cents),"
      " SUM(CASE card_type WHEN 'credit' THEN (amount_cents * 29 + 500) / 1000 + 30"
      "                    ELSE (amount_cents * 14 + 500) / 1000 + 25 END),"
      " MAX(id) FROM transactions WHERE txn_date = '" +
      date + "' AND NOT " + kRejectedTransaction + " GROUP BY seller_id ORDER BY seller_id";
  const std::string actual =
      "SELECT settlement_date, seller_id, txn_count, sales_cents, fee_cents, last_txn_id"
      " FROM s.settlement WHERE settlement_date = '" +
      date + "' ORDER BY seller_id";
  std::vector<std::string> want = dump(db, expected);
  std::vector<std::string> got = dump(db, actual);
  EXPECT_GT(want.size(), 1000u);  // ~5000 sellers, skewed
  EXPECT_EQ(got, want);
  EXPECT_EQ(query_long(db, "SELECT COUNT(*) FROM s.settlement WHERE net_cents != sales_cents - fee_cents"), 0);
  const int64_t rejected = expect_dead_letters_are_the_rejected_transactions(dir, date);
  EXPECT_GT(rejected, 0) << "the generator makes some transactions settle rejects";
  EXPECT_EQ(query_long(db, "SELECT IFNULL(SUM(txn_count), 0) FROM s.settlement WHERE settlement_date = '" + date + "'"),
            count - rejected);
}

// Polls `condition` every 20 ms until it holds or `timeout` passes.
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds timeout = std::chrono::seconds(120)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

}  // namespace cppbatch::testing::e2e
