// ReportTasklet: the `report` step. Reads the day's settlement rows and
// writes settlement-report-<date>.txt into the workdir:
//
//   - totals: transactions, sellers, sales, fees, net;
//   - the transactions of the day in the dead-letter table, not settled
//     (skipped by settle and not resolved by a reprocessing since);
//   - a reconciliation against transactions.db (count and sum of amounts
//     for the date must equal the settlement totals plus the dead letters'
//     — every transaction is settled or in the dead-letter table, once —
//     else the step fails);
//   - the top 10 sellers by sales (ties by seller id).
//
// The content depends only on the data (no timestamps), so two runs with
// the same parameters write identical files. The file is written to a
// temporary name and renamed, so a reader never sees half a report and a
// restart simply rewrites it. Also logs a one-line summary.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cppbatch/core/job_repository.hpp"
#include "cppbatch/core/tasklet.hpp"
#include "settlement/settlement_parameters.hpp"

namespace settlement {

struct SellerLine {
  int64_t seller_id = 0, txn_count = 0, sales_cents = 0, fee_cents = 0, net_cents = 0;
};

struct SettlementSummary {
  std::string date;
  int64_t transactions = 0, sellers = 0, sales_cents = 0, fee_cents = 0, net_cents = 0;
  int64_t source_transactions = 0, source_amount_cents = 0;  // from transactions.db
  // Transactions of the day in the dead-letter table, not settled (each once).
  int64_t dead_letters = 0, dead_letter_amount_cents = 0;
  std::vector<SellerLine> top_sellers;  // at most 10, by sales

  bool reconciled() const {
    return transactions + dead_letters == source_transactions &&
           sales_cents + dead_letter_amount_cents == source_amount_cents;
  }
};

// "$1,234,567.89" (a leading '-' for negative amounts).
std::string format_cents(int64_t cents);
// The report's text.
std::string render_report(const SettlementSummary& summary);

class ReportTasklet final : public cppbatch::Tasklet {
 public:
  // `repository` (whose dead-letter table is read) must outlive the tasklet.
  ReportTasklet(std::shared_ptr<const ParameterScope> scope, cppbatch::JobRepository& repository)
      : scope_(std::move(scope)), repository_(repository) {}
  // Throws when a database cannot be read, the file cannot be written, or
  // the totals do not reconcile.
  cppbatch::RepeatStatus execute(cppbatch::StepContribution& contribution, cppbatch::ChunkContext& context) override;

 private:
  std::shared_ptr<const ParameterScope> scope_;
  cppbatch::JobRepository& repository_;
};

}  // namespace settlement
