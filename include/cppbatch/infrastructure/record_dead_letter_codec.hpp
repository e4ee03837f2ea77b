// How a Record is stored in the dead-letter table: a JSON object of its
// fields (record_to_json / record_from_json), so `cppbatch dlq show` prints
// it and a reprocessing run reads it back.
//
//   ...chunk<Record>(100)...fault_tolerant().skip<ParseError>()
//       .dead_letters(record_dead_letter_codec(), record_dead_letter_codec())
#pragma once

#include "cppbatch/core/dead_letter_codec.hpp"
#include "cppbatch/infrastructure/record.hpp"

namespace cppbatch {

DeadLetterCodec<Record> record_dead_letter_codec();

}  // namespace cppbatch
