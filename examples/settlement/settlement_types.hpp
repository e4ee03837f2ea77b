// The items of the settlement demo: a card transaction (what `generate`
// writes and `settle` reads) and a settlement line (one transaction with its
// fee computed, what `settle` aggregates per seller).
//
// Both are plain values without heap-allocated members (strings are short
// enough for the small-string buffer), so a chunk of them costs no
// per-item allocation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace settlement {

// PREPAID cards are rare (0.1 % of the generated sales) and have no tariff
// in the standard fee schedule: settle skips them into the dead-letter
// table until a schedule with a prepaid tariff is published.
enum class CardType { DEBIT, CREDIT, PREPAID };

// "debit" / "credit" / "prepaid": the text stored in transactions.card_type.
const char* to_string(CardType type);
// Parses the stored text; throws std::invalid_argument on anything else.
CardType parse_card_type(std::string_view text);

// One row of transactions.db's `transactions` table.
struct Transaction {
  int64_t id = 0;
  std::string txn_date;  // "YYYY-MM-DD"
  int64_t seller_id = 0;
  int64_t buyer_id = 0;
  int64_t amount_cents = 0;
  std::string currency;  // "USD"
  CardType card_type = CardType::DEBIT;

  bool operator==(const Transaction& other) const = default;
};

// One transaction as settlement sees it.
struct SettlementLine {
  int64_t seller_id = 0;
  int64_t amount_cents = 0;
  int64_t fee_cents = 0;
  int64_t txn_id = 0;

  bool operator==(const SettlementLine& other) const = default;
};

// JSON forms, the dead-letter payloads of settle's skipped items:
// {"id":..,"txn_date":"..","seller_id":..,"buyer_id":..,"amount_cents":..,
//  "currency":"USD","card_type":"prepaid"} and
// {"seller_id":..,"amount_cents":..,"fee_cents":..,"txn_id":..}.
void to_json(nlohmann::json& json, const Transaction& txn);
void from_json(const nlohmann::json& json, Transaction& txn);
void to_json(nlohmann::json& json, const SettlementLine& line);
void from_json(const nlohmann::json& json, SettlementLine& line);

}  // namespace settlement
