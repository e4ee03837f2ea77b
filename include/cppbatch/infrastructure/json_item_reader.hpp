// JsonItemReader<T>: a restartable ItemReader over a JSON array file or a
// JSON Lines file, mapping each element to a T with a mapper given at
// construction (Spring's JsonItemReader). Streaming, restart by byte
// offset, formats and options: JsonElementReader (json_element_reader.hpp)
// and docs/io-json-xml.md.
//
//   struct Trade { std::string isin; int64_t quantity; double price; };
//   JsonItemReader<Trade> reader(
//       {.path = "trades.jsonl", .format = JsonFormat::LINES},
//       [](const JsonValue& j) {
//         return Trade{std::string(j.get_string("isin")), j.get_long("quantity"),
//                      j.get_double("price")};
//       });
//   reader.open(ctx);
//   while (auto t = reader.read()) ...
//
//   JsonItemReader<Record> records({.path = "players.json"}, JsonRecordMapper{});
//
// The mapper takes a `const JsonValue&` (the fully parsed element, random
// access) or a `const JsonCursor&` (members by key, read lazily from JSON
// Lines: the fast form for record-like lines, see json_cursor.hpp). The
// mapper's type is the reader's second template argument:
// JsonItemReader<Trade> holds a std::function taking a JsonValue; leaving
// the arguments out (`JsonItemReader reader(options, map)`) deduces T and
// keeps the mapper's own type, so the call inlines and a JsonCursor mapper
// is recognised. A mapper that accepts both (a generic lambda) gets the
// JsonValue.
//
// Errors: malformed JSON throws ParseError (file, line, column, raw
// element); a JsonValueError from the mapper (missing member, wrong type)
// becomes a ParseError naming the member as its field, any other exception
// a ParseError "mapping failed: ...". Either way the element is consumed,
// so a skip policy can skip it and reading continues. Not thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "cppbatch/core/item_reader.hpp"
#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/infrastructure/json_cursor.hpp"
#include "cppbatch/infrastructure/json_element_reader.hpp"
#include "cppbatch/infrastructure/record_reader.hpp"

namespace cppbatch {

namespace internal {

// What a JSON mapper takes: a JsonValue when it can, else a JsonCursor.
template <class Mapper>
using JsonMapperArgument =
    std::conditional_t<std::is_invocable_v<Mapper&, const JsonValue&>, const JsonValue&, const JsonCursor&>;

}  // namespace internal

template <class T, class Mapper = std::function<T(const JsonValue&)>>
  requires std::is_invocable_r_v<T, Mapper&, const JsonValue&> ||
           std::is_invocable_r_v<T, Mapper&, const JsonCursor&>
class JsonItemReader : public ItemReader<T>, public ItemStream {
 public:
  // Throws std::invalid_argument on bad options or an empty mapper.
  JsonItemReader(JsonReaderOptions options, Mapper mapper)
      : elements_(std::move(options)), mapper_(std::move(mapper)) {
    if (is_empty_mapper(mapper_)) throw std::invalid_argument("JsonItemReader: empty mapper");
  }

  // The next mapped element, or nullopt at the end of input.
  std::optional<T> read() override {
    if constexpr (kCursor) {
      const JsonCursor* cursor = elements_.next_cursor();
      if (cursor == nullptr) return std::nullopt;
      if (cursor->lazy()) return read_lazy(*cursor);
      return map([&] { return mapper_(*cursor); });
    } else {
      const JsonValue* value = elements_.next();
      if (value == nullptr) return std::nullopt;
      return map([&] { return mapper_(*value); });
    }
  }

  void open(ExecutionContext& context) override { elements_.open(context); }
  void update(ExecutionContext& context) override { elements_.update(context); }
  void close() override { elements_.close(); }

  const JsonElementReader& elements() const { return elements_; }

 private:
  static constexpr bool kCursor = !std::is_invocable_v<Mapper&, const JsonValue&>;

  // call()'s item; its exceptions become ParseErrors at the element.
  template <class F>
  std::optional<T> map(F&& call) {
    std::optional<T> item;
    try {
      emplace_result(item, call);
    } catch (const ParseError&) {
      throw;
    } catch (const std::exception& e) {
      elements_.fail_mapping(e);
    }
    return item;
  }

  // A lazily read line: mapped, then confirmed to be exactly one value;
  // when a lazy read fails, the fully parsed line is mapped instead, which
  // reports a malformed line or the member exactly.
  std::optional<T> read_lazy(const JsonCursor& cursor) {
    std::optional<T> item;
    try {
      emplace_result(item, [&] { return mapper_(cursor); });
    } catch (const JsonValueError&) {
      // below
    } catch (const ParseError&) {
      elements_.confirm_cursor();
      throw;
    } catch (const std::exception& e) {
      elements_.confirm_cursor();
      elements_.fail_mapping(e);
    }
    elements_.confirm_cursor();  // ParseError: the line was not exactly one value
    if (!item) item = map([&] { return mapper_(elements_.reparse()); });
    return item;
  }

  JsonElementReader elements_;
  Mapper mapper_;
};

// `JsonItemReader reader(options, map)`: T is what the mapper returns and
// the mapper keeps its own type.
template <class F>
JsonItemReader(JsonReaderOptions, F)
    -> JsonItemReader<std::invoke_result_t<std::decay_t<F>&, internal::JsonMapperArgument<std::decay_t<F>>>,
                      std::decay_t<F>>;

}  // namespace cppbatch
