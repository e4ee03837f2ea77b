#include "cppbatch/infrastructure/record_dead_letter_codec.hpp"

#include <nlohmann/json.hpp>

namespace cppbatch {

DeadLetterCodec<Record> record_dead_letter_codec() {
  return DeadLetterCodec<Record>{
      [](const Record& record) { return record_to_json(record).dump(); },
      [](std::string_view text) { return record_from_json(nlohmann::json::parse(text)); },
  };
}

}  // namespace cppbatch
