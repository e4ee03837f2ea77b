#include "settlement/transaction_generator.hpp"

#include <chrono>

namespace settlement {

namespace {
constexpr std::string_view kIndexKey = "generator.index";
}  // namespace

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

int64_t date_serial(cppbatch::Date date) { return std::chrono::sys_days(date).time_since_epoch().count(); }

Transaction make_transaction(cppbatch::Date date, const std::string& date_text, int64_t index) {
  const int64_t serial = date_serial(date);
  uint64_t state = static_cast<uint64_t>(serial) * 0xD1B54A32D192ED03ULL ^ static_cast<uint64_t>(index);
  splitmix64(state);  // decorrelate neighbouring seeds

  Transaction t;
  t.id = serial * kIdsPerDate + index + 1;
  t.txn_date = date_text;
  // Seller: the square of a uniform 32-bit value, scaled to [1, kSellers],
  // favours low ids (seller 1 has ~1.4 % of the sales, seller 5000 ~0.01 %).
  const uint64_t u = splitmix64(state) >> 32;
  t.seller_id = 1 + static_cast<int64_t>((((u * u) >> 32) * static_cast<uint64_t>(kSellers)) >> 32);
  t.buyer_id = 1 + static_cast<int64_t>(splitmix64(state) % static_cast<uint64_t>(kBuyers));
  // Amount: mostly $1.00–$200.00, one in ten up to $5,000.00 more.
  const uint64_t a = splitmix64(state);
  t.amount_cents = 100 + static_cast<int64_t>(a % 19'901);
  if ((a >> 40) % 10 == 0) t.amount_cents += static_cast<int64_t>((a >> 20) % 500'000);
  t.currency = "USD";
  // 60 % debit, 39.9 % credit, 0.1 % prepaid.
  const uint64_t card = splitmix64(state) % 1000;
  t.card_type = card < 600 ? CardType::DEBIT : card < 999 ? CardType::CREDIT : CardType::PREPAID;
  // One in kMalformedEvery is a refund keyed as a sale: a negative amount.
  if (splitmix64(state) % kMalformedEvery == 0) t.amount_cents = -t.amount_cents;
  return t;
}

void TransactionGenerator::open(cppbatch::ExecutionContext& context) {
  const SettlementParameters& p = scope_->get();
  date_ = p.date;
  date_text_ = p.date_text;
  count_ = p.count;
  next_ = context.get_long(kIndexKey).value_or(0);
}

std::optional<Transaction> TransactionGenerator::read() {
  if (next_ >= count_) return std::nullopt;
  return make_transaction(date_, date_text_, next_++);
}

void TransactionGenerator::update(cppbatch::ExecutionContext& context) { context.put_long(kIndexKey, next_); }

}  // namespace settlement
