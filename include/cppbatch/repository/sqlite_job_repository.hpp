// SqliteJobRepository: the embedded default JobRepository, one SQLite file
// in WAL mode with Spring Batch 5's tables (docs/schema.md). Several
// processes may share the file: launches are serialized by BEGIN
// IMMEDIATE transactions, updates are checked by VERSION, and a process
// that died leaves a lease that the next launch recognizes.
//
// One connection per repository object, guarded by one recursive mutex:
// every method is thread-safe, and a transaction opened with
// transaction_manager().begin() keeps the connection for its thread until
// commit()/rollback() (other threads wait). A chunk's writer that uses the
// same file can join that transaction through database(), so items and
// checkpoint commit together.
//
//   SqliteRepositoryOptions options;
//   options.path = "batch.db";
//   auto repo = SqliteJobRepository::open(options);
//   if (!repo) { std::cerr << repo.error().to_string(); return 2; }
//   auto execution = (*repo)->create_job_execution("settlement", params);
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "cppbatch/common/clock.hpp"
#include "cppbatch/core/job_repository.hpp"
#include "cppbatch/repository/execution_lease.hpp"

namespace SQLite {
class Database;
}  // namespace SQLite

namespace cppbatch {

struct SqliteRepositoryOptions {
  // The database file; created (with its schema) if missing. Its directory
  // must exist. SQLite adds "-wal" and "-shm" files beside it while open,
  // and the repository a "-lock" file (its writers' turnstile).
  std::string path = "batch.db";

  // Prefix of every table and index name ([A-Za-z0-9_]+), as Spring's
  // tablePrefix. Several prefixes may share one file (separate repositories).
  std::string table_prefix = "BATCH_";

  // PRAGMA synchronous. In WAL mode both settings keep the database
  // consistent after a crash or power loss; they differ in what a power
  // loss (or OS crash) can cost. A process crash (kill -9) loses nothing
  // committed with either.
  // - NORMAL (default): the WAL is synced at checkpoints, not at each
  //   commit. A power loss may roll back the last transactions committed
  //   before it (the last few checkpoints and status changes); a restart
  //   then redoes those chunks — writers are idempotent or transactional by
  //   contract, so no item is lost or written twice. No fsync per chunk.
  // - FULL: the WAL is synced at every commit: nothing committed is lost on
  //   power loss, at the price of one fsync per chunk commit (from ~0.1 ms
  //   on NVMe to ~10 ms on spinning disks).
  enum class Synchronous { NORMAL, FULL };
  Synchronous synchronous = Synchronous::NORMAL;

  // How long a statement waits for another connection's lock before the
  // call fails with STORAGE ("database is locked"). Long enough to ride
  // out other processes' launches and chunk commits; shorten it only if a
  // caller prefers failing fast to waiting.
  std::chrono::milliseconds busy_timeout{30000};

  // When a running execution without heartbeats counts as dead.
  LeaseOptions lease;

  // Source of time for timestamps and leases; null = system_clock(). Not
  // owned; must outlive the repository.
  Clock* clock = nullptr;
};

class SqliteJobRepository final : public JobRepository {
 public:
  // Opens (creating if needed) the file and its schema: WAL journal,
  // `synchronous`, busy timeout, foreign keys on; CREATE ... IF NOT EXISTS
  // in one BEGIN IMMEDIATE transaction, so processes opening a new file at
  // once all succeed. Errors: INVALID_ARGUMENT for a bad table prefix;
  // STORAGE (naming the path and SQLite's message) when the file cannot be
  // opened, is not a SQLite database, or holds tables of another shape.
  static Result<std::unique_ptr<SqliteJobRepository>> open(const SqliteRepositoryOptions& options);

  ~SqliteJobRepository() override;
  SqliteJobRepository(const SqliteJobRepository&) = delete;
  SqliteJobRepository& operator=(const SqliteJobRepository&) = delete;

  // JobExplorer
  Result<std::vector<std::string>> job_names() override;
  Result<std::vector<JobInstance>> job_instances(std::string_view job_name, int64_t start, int64_t count) override;
  Result<JobInstance> job_instance(int64_t instance_id) override;
  Result<std::optional<JobInstance>> find_job_instance(std::string_view job_name,
                                                       const JobParameters& parameters) override;
  Result<std::unique_ptr<JobExecution>> job_execution(int64_t execution_id) override;
  Result<std::vector<std::unique_ptr<JobExecution>>> job_executions(const JobInstance& instance) override;
  Result<std::vector<std::unique_ptr<JobExecution>>> find_job_executions(const ExecutionQuery& query) override;
  Result<std::vector<std::unique_ptr<JobExecution>>> running_job_executions(std::string_view job_name) override;

  // JobRepository
  Result<std::unique_ptr<JobExecution>> last_job_execution(std::string_view job_name,
                                                           const JobParameters& parameters) override;
  Result<std::unique_ptr<JobExecution>> create_job_execution(std::string_view job_name,
                                                             const JobParameters& parameters) override;
  // Reads the stored STATUS and VERSION first: a STOPPING stored by
  // another process (an operator's stop) is absorbed — its version adopted
  // and a STARTING/STARTED in-memory status becomes STOPPING — while a
  // final status the engine writes (STOPPED, FAILED, COMPLETED) is written
  // as is. Any other version mismatch → CONFLICT; nothing changes.
  Result<void> update(JobExecution& execution) override;
  Result<void> update_execution_context(JobExecution& execution) override;
  Result<void> add(StepExecution& step) override;
  // One UPDATE of the step row, one of its context row when dirty, one
  // SELECT of the job's STATUS; in the transaction_manager() transaction
  // when this thread has one open, else in its own. On success the
  // version is bumped and the context marked clean at once: if the joined
  // transaction is later rolled back, the caller restores its copy of the
  // step execution (as Spring's TaskletStep does).
  Result<void> update(StepExecution& step) override;
  Result<void> update_execution_context(StepExecution& step) override;
  Result<std::optional<StepExecution>> last_step_execution(const JobInstance& instance,
                                                           std::string_view step_name) override;
  Result<int64_t> step_execution_count(const JobInstance& instance, std::string_view step_name) override;
  // CONFLICT if this process no longer holds the lease (released, or taken
  // away because another process found the execution dead).
  Result<void> heartbeat(const JobExecution& execution) override;
  // Deletes this process's lease row; succeeds if there is none.
  Result<void> release(const JobExecution& execution) override;
  // Deletes each execution's rows with one DELETE per table (children
  // first; ON DELETE CASCADE is not relied upon) in one BEGIN IMMEDIATE
  // transaction, rolled back for a dry run.
  Result<std::vector<ExecutionKey>> job_executions_created_before(std::string_view job_name,
                                                                  Timestamp cutoff) override;
  Result<ExecutionDeletion> delete_job_executions(const std::vector<int64_t>& execution_ids, bool dry_run) override;
  // begin(): takes the connection's mutex for this thread and runs BEGIN
  // IMMEDIATE; commit()/rollback() end the transaction and release the
  // mutex. Must be called from the thread that called begin().
  TransactionManager& transaction_manager() override;
  // <prefix>DEAD_LETTER in the same file; add()/update() join the
  // transaction_manager() transaction of this thread.
  DeadLetterStore& dead_letters() override;
  const LeaseOptions& lease_options() const override;
  Clock& clock() const override;

  // The lease held on an execution; nullopt if none.
  Result<std::optional<ExecutionLease>> lease(int64_t execution_id);

  // The repository's connection, for a writer that joins the chunk
  // transaction. Use it only between transaction_manager().begin() and
  // commit()/rollback(), on the thread that called begin(): the connection
  // is not otherwise protected. Never COMMIT or ROLLBACK through it.
  SQLite::Database& database();
  const SqliteRepositoryOptions& options() const;

  struct Impl;  // defined in src/repository/sqlite_impl.hpp

 private:
  explicit SqliteJobRepository(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cppbatch
