// FlatFileReader<T>: a restartable ItemReader over a line-based text file
// (fixed-length, mixed kinds of lines, any LineTokenizer), mapping each
// line's FieldSet to a T — Spring's FlatFileItemReader. Options and
// restart keys: FlatFileRecordReader (flat_file_record_reader.hpp) and
// docs/io-flat-files.md.
//
//   struct Trade { std::string isin; int64_t quantity; double price; std::string customer; };
//   FlatFileReader<Trade> reader(
//       {.path = "trades.txt.gz"},
//       std::make_unique<FixedLengthTokenizer>(FixedLengthTokenizerOptions{
//           .columns = parse_column_ranges("1-12, 13-15, 16-20, 21-29"),
//           .names = {"isin", "quantity", "price", "customer"}}),
//       [](const FieldSet& fs) {
//         return Trade{std::string(fs.read_string("isin")), fs.read_long("quantity"),
//                      fs.read_double("price"), std::string(fs.read_string("customer"))};
//       });
//   // or, for generic records: FlatFileReader<Record>(options, tokenizer, RecordMapper());
//
// FlatFileReader<Trade> holds the mapper in a std::function. Leaving the
// template arguments out (`FlatFileReader reader(options, tokenizer, map)`)
// deduces T from the mapper and keeps the mapper's own type, so the call
// inlines — the form to use on hot paths. A factory returning a
// std::unique_ptr names it: FlatFileReader<Trade, decltype(map)>.
//
// Errors: ParseError (resource, line, column, field, raw line) for a line
// the tokenizer rejects or a bad value; any other mapper exception is
// wrapped into one. The line is consumed either way, so a skip policy can
// skip it. Not thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "cppbatch/core/item_reader.hpp"
#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/infrastructure/flat_file_record_reader.hpp"

namespace cppbatch {

// Mapper: std::function by default, so `FlatFileReader<T>` takes any mapper
// at run time; with the mapper's own type (deduced from the constructor's
// arguments, see below) the call is direct and inlines.
template <class T, class Mapper = std::function<T(const FieldSet&)>>
  requires std::is_invocable_r_v<T, Mapper&, const FieldSet&>
class FlatFileReader : public ItemReader<T>, public ItemStream {
 public:

  // std::invalid_argument on bad options, a null tokenizer or an empty mapper.
  FlatFileReader(FlatFileReaderOptions options, std::unique_ptr<LineTokenizer> tokenizer,
                 Mapper mapper)
      : records_(std::move(options), std::move(tokenizer)), mapper_(std::move(mapper)) {
    if (is_empty_mapper(mapper_)) throw std::invalid_argument("FlatFileReader: empty mapper");
  }

  // The next mapped item, or nullopt at the end of the input.
  std::optional<T> read() override {
    const FieldSet* fields = records_.next();
    if (fields == nullptr) return std::nullopt;
    return map_record<T>(mapper_, *fields);
  }

  void open(ExecutionContext& context) override { records_.open(context); }
  void update(ExecutionContext& context) override { records_.update(context); }
  void close() override { records_.close(); }

  FlatFileRecordReader& records() { return records_; }

 private:
  FlatFileRecordReader records_;
  Mapper mapper_;
};

// `FlatFileReader reader(options, tokenizer, map)`: T is what the mapper
// returns and the mapper keeps its own type (a direct, inlinable call).
template <class F>
FlatFileReader(FlatFileReaderOptions, std::unique_ptr<LineTokenizer>, F)
    -> FlatFileReader<std::invoke_result_t<std::decay_t<F>&, const FieldSet&>, std::decay_t<F>>;

}  // namespace cppbatch
