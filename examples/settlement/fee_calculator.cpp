#include "settlement/fee_calculator.hpp"

namespace settlement {

namespace {
// Rate in tenths of a percent (per mille) and fixed part, per card type.
struct Tariff {
  int64_t per_mille;
  int64_t fixed_cents;
};
constexpr Tariff kDebit{14, 25};
constexpr Tariff kCredit{29, 30};
}  // namespace

int64_t fee_cents(int64_t amount_cents, CardType card_type) {
  const Tariff& tariff = card_type == CardType::CREDIT ? kCredit : kDebit;
  // amount * rate / 1000, rounded half-up.
  return (amount_cents * tariff.per_mille + 500) / 1000 + tariff.fixed_cents;
}

}  // namespace settlement
