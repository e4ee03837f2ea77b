// settlementJob — the nightly card settlement demo (docs/settlement-demo.md).
//
//   cppbatch run settlementJob date=2026-11-21,date [count=20000,long] [workdir=/data,string,false]
//
//          [date, count, workdir]
//                    |
//  +-----------------v------------------------------------------+
//  | generate                                      chunk 5,000  |
//  |   TransactionGenerator -> SqliteBatchWriter                |---> transactions.db
//  |   splitmix64(date, i)     upsert on id                     |           |
//  +-----------------+------------------------------------------+           |
//                    |                                                      |
//  +-----------------v------------------------------------------+           |
//  | settle                                          chunk 200  |<----------+
//  |   SqliteCursorReader -> FeeCalculator -> SettlementWriter  |
//  |   txn_date = :date      debit 1.4%+25c   per-seller        |---> settlement.db
//  |   ORDER BY id,          credit 2.9%+30c  upsert, high-     |           |
//  |   restart after id      (fee schedule)   water mark        |           |
//  |   rejected -> skipped into the dead-letter table;          |           |
//  |   transient writer error -> retried (3, back-off)          |           |
//  +-----------------+------------------------------------------+           |
//                    |                                                      |
//  +-----------------v------------------------------------------+           |
//  | report                                            tasklet  |<----------+
//  |   totals, reconciliation, top 10 sellers                   |---> settlement-report-<date>.txt
//  +------------------------------------------------------------+
//
// Parameters (settlement_parameters.hpp): date (date, required,
// identifying); count (long, default 1,000,000); workdir (string,
// non-identifying, default the current directory) where the two databases
// and the report live; run.id (from `run --next`). The job is restartable:
// each step resumes at its last checkpoint, and a re-run never counts a
// transaction twice (settlement_writer.hpp).
#pragma once

#include <cstddef>
#include <memory>

#include "cppbatch/core/job.hpp"
#include "cppbatch/core/job_registry.hpp"
#include "cppbatch/core/job_repository.hpp"

namespace settlement {

inline constexpr const char* kJobName = "settlementJob";
inline constexpr const char* kJobDescription = "nightly settlement: date (date), count (long, default 1000000)";
inline constexpr size_t kGenerateChunkSize = 5'000;
// The settle step's chunk size. Restart re-forms the chunks from the
// checkpoint; the writer's high-water mark makes that exact whatever the
// size, but keep it fixed so counters compare across executions.
inline constexpr size_t kSettleChunkSize = 200;
// settle's fault tolerance: a transient writer error is attempted this many
// times in all (exponential back-off); rejected transactions (no tariff,
// malformed) are skipped into the dead-letter table, at most this many per
// execution.
inline constexpr int64_t kSettleAttempts = 3;
inline constexpr int64_t kSettleSkipLimit = 10'000;
// A dead letter failing this many reprocessing attempts is parked.
inline constexpr int64_t kReprocessingAttempts = 2;

// A new settlementJob whose steps use `repository` (which must outlive it).
std::unique_ptr<cppbatch::Job> make_settlement_job(cppbatch::JobRepository& repository);

// settlementJob.dlq: settle's dead letters through FeeCalculator (with the
// fee schedule in force) and LateSettlementWriter. Parameters: workdir
// (default the current directory), error.type, status, run.id.
std::unique_ptr<cppbatch::Job> make_settlement_reprocessing_job(cppbatch::JobRepository& repository);

}  // namespace settlement

namespace cppbatch {

// Registers settlementJob and its dead-letter reprocessing,
// settlementJob.dlq (what apps/cppbatch/main.cpp calls). Throws
// std::logic_error if the registry already has a job of either name.
void register_settlement_job(JobRegistry& registry);

}  // namespace cppbatch
