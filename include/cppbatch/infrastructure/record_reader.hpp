// RecordReader: an untyped, restartable source of FieldSets read from a
// text file — what typed readers map to items, and what the multi-line
// reader aggregates. Implemented by DelimitedRecordReader (delimited
// records, quotes may span lines) and FlatFileRecordReader (one record per
// line, split by a LineTokenizer: fixed-length, pattern matching...).
//
//   std::unique_ptr<RecordReader> records = std::make_unique<FlatFileRecordReader>(
//       FlatFileReaderOptions{.path = "trades.txt"},
//       std::make_unique<FixedLengthTokenizer>(FixedLengthTokenizerOptions{...}));
//   records->open(ctx);
//   while (const FieldSet* fs = records->next()) ...
//
// Not thread-safe.
#pragma once

#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/infrastructure/field_set.hpp"

namespace cppbatch {

class RecordReader : public ItemStream {
 public:
  // Where the next record starts: byte offset (uncompressed), physical
  // lines before it, records delivered before it.
  struct Position {
    int64_t offset = 0;
    int64_t line = 0;
    int64_t count = 0;
  };

  // The next record, or nullptr at end of input (and after). Valid until
  // the next call to next() or close(). A malformed record throws
  // ParseError after being consumed (the next call continues after it).
  // Throws std::logic_error before open().
  virtual const FieldSet* next() = 0;
  // The position of the next record.
  virtual Position position() const = 0;
  // Saves `at` (a position() taken earlier in this run) as the restart
  // point instead of the current one: open() with that context resumes
  // there. A reader that aggregates records commits this way the start of
  // an aggregate it has not finished.
  virtual void update(ExecutionContext& context, const Position& at) = 0;
  // Saves the current position.
  void update(ExecutionContext& context) override { update(context, position()); }
  // The file read (for messages).
  virtual const std::string& resource() const = 0;
};

// True when `mapper` is an empty std::function or a null function pointer
// (typed readers refuse those at construction).
template <class Mapper>
bool is_empty_mapper(const Mapper& mapper) {
  if constexpr (std::is_pointer_v<Mapper> || std::is_member_pointer_v<Mapper>) {
    return mapper == nullptr;
  } else if constexpr (requires { typename Mapper::result_type; mapper.target_type(); }) {
    return !mapper;  // std::function
  } else {
    return false;
  }
}

// item.emplace(make()) without moving what make() returns: the item is
// built in place, in the optional (a move of an item holding strings costs
// as much as a small parse).
template <class T, class F>
void emplace_result(std::optional<T>& item, F&& make) {
  struct Result {
    F& make;
    operator T() const { return make(); }  // NOLINT(google-explicit-constructor): the point
  };
  item.emplace(Result{make});
}

// Reads `fields` into a new item (see map_fields below).
template <class T, class Mapper>
std::optional<T> map_record(Mapper& mapper, const FieldSet& fields);

// Calls `mapper(fields)`; any exception other than a ParseError becomes a
// ParseError located at the record (reason "mapping failed: <what()>"),
// so every typed reader reports mapping failures the same way.
template <class T, class Mapper>
T map_fields(Mapper& mapper, const FieldSet& fields) {
  try {
    return mapper(fields);
  } catch (const ParseError&) {
    throw;
  } catch (const std::exception& e) {
    throw ParseError(std::string(fields.resource()), fields.line_number(), 0, std::string(),
                     std::string(fields.raw_line()), std::string("mapping failed: ") + e.what());
  }
}

template <class T, class Mapper>
std::optional<T> map_record(Mapper& mapper, const FieldSet& fields) {
  std::optional<T> item;
  emplace_result(item, [&] { return map_fields<T>(mapper, fields); });
  return item;
}

}  // namespace cppbatch
