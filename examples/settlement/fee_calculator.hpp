// FeeCalculator: the processor of the `settle` step. Turns a transaction
// into a settlement line carrying the card scheme's fee, in integer cents,
// from the fee schedule in force:
//
//   standard schedule    debit   1.4 % of the amount + 25 cents
//                        credit  2.9 % of the amount + 30 cents
//                        (no prepaid tariff)
//
// A file `fee-schedule.txt` in the workdir, when present, replaces it —
// how an operator publishes a corrected schedule (docs/settlement-demo.md):
//
//   # card type   per mille of the amount   fixed cents
//   debit    14  25
//   credit   29  30
//   prepaid  19  20
//
// The percentage is rounded half-up to the cent, so the fee is a pure
// function of (amount, tariff): deterministic, no floating point.
//
// Rejected transactions (skipped by `settle` into the dead-letter table):
// a card type without a tariff (UnknownFeeClass) and an amount that is not
// positive (MalformedTransaction: a refund keyed as a sale).
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>

#include "cppbatch/core/item_processor.hpp"
#include "cppbatch/core/item_stream.hpp"
#include "settlement/settlement_types.hpp"

namespace settlement {

// A transaction settle cannot settle as it stands.
class RejectedTransaction : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
class UnknownFeeClass final : public RejectedTransaction {
 public:
  using RejectedTransaction::RejectedTransaction;
};
class MalformedTransaction final : public RejectedTransaction {
 public:
  using RejectedTransaction::RejectedTransaction;
};

// Rate in tenths of a percent (per mille) and fixed part.
struct Tariff {
  int64_t per_mille = 0;
  int64_t fixed_cents = 0;
};

// The fee of `amount_cents` under `tariff`. Precondition: amount_cents >= 0.
int64_t fee_cents(int64_t amount_cents, const Tariff& tariff);
// Under the standard schedule (debit or credit).
int64_t fee_cents(int64_t amount_cents, CardType card_type);

class FeeSchedule {
 public:
  // Debit and credit as above; no prepaid tariff.
  static FeeSchedule standard();
  // `path` when the file exists, else standard(). Throws
  // std::runtime_error naming the file and line of a malformed entry.
  static FeeSchedule load(const std::filesystem::path& path);

  // The tariff of a card type; null when the schedule has none.
  const Tariff* find(CardType type) const;
  void set(CardType type, Tariff tariff) { tariffs_[static_cast<size_t>(type)] = tariff; }
  // "standard" or the file it came from.
  const std::string& name() const { return name_; }

 private:
  std::array<std::optional<Tariff>, 3> tariffs_;
  std::string name_ = "standard";
};

inline constexpr const char* kFeeScheduleFile = "fee-schedule.txt";

class FeeCalculator final : public cppbatch::ItemProcessor<Transaction, SettlementLine>, public cppbatch::ItemStream {
 public:
  // `workdir` is asked at open() where fee-schedule.txt may be.
  explicit FeeCalculator(std::function<std::filesystem::path()> workdir) : workdir_(std::move(workdir)) {}

  // Loads the schedule in force.
  void open(cppbatch::ExecutionContext& context) override;

  // Throws UnknownFeeClass / MalformedTransaction for a rejected transaction.
  std::optional<SettlementLine> process(const Transaction& txn) override;

 private:
  std::function<std::filesystem::path()> workdir_;
  FeeSchedule schedule_ = FeeSchedule::standard();
};

}  // namespace settlement
