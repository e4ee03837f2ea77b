#include "cppbatch/operations/dead_letter_json.hpp"

#include "cppbatch/operations/execution_format.hpp"

namespace cppbatch {

nlohmann::json dead_letter_to_json(const DeadLetter& letter, DeadLetterJson detail) {
  nlohmann::json out = {
      {"id", letter.id},
      {"version", letter.version},
      {"job", letter.job_name},
      {"job_instance_id", letter.job_instance_id},
      {"job_execution_id", letter.job_execution_id},
      {"step", letter.step_name},
      {"step_execution_id", letter.step_execution_id},
      {"phase", std::string(to_string(letter.phase))},
      {"error_type", letter.error_type},
      {"error_message", letter.error_message},
      {"source", letter.source},
      {"status", std::string(to_string(letter.status))},
      {"attempts", letter.attempts},
      {"last_error", letter.last_error},
      {"create_time", format_time_iso(letter.create_time)},
      {"last_updated", format_time_iso(letter.last_updated)},
  };
  if (detail == DeadLetterJson::WITH_PAYLOAD) out["payload"] = letter.payload;
  return out;
}

}  // namespace cppbatch
