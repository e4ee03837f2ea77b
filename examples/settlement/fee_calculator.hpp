// FeeCalculator: the processor of the `settle` step. Turns a transaction
// into a settlement line carrying the card scheme's fee, in integer cents:
//
//   debit   1.4 % of the amount + 25 cents
//   credit  2.9 % of the amount + 30 cents
//
// The percentage is rounded half-up to the cent (amounts are positive), so
// the fee is a pure function of (amount, card type): deterministic, no
// floating point. Stateless and thread-safe.
#pragma once

#include <cstdint>
#include <optional>

#include "cppbatch/core/item_processor.hpp"
#include "settlement/settlement_types.hpp"

namespace settlement {

// The fee of one transaction, in cents. Precondition: amount_cents >= 0.
int64_t fee_cents(int64_t amount_cents, CardType card_type);

class FeeCalculator final : public cppbatch::ItemProcessor<Transaction, SettlementLine> {
 public:
  std::optional<SettlementLine> process(const Transaction& txn) override {
    return SettlementLine{txn.seller_id, txn.amount_cents, fee_cents(txn.amount_cents, txn.card_type), txn.id};
  }
};

}  // namespace settlement
