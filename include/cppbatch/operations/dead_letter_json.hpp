// JSON view of dead letters for machines: what `cppbatch dlq list|show
// --json` prints, and what an HTTP API can serve. Field names are
// snake_case and stable (docs/cli.md).
//
//   nlohmann::json j = dead_letter_to_json(letter, DeadLetterJson::WITH_PAYLOAD);
#pragma once

#include <nlohmann/json.hpp>

#include "cppbatch/core/dead_letter.hpp"

namespace cppbatch {

enum class DeadLetterJson { SUMMARY, WITH_PAYLOAD };

// id, version, job, job_instance_id, job_execution_id, step,
// step_execution_id, phase, error_type, error_message, source, status,
// attempts, last_error, create_time, last_updated (ISO-8601 UTC); with
// WITH_PAYLOAD also "payload" (the stored text).
nlohmann::json dead_letter_to_json(const DeadLetter& letter, DeadLetterJson detail);

}  // namespace cppbatch
