// DelimitedFileReader<T>: a restartable ItemReader over a delimited text
// file (CSV, TSV, pipe-separated...), mapping each record's FieldSet to a T
// with a mapper given at construction — Spring's FlatFileItemReader with a
// DelimitedLineTokenizer. Options and restart keys: DelimitedReaderOptions
// (delimited_record_reader.hpp) and docs/item-io.md.
//
//   struct Player { std::string id; std::string last; int64_t born; };
//   DelimitedFileReader<Player> reader(
//       {.path = "player.csv", .names = {"id", "last", "first", "pos", "born", "debut"}},
//       [](const FieldSet& fs) {
//         return Player{std::string(fs.read_string("id")), std::string(fs.read_string(1)),
//                       fs.read_long("born")};
//       });
//   reader.open(ctx);
//   while (auto p = reader.read()) ...
//
// DelimitedFileReader<Player> holds the mapper in a std::function. Leaving
// the template arguments out (`DelimitedFileReader reader(options, map)`)
// deduces T from the mapper and keeps the mapper's own type, so the call
// inlines — the form to use on hot paths. A factory returning a
// std::unique_ptr names it: DelimitedFileReader<Player, decltype(&map)>.
//
// Errors: a malformed record or a bad value throws ParseError (file, line,
// column, field, raw line); any other exception from the mapper is wrapped
// into a ParseError with the file and line. Either way the record is
// consumed, so a skip policy can skip it and reading continues. The mapper
// must copy what it keeps out of the FieldSet (its views die at the next
// read). Not thread-safe (see DelimitedRecordReader).
#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <string>
#include <utility>

#include "cppbatch/core/item_reader.hpp"
#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/infrastructure/delimited_record_reader.hpp"

namespace cppbatch {

// Mapper: std::function by default, so `DelimitedFileReader<T>` takes any mapper
// at run time; with the mapper's own type (deduced from the constructor's
// arguments, see below) the call is direct and inlines.
template <class T, class Mapper = std::function<T(const FieldSet&)>>
  requires std::is_invocable_r_v<T, Mapper&, const FieldSet&>
class DelimitedFileReader : public ItemReader<T>, public ItemStream {
 public:

  // Throws std::invalid_argument on bad options or an empty mapper.
  DelimitedFileReader(DelimitedReaderOptions options, Mapper mapper)
      : records_(std::move(options)), mapper_(std::move(mapper)) {
    if (is_empty_mapper(mapper_)) throw std::invalid_argument("DelimitedFileReader: empty mapper");
  }

  // The next mapped item, or nullopt at end of input.
  std::optional<T> read() override {
    const FieldSet* fields = records_.next();
    if (fields == nullptr) return std::nullopt;
    return map_record<T>(mapper_, *fields);
  }

  void open(ExecutionContext& context) override { records_.open(context); }
  void update(ExecutionContext& context) override { records_.update(context); }
  void close() override { records_.close(); }

  const DelimitedRecordReader& records() const { return records_; }

 private:
  DelimitedRecordReader records_;
  Mapper mapper_;
};

// `DelimitedFileReader reader(options, map)`: T is what the mapper returns
// and the mapper keeps its own type (a direct, inlinable call).
template <class F>
DelimitedFileReader(DelimitedReaderOptions, F)
    -> DelimitedFileReader<std::invoke_result_t<std::decay_t<F>&, const FieldSet&>, std::decay_t<F>>;

}  // namespace cppbatch
