// dlq list | show | retry | park: the dead-letter table of the repository.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cppbatch/core/dead_letter_reprocessing.hpp"
#include "cppbatch/core/job_parameters_parser.hpp"
#include "cppbatch/operations/dead_letter_json.hpp"

namespace cppbatch::internal {

namespace {

// The statuses of a --status option ("NEW,PARKED"); nullopt after fail().
std::optional<std::vector<DeadLetterStatus>> parse_status_option(const CliContext& context, std::string_view text) {
  std::vector<DeadLetterStatus> out;
  if (text.empty()) return out;
  size_t pos = 0;
  while (true) {
    size_t comma = text.find(',', pos);
    std::string_view name = text.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    auto status = parse_dead_letter_status(name);
    if (!status) {
      context.fail(fmt::format("--status: '{}' is not a dead-letter status (NEW, RESOLVED, FAILED_AGAIN, PARKED)",
                               name));
      return std::nullopt;
    }
    out.push_back(*status);
    if (comma == std::string_view::npos) return out;
    pos = comma + 1;
  }
}

}  // namespace

int dlq_list_command(const CliContext& context, const DlqArguments& arguments) {
  auto statuses = parse_status_option(context, arguments.status);
  if (!statuses) return kExitRunnerError;
  auto repository = context.open_repository();
  if (!repository) return kExitRunnerError;
  DeadLetterQuery query{arguments.job_name, "", arguments.error_type, std::move(*statuses), 0, arguments.limit};
  auto letters = repository->dead_letters().find(query);
  if (!letters) return context.fail(letters.error());
  if (arguments.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& letter : letters.value()) out.push_back(dead_letter_to_json(letter, DeadLetterJson::SUMMARY));
    context.out() << out.dump(2) << '\n';
  } else {
    print_dead_letters_table(context.out(), letters.value());
  }
  return kExitCompleted;
}

int dlq_show_command(const CliContext& context, int64_t id, bool json) {
  auto repository = context.open_repository();
  if (!repository) return kExitRunnerError;
  auto letter = repository->dead_letters().get(id);
  if (!letter) return context.fail(letter.error());
  if (json) {
    context.out() << dead_letter_to_json(letter.value(), DeadLetterJson::WITH_PAYLOAD).dump(2) << '\n';
  } else {
    print_dead_letter_detail(context.out(), letter.value());
  }
  return kExitCompleted;
}

int dlq_retry_command(const CliContext& context, const DlqArguments& arguments) {
  const std::string job_name = dead_letter_job_name(arguments.job_name);
  if (!context.registry().contains(job_name)) {
    return context.fail(fmt::format("job '{}' has no dead-letter reprocessing registered in this program (a job "
                                    "named '{}'; see docs/fault-tolerance.md)",
                                    arguments.job_name, job_name));
  }
  if (!parse_status_option(context, arguments.status)) return kExitRunnerError;
  // Both always given (empty: any type / the default statuses): the next
  // instance's parameters start from the last instance's, whose filters
  // must not carry over.
  std::vector<std::string> texts = arguments.parameters;
  texts.push_back(fmt::format("{}={}", kDeadLetterErrorTypeParameter, arguments.error_type));
  texts.push_back(fmt::format("{}={}", kDeadLetterStatusParameter, arguments.status));
  auto parameters = parse_job_parameters(texts);
  if (!parameters) return context.fail(parameters.error());
  auto repository = context.open_repository();
  if (!repository) return kExitRunnerError;
  Launch launch = [&](JobOperator& job_operator) { return job_operator.start_next_instance(job_name, *parameters); };
  AfterRun outcomes = [&](const JobExecution& execution) {
    for (const auto& step : execution.step_executions) {
      const ExecutionContext& counts = step->execution_context;
      context.out() << fmt::format("  dead letters: {} resolved, {} failed again, {} parked\n",
                                   counts.get_long(kDeadLettersResolvedKey).value_or(0),
                                   counts.get_long(kDeadLettersFailedAgainKey).value_or(0),
                                   counts.get_long(kDeadLettersParkedKey).value_or(0));
    }
  };
  return launch_and_wait(context, *repository, launch,
                         fmt::format("retry the dead letters of job '{}'", arguments.job_name), job_name, outcomes);
}

int dlq_park_command(const CliContext& context, int64_t id) {
  auto repository = context.open_repository();
  if (!repository) return kExitRunnerError;
  TransactionManager& transactions = repository->transaction_manager();
  if (auto begun = transactions.begin(); !begun) return context.fail(begun.error());
  auto letter = repository->dead_letters().get(id);
  if (!letter) {
    transactions.rollback();
    return context.fail(letter.error());
  }
  if (letter->status == DeadLetterStatus::RESOLVED || letter->status == DeadLetterStatus::PARKED) {
    transactions.rollback();
    return context.fail(fmt::format("dead letter {} is already {}", id, to_string(letter->status)));
  }
  letter->status = DeadLetterStatus::PARKED;
  auto updated = repository->dead_letters().update(letter.value());
  if (!updated) {
    transactions.rollback();
    return context.fail(updated.error());
  }
  if (auto committed = transactions.commit(); !committed) return context.fail(committed.error());
  context.out() << fmt::format("dead letter {} PARKED (reprocessing passes it over unless asked for --status PARKED)\n",
                               id);
  return kExitCompleted;
}

}  // namespace cppbatch::internal
