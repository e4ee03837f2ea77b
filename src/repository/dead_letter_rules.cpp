#include "repository/dead_letter_rules.hpp"

#include <algorithm>
#include <string>

#include "repository/launch_rules.hpp"

namespace cppbatch::internal {

namespace {
constexpr size_t kMaxErrorType = 255;
constexpr size_t kMaxText = 2500;

void cut(std::string& text, size_t max_bytes) {
  if (text.size() > max_bytes) text.resize(utf8_prefix(text, max_bytes).size());
}
}  // namespace

DeadLetter new_dead_letter(const DeadLetter& given, int64_t id, Timestamp now) {
  DeadLetter letter = given;
  letter.id = id;
  letter.version = 0;
  letter.status = DeadLetterStatus::NEW;
  letter.attempts = 0;
  letter.last_error.clear();
  letter.create_time = letter.last_updated = std::chrono::floor<std::chrono::microseconds>(now);
  cut(letter.error_type, kMaxErrorType);
  cut(letter.error_message, kMaxText);
  cut(letter.source, kMaxText);
  return letter;
}

void prepare_update(DeadLetter& letter, Timestamp now) {
  cut(letter.last_error, kMaxText);
  letter.last_updated = std::chrono::floor<std::chrono::microseconds>(now);
}

bool matches(const DeadLetter& letter, const DeadLetterQuery& query) {
  if (!query.job_name.empty() && letter.job_name != query.job_name) return false;
  if (!query.step_name.empty() && letter.step_name != query.step_name) return false;
  if (!query.error_type.empty() && letter.error_type != query.error_type) return false;
  if (!query.statuses.empty() &&
      std::find(query.statuses.begin(), query.statuses.end(), letter.status) == query.statuses.end()) {
    return false;
  }
  return letter.id > query.after_id;
}

Error outside_transaction(std::string_view operation) {
  return Error(ErrorCode::ILLEGAL_STATE,
               std::string("dead letters are written only inside the repository's transaction "
                           "(transaction_manager().begin() on this thread): ") +
                   std::string(operation) + " refused");
}

Error dead_letter_not_found(int64_t id) {
  return Error(ErrorCode::NOT_FOUND, "No dead letter with id=" + std::to_string(id));
}

}  // namespace cppbatch::internal
