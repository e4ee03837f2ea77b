// Rules both DeadLetterStore backends apply the same way: what add() stores,
// the column limits, and the refusals. Internal.
#pragma once

#include <cstdint>
#include <string_view>

#include "cppbatch/common/result.hpp"
#include "cppbatch/core/dead_letter.hpp"

namespace cppbatch::internal {

// The letter add() stores: `given` with its id, version 0, status NEW, no
// attempts, both times `now` (microseconds), and texts cut to the column
// sizes (ERROR_TYPE 255 bytes, ERROR_MESSAGE / SOURCE / LAST_ERROR 2500,
// on UTF-8 boundaries).
DeadLetter new_dead_letter(const DeadLetter& given, int64_t id, Timestamp now);

// `letter`'s last_error cut to its column size; last_updated = now.
void prepare_update(DeadLetter& letter, Timestamp now);

// True when `letter` is selected by every set field of `query` (after_id
// and limit aside).
bool matches(const DeadLetter& letter, const DeadLetterQuery& query);

// ILLEGAL_STATE: `operation` called outside the repository's transaction.
Error outside_transaction(std::string_view operation);
Error dead_letter_not_found(int64_t id);

}  // namespace cppbatch::internal
