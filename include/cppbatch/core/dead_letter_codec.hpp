// DeadLetterCodec<T>: how an item is kept in a dead letter's payload and
// turned back into an item for reprocessing. The default, json_codec<T>(),
// uses nlohmann::json's to_json/from_json for T (found by ADL), so an item
// type with those two functions needs nothing else:
//
//   void to_json(nlohmann::json& j, const Txn& t) { j = {{"id", t.id}, {"amount", t.amount}}; }
//   void from_json(const nlohmann::json& j, Txn& t) { j.at("id").get_to(t.id); j.at("amount").get_to(t.amount); }
//   ...fault_tolerant().skip<BadTxn>().dead_letters()               // json_codec<Txn>() for input and output
//   ...fault_tolerant().skip<BadRow>().dead_letters(DeadLetterCodec<Record>{record_to_text, record_from_text}, ...)
//
// serialize must be deterministic (the same item gives the same text);
// deserialize throws when the text is not a valid item (the reprocessing
// counts that as a failed attempt). Either may be empty where it is not
// needed (a step that never reprocesses needs no deserialize).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <type_traits>

#include <nlohmann/json.hpp>

namespace cppbatch {

template <class T>
struct DeadLetterCodec {
  std::function<std::string(const T&)> serialize;
  std::function<T(std::string_view)> deserialize;
};

// Types nlohmann::json converts both ways.
template <class T>
concept JsonConvertible = requires(const T& item, nlohmann::json& json) {
  json = item;
  { json.template get<T>() } -> std::same_as<T>;
};

// Compact JSON through T's to_json/from_json.
template <JsonConvertible T>
DeadLetterCodec<T> json_codec() {
  return DeadLetterCodec<T>{
      [](const T& item) { return nlohmann::json(item).dump(); },
      [](std::string_view text) { return nlohmann::json::parse(text).template get<T>(); },
  };
}

// The codec dead_letters() uses when given none: json_codec<T>(), or the
// text itself for std::string items. Other types must pass a codec.
template <class T>
DeadLetterCodec<T> default_dead_letter_codec() {
  if constexpr (std::is_same_v<T, std::string>) {
    return DeadLetterCodec<T>{[](const std::string& item) { return item; },
                              [](std::string_view text) { return std::string(text); }};
  } else {
    static_assert(JsonConvertible<T>,
                  "no default dead-letter codec for this item type: give it to_json/from_json (nlohmann) or pass "
                  "a DeadLetterCodec");
    return json_codec<T>();
  }
}

}  // namespace cppbatch
