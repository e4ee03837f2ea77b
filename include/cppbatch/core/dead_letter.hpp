// DeadLetter: one item a fault-tolerant step skipped, as kept in the
// repository's dead-letter table (<prefix>DEAD_LETTER, docs/fault-tolerance.md)
// until it is reprocessed or parked. Written by DeadLetterSkipListener in the
// transaction of the chunk that skipped it; read and updated through a
// DeadLetterStore (JobRepository::dead_letters()).
//
//   auto letters = repo.dead_letters().find(DeadLetterQuery{.job_name = "settlementJob",
//                                                            .statuses = {DeadLetterStatus::NEW}});
//   for (const DeadLetter& letter : *letters) std::cout << letter.id << ' ' << letter.error_message << '\n';
//
// A plain value; copies are independent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cppbatch/common/time_format.hpp"

namespace cppbatch {

// Where the skipped item failed (Spring's onSkipInRead/Process/Write).
enum class SkipPhase { READ, PROCESS, WRITE };

// The life of a dead letter:
//   NEW ──reprocessed──> RESOLVED
//    │  └─failed──────> FAILED_AGAIN ──reprocessed──> RESOLVED
//    │                        └─failed max_attempts times──> PARKED
//    └─(operator: dlq park)─────────────────────────────────> PARKED
// RESOLVED and PARKED are final for reprocessing (an operator may still
// select PARKED letters explicitly).
enum class DeadLetterStatus { NEW, RESOLVED, FAILED_AGAIN, PARKED };

std::string_view to_string(SkipPhase phase);
std::string_view to_string(DeadLetterStatus status);
// Inverse of to_string (exact, upper case); nullopt for anything else.
std::optional<SkipPhase> parse_skip_phase(std::string_view text);
std::optional<DeadLetterStatus> parse_dead_letter_status(std::string_view text);

struct DeadLetter {
  int64_t id = 0;       // assigned by DeadLetterStore::add
  int64_t version = 0;  // optimistic lock, bumped by every update

  // Who skipped it.
  std::string job_name;
  int64_t job_instance_id = 0;
  int64_t job_execution_id = 0;
  std::string step_name;
  int64_t step_execution_id = 0;

  SkipPhase phase = SkipPhase::PROCESS;
  // The error's demangled C++ type ("settlement::UnknownCardType") and what().
  std::string error_type;
  std::string error_message;

  // The item: for PROCESS the step's input item, for WRITE the processor's
  // output, serialised by the step's codec (JSON by default). For READ the
  // raw input record when the error carried it (RawInputError), else empty.
  std::string payload;
  // READ only: where the raw input came from ("file.csv:17"); else empty.
  std::string source;

  DeadLetterStatus status = DeadLetterStatus::NEW;
  int64_t attempts = 0;    // reprocessing attempts so far
  std::string last_error;  // of the last failed reprocessing attempt
  Timestamp create_time{};
  Timestamp last_updated{};
};

// What DeadLetterStore::find returns: letters matching every set field,
// by ascending id.
struct DeadLetterQuery {
  std::string job_name;    // empty: every job
  std::string step_name;   // empty: every step
  std::string error_type;  // empty: every type
  std::vector<DeadLetterStatus> statuses;  // empty: every status
  int64_t after_id = 0;    // only ids above this (keyset paging)
  int64_t limit = -1;      // at most this many; negative: all
};

}  // namespace cppbatch
