// TransactionGenerator: the reader of the `generate` step. It makes up the
// day's card transactions instead of reading them, deterministically: item
// i of a date is computed from a splitmix64 stream seeded by (date, i)
// alone, so the same parameters always give the same rows, whatever chunk
// or restart produced them.
//
// Shape of the data: ~kSellers sellers with a skewed share of the sales
// (seller 1 sells most), 1,000,000 buyers, amounts from $1 to a few
// thousand dollars, 60 % debit / 39.9 % credit / 0.1 % prepaid, all in USD.
// Like a real feed it is not clean: about one transaction in
// kMalformedEvery has a negative amount (a refund keyed as a sale), and
// prepaid cards have no tariff in the standard fee schedule — `settle`
// skips both into the dead-letter table.
//
// Ids: date_serial * kIdsPerDate + i + 1, where date_serial is the date's
// day number since 1970-01-01. Ids are unique across dates in one table
// and increase with i, so "ORDER BY id" is generation order.
//
// Restart: an ItemStream saving "generator.index" (the next i) at every
// checkpoint; open() resumes there.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "cppbatch/core/item_reader.hpp"
#include "cppbatch/core/item_stream.hpp"
#include "settlement/settlement_parameters.hpp"
#include "settlement/settlement_types.hpp"

namespace settlement {

inline constexpr int64_t kSellers = 5'000;
inline constexpr int64_t kBuyers = 1'000'000;
inline constexpr uint64_t kMalformedEvery = 20'000;

// splitmix64 (Steele, Lea, Flood 2014): advances `state` and returns the
// next 64 random bits.
uint64_t splitmix64(uint64_t& state);

// The day number of `date` since 1970-01-01.
int64_t date_serial(cppbatch::Date date);

// Transaction i (0-based) of `date`. Pure.
Transaction make_transaction(cppbatch::Date date, const std::string& date_text, int64_t index);

class TransactionGenerator final : public cppbatch::ItemReader<Transaction>, public cppbatch::ItemStream {
 public:
  // `scope` supplies date and count once the step has started.
  explicit TransactionGenerator(std::shared_ptr<const ParameterScope> scope) : scope_(std::move(scope)) {}

  std::optional<Transaction> read() override;
  void open(cppbatch::ExecutionContext& context) override;
  void update(cppbatch::ExecutionContext& context) override;

 private:
  std::shared_ptr<const ParameterScope> scope_;
  cppbatch::Date date_{};
  std::string date_text_;
  int64_t count_ = 0;
  int64_t next_ = 0;
};

}  // namespace settlement
