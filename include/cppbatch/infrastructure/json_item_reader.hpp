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
#include <utility>

#include "cppbatch/core/item_reader.hpp"
#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/infrastructure/json_element_reader.hpp"

namespace cppbatch {

template <class T>
class JsonItemReader : public ItemReader<T>, public ItemStream {
 public:
  using Mapper = std::function<T(const JsonValue&)>;

  // Throws std::invalid_argument on bad options or an empty mapper.
  JsonItemReader(JsonReaderOptions options, Mapper mapper)
      : elements_(std::move(options)), mapper_(std::move(mapper)) {
    if (!mapper_) throw std::invalid_argument("JsonItemReader: empty mapper");
  }

  // The next mapped element, or nullopt at the end of input.
  std::optional<T> read() override {
    const JsonValue* value = elements_.next();
    if (value == nullptr) return std::nullopt;
    try {
      return std::optional<T>(mapper_(*value));
    } catch (const ParseError&) {
      throw;
    } catch (const JsonValueError& e) {
      throw ParseError(elements_.options().path, elements_.line(), elements_.column(), e.key(),
                       std::string(elements_.raw()), e.what());
    } catch (const std::exception& e) {
      throw ParseError(elements_.options().path, elements_.line(), elements_.column(),
                       std::string(), std::string(elements_.raw()),
                       std::string("mapping failed: ") + e.what());
    }
  }

  void open(ExecutionContext& context) override { elements_.open(context); }
  void update(ExecutionContext& context) override { elements_.update(context); }
  void close() override { elements_.close(); }

  const JsonElementReader& elements() const { return elements_; }

 private:
  JsonElementReader elements_;
  Mapper mapper_;
};

}  // namespace cppbatch
