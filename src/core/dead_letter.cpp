#include "cppbatch/core/dead_letter.hpp"

#include <array>
#include <stdexcept>

#include "core/failure_description.hpp"
#include "cppbatch/core/dead_letter_skip_listener.hpp"
#include "cppbatch/core/job_execution.hpp"
#include "cppbatch/core/raw_input_error.hpp"

namespace cppbatch {

namespace {
constexpr std::array<std::string_view, 3> kPhases{"READ", "PROCESS", "WRITE"};
constexpr std::array<std::string_view, 4> kStatuses{"NEW", "RESOLVED", "FAILED_AGAIN", "PARKED"};

template <class Enum, size_t N>
std::optional<Enum> parse_name(const std::array<std::string_view, N>& names, std::string_view text) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == text) return static_cast<Enum>(i);
  }
  return std::nullopt;
}
}  // namespace

std::string_view to_string(SkipPhase phase) { return kPhases.at(static_cast<size_t>(phase)); }
std::string_view to_string(DeadLetterStatus status) { return kStatuses.at(static_cast<size_t>(status)); }

std::optional<SkipPhase> parse_skip_phase(std::string_view text) { return parse_name<SkipPhase>(kPhases, text); }
std::optional<DeadLetterStatus> parse_dead_letter_status(std::string_view text) {
  return parse_name<DeadLetterStatus>(kStatuses, text);
}

namespace internal {

DeadLetter make_dead_letter(const StepExecution& execution, SkipPhase phase, const std::exception_ptr& error) {
  DeadLetter letter;
  if (execution.job_execution != nullptr) {
    letter.job_name = execution.job_execution->job_name();
    letter.job_instance_id = execution.job_execution->job_instance.id;
  }
  letter.job_execution_id = execution.job_execution_id;
  letter.step_name = execution.step_name;
  letter.step_execution_id = execution.id;
  letter.phase = phase;
  try {
    std::rethrow_exception(error);
  } catch (const RawInputError& e) {
    letter.error_type = exception_type_name(e);
    letter.error_message = e.what();
    letter.payload = e.raw_input();
    letter.source = e.source();
  } catch (const std::exception& e) {
    letter.error_type = exception_type_name(e);
    letter.error_message = e.what();
  } catch (...) {
    letter.error_type = "unknown";
    letter.error_message = "unknown error";
  }
  // Only a read skip has no item: the raw text stands in for it.
  if (phase != SkipPhase::READ) {
    letter.payload.clear();
    letter.source.clear();
  }
  return letter;
}

void store_dead_letter(DeadLetterStore& store, const DeadLetter& letter) {
  auto added = store.add(letter);
  if (!added) {
    throw std::runtime_error("could not store the dead letter of a skipped item of step '" + letter.step_name +
                             "': " + added.error().to_string());
  }
}

}  // namespace internal
}  // namespace cppbatch
