#include "settlement/settlement_types.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace settlement {

const char* to_string(CardType type) {
  switch (type) {
    case CardType::DEBIT: return "debit";
    case CardType::CREDIT: return "credit";
    case CardType::PREPAID: return "prepaid";
  }
  return "?";
}

CardType parse_card_type(std::string_view text) {
  if (text == "debit") return CardType::DEBIT;
  if (text == "credit") return CardType::CREDIT;
  if (text == "prepaid") return CardType::PREPAID;
  throw std::invalid_argument("unknown card type '" + std::string(text) + "'");
}

void to_json(nlohmann::json& json, const Transaction& txn) {
  json = {{"id", txn.id},
          {"txn_date", txn.txn_date},
          {"seller_id", txn.seller_id},
          {"buyer_id", txn.buyer_id},
          {"amount_cents", txn.amount_cents},
          {"currency", txn.currency},
          {"card_type", to_string(txn.card_type)}};
}

void from_json(const nlohmann::json& json, Transaction& txn) {
  json.at("id").get_to(txn.id);
  json.at("txn_date").get_to(txn.txn_date);
  json.at("seller_id").get_to(txn.seller_id);
  json.at("buyer_id").get_to(txn.buyer_id);
  json.at("amount_cents").get_to(txn.amount_cents);
  json.at("currency").get_to(txn.currency);
  txn.card_type = parse_card_type(json.at("card_type").get<std::string>());
}

void to_json(nlohmann::json& json, const SettlementLine& line) {
  json = {{"seller_id", line.seller_id},
          {"amount_cents", line.amount_cents},
          {"fee_cents", line.fee_cents},
          {"txn_id", line.txn_id}};
}

void from_json(const nlohmann::json& json, SettlementLine& line) {
  json.at("seller_id").get_to(line.seller_id);
  json.at("amount_cents").get_to(line.amount_cents);
  json.at("fee_cents").get_to(line.fee_cents);
  json.at("txn_id").get_to(line.txn_id);
}

}  // namespace settlement
