#include "settlement/fee_calculator.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace settlement {

int64_t fee_cents(int64_t amount_cents, const Tariff& tariff) {
  // amount * rate / 1000, rounded half-up.
  return (amount_cents * tariff.per_mille + 500) / 1000 + tariff.fixed_cents;
}

int64_t fee_cents(int64_t amount_cents, CardType card_type) {
  static const FeeSchedule kStandard = FeeSchedule::standard();
  const Tariff* tariff = kStandard.find(card_type);
  if (tariff == nullptr) throw UnknownFeeClass(fmt::format("no tariff for {} cards", to_string(card_type)));
  return fee_cents(amount_cents, *tariff);
}

FeeSchedule FeeSchedule::standard() {
  FeeSchedule schedule;
  schedule.set(CardType::DEBIT, Tariff{14, 25});
  schedule.set(CardType::CREDIT, Tariff{29, 30});
  return schedule;
}

FeeSchedule FeeSchedule::load(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return standard();
  FeeSchedule schedule;
  schedule.name_ = path.string();
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string type;
    Tariff tariff;
    std::string rest;
    if (!(fields >> type >> tariff.per_mille >> tariff.fixed_cents) || (fields >> rest) || tariff.per_mille < 0 ||
        tariff.fixed_cents < 0) {
      throw std::runtime_error(fmt::format("{}:{}: expected 'card_type per_mille fixed_cents', got '{}'",
                                           path.string(), number, line));
    }
    try {
      schedule.set(parse_card_type(type), tariff);
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(fmt::format("{}:{}: {}", path.string(), number, e.what()));
    }
  }
  return schedule;
}

const Tariff* FeeSchedule::find(CardType type) const {
  const auto& tariff = tariffs_[static_cast<size_t>(type)];
  return tariff ? &*tariff : nullptr;
}

void FeeCalculator::open(cppbatch::ExecutionContext& context) {
  (void)context;
  schedule_ = FeeSchedule::load(workdir_() / kFeeScheduleFile);
}

std::optional<SettlementLine> FeeCalculator::process(const Transaction& txn) {
  if (txn.amount_cents <= 0) {
    throw MalformedTransaction(fmt::format("transaction {}: amount {} cents is not a sale (refund keyed as a sale?)",
                                           txn.id, txn.amount_cents));
  }
  const Tariff* tariff = schedule_.find(txn.card_type);
  if (tariff == nullptr) {
    throw UnknownFeeClass(fmt::format("transaction {}: the {} fee schedule has no tariff for {} cards", txn.id,
                                      schedule_.name(), to_string(txn.card_type)));
  }
  return SettlementLine{txn.seller_id, txn.amount_cents, fee_cents(txn.amount_cents, *tariff), txn.id};
}

}  // namespace settlement
