#include "settlement/settlement_types.hpp"

#include <stdexcept>

namespace settlement {

const char* to_string(CardType type) { return type == CardType::CREDIT ? "credit" : "debit"; }

CardType parse_card_type(std::string_view text) {
  if (text == "debit") return CardType::DEBIT;
  if (text == "credit") return CardType::CREDIT;
  throw std::invalid_argument("unknown card type '" + std::string(text) + "'");
}

}  // namespace settlement
