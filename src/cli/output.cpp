#include "cli/output.hpp"

#include <fmt/format.h>

#include <map>

#include "cli/text_table.hpp"
#include "cppbatch/operations/execution_format.hpp"
#include "cppbatch/operations/execution_json.hpp"

namespace cppbatch::internal {

namespace {

std::string or_dash(std::string_view text) { return text.empty() ? std::string("-") : std::string(text); }

std::string exit_text(const ExitStatus& status) {
  return status.description().empty() ? status.code() : status.code() + " (" + status.description() + ")";
}

// The LAST EXECUTION, LAST STATUS and LAST END (UTC) cells of a listing.
std::vector<std::string> last_execution_cells(const JobExecution* last) {
  if (!last) return {"-", "-", "-"};
  return {std::to_string(last->id), std::string(to_string(last->status)), format_time_short(last->end_time)};
}

// The table, or `empty_text` when it has no row.
void print_table(std::ostream& out, const TextTable& table, std::string_view empty_text) {
  if (table.empty()) {
    out << empty_text << '\n';
    return;
  }
  table.print(out);
}

}  // namespace

void print_run_summary(const CliContext& context, const JobExecution& execution, Timestamp now) {
  std::ostream& out = context.out();
  out << fmt::format("Execution {} of job '{}' ended {} (exit code {}) after {}\n", execution.id, execution.job_name(),
                     to_string(execution.status), execution.exit_status.code(),
                     format_duration(execution_elapsed(execution, now)));
  if (!execution.exit_status.description().empty()) {
    out << "  exit description: " << execution.exit_status.description() << '\n';
  }
  out << "  parameters: " << or_dash(format_parameters_cli(execution.job_parameters)) << '\n';
  TextTable steps({{"STEP"},
                   {"STATUS"},
                   {"READ", Align::RIGHT},
                   {"WRITTEN", Align::RIGHT},
                   {"FILTERED", Align::RIGHT},
                   {"COMMITS", Align::RIGHT},
                   {"ROLLBACKS", Align::RIGHT},
                   {"SKIPS", Align::RIGHT},
                   {"DURATION", Align::RIGHT},
                   {"ITEMS/S", Align::RIGHT}});
  for (const auto& step : execution.step_executions) {
    auto duration = step_elapsed(*step, now);
    steps.add_row({step->step_name, std::string(to_string(step->status)), std::to_string(step->read_count),
                   std::to_string(step->write_count), std::to_string(step->filter_count),
                   std::to_string(step->commit_count), std::to_string(step->rollback_count),
                   std::to_string(step->skip_count()), format_duration(duration),
                   format_rate(items_per_second(*step, duration))});
  }
  if (steps.empty()) {
    out << "  no step ran in this execution\n";
  } else {
    steps.print(out, "  ");
  }
  for (const auto& step : execution.step_executions) {
    if (step->status != BatchStatus::COMPLETED && !step->exit_status.description().empty()) {
      out << fmt::format("  step {}: {}\n", step->step_name, step->exit_status.description());
    }
  }
  if (execution.status == BatchStatus::FAILED || execution.status == BatchStatus::STOPPED) {
    out << fmt::format("  resume with: {} restart {}\n", context.options().program_name, execution.id);
  }
  out << std::flush;
}

void print_executions_table(std::ostream& out, const std::vector<std::unique_ptr<JobExecution>>& executions,
                            Timestamp now) {
  TextTable table({{"ID", Align::RIGHT},
                   {"JOB"},
                   {"STATUS"},
                   {"EXIT CODE"},
                   {"START (UTC)"},
                   {"END (UTC)"},
                   {"DURATION", Align::RIGHT},
                   {"PARAMETERS"}});
  for (const auto& execution : executions) {
    table.add_row({std::to_string(execution->id), execution->job_name(), std::string(to_string(execution->status)),
                   execution->exit_status.code(), format_time_short(execution->start_time),
                   format_time_short(execution->end_time), format_duration(execution_elapsed(*execution, now)),
                   format_parameters_cli(execution->job_parameters)});
  }
  print_table(out, table, "no executions");
}

void print_execution_detail(std::ostream& out, const JobExecution& execution, Timestamp now) {
  out << fmt::format("Execution {}\n", execution.id);
  out << fmt::format("  job:              {} (instance {})\n", execution.job_name(), execution.job_instance.id);
  out << fmt::format("  status:           {}\n", to_string(execution.status));
  out << fmt::format("  exit code:        {}\n", execution.exit_status.code());
  out << fmt::format("  exit description: {}\n", or_dash(execution.exit_status.description()));
  out << fmt::format("  parameters:       {}\n", or_dash(format_parameters_cli(execution.job_parameters)));
  out << fmt::format("  created (UTC):    {}\n", format_time_short(execution.create_time));
  out << fmt::format("  started (UTC):    {}\n", format_time_short(execution.start_time));
  out << fmt::format("  ended (UTC):      {}\n", format_time_short(execution.end_time));
  out << fmt::format("  last updated:     {}\n", format_time_short(execution.last_updated));
  out << fmt::format("  duration:         {}\n", format_duration(execution_elapsed(execution, now)));
  if (execution.step_executions.empty()) {
    out << "\nNo step ran in this execution.\n";
    return;
  }
  for (const auto& step : execution.step_executions) {
    auto duration = step_elapsed(*step, now);
    out << fmt::format("\nStep {} (id {})\n", step->step_name, step->id);
    out << fmt::format("  status:           {}\n", to_string(step->status));
    out << fmt::format("  exit:             {}\n", exit_text(step->exit_status));
    out << fmt::format("  read:             {}\n", step->read_count);
    out << fmt::format("  written:          {}\n", step->write_count);
    out << fmt::format("  filtered:         {}\n", step->filter_count);
    out << fmt::format("  commits:          {}\n", step->commit_count);
    out << fmt::format("  rollbacks:        {}\n", step->rollback_count);
    out << fmt::format("  skips:            {} (read {}, process {}, write {})\n", step->skip_count(),
                       step->read_skip_count, step->process_skip_count, step->write_skip_count);
    out << fmt::format("  started (UTC):    {}\n", format_time_short(step->start_time));
    out << fmt::format("  ended (UTC):      {}\n", format_time_short(step->end_time));
    out << fmt::format("  duration:         {}\n", format_duration(duration));
    out << fmt::format("  items/s:          {}\n", format_rate(items_per_second(*step, duration)));
  }
}

void print_instances_table(std::ostream& out, const std::vector<InstanceRow>& instances) {
  TextTable table({{"INSTANCE", Align::RIGHT},
                   {"EXECUTIONS", Align::RIGHT},
                   {"LAST EXECUTION", Align::RIGHT},
                   {"LAST STATUS"},
                   {"LAST END (UTC)"},
                   {"PARAMETERS"}});
  for (const auto& row : instances) {
    const JobExecution* last = row.executions.empty() ? nullptr : row.executions.front().get();
    std::vector<std::string> cells{std::to_string(row.instance.id), std::to_string(row.executions.size())};
    for (auto& cell : last_execution_cells(last)) cells.push_back(std::move(cell));
    cells.push_back(last ? or_dash(format_parameters_cli(last->job_parameters.identifying())) : "-");
    table.add_row(std::move(cells));
  }
  print_table(out, table, "no instances");
}

nlohmann::json instances_to_json(const std::vector<InstanceRow>& instances) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& row : instances) {
    const JobExecution* last = row.executions.empty() ? nullptr : row.executions.front().get();
    nlohmann::json ids = nlohmann::json::array();
    for (const auto& execution : row.executions) ids.push_back(execution->id);
    out.push_back({
        {"id", row.instance.id},
        {"job", row.instance.job_name},
        {"job_key", row.instance.job_key},
        {"execution_ids", ids},
        {"last_status", last ? nlohmann::json(std::string(to_string(last->status))) : nlohmann::json(nullptr)},
        {"last_end_time",
         last && last->end_time ? nlohmann::json(format_time_iso(last->end_time)) : nlohmann::json(nullptr)},
        {"parameters", last ? parameters_to_json(last->job_parameters.identifying()) : nlohmann::json::object()},
    });
  }
  return out;
}

namespace {
// One line of at most `max` bytes (not splitting a UTF-8 sequence).
std::string one_line(std::string_view text, size_t max) {
  std::string out;
  for (char c : text) out += (c == '\n' || c == '\r') ? ' ' : c;
  if (out.size() <= max) return out;
  size_t n = max - 3;
  while (n > 0 && (static_cast<unsigned char>(out[n]) & 0xC0) == 0x80) --n;
  return out.substr(0, n) + "...";
}
}  // namespace

void print_dead_letters_table(std::ostream& out, const std::vector<DeadLetter>& letters) {
  if (letters.empty()) {
    out << "no dead letters\n";
    return;
  }
  TextTable table({{"ID", Align::RIGHT},
                   {"JOB"},
                   {"STEP"},
                   {"PHASE"},
                   {"STATUS"},
                   {"ATTEMPTS", Align::RIGHT},
                   {"CREATED (UTC)"},
                   {"ERROR TYPE"},
                   {"ERROR"}});
  std::map<std::string_view, int64_t> per_status;
  for (const auto& letter : letters) {
    table.add_row({std::to_string(letter.id), letter.job_name, letter.step_name, std::string(to_string(letter.phase)),
                   std::string(to_string(letter.status)), std::to_string(letter.attempts),
                   format_time_short(letter.create_time), letter.error_type,
                   one_line(letter.last_error.empty() ? letter.error_message : letter.last_error, 60)});
    per_status[to_string(letter.status)] += 1;
  }
  table.print(out);
  std::string counts;
  for (const auto& [status, count] : per_status) counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", count, status);
  out << fmt::format("{} dead letter{} listed: {}\n", letters.size(), letters.size() == 1 ? "" : "s", counts);
}

void print_dead_letter_detail(std::ostream& out, const DeadLetter& letter) {
  out << fmt::format("Dead letter {}\n", letter.id);
  out << fmt::format("  job:              {} (instance {}, execution {})\n", letter.job_name, letter.job_instance_id,
                     letter.job_execution_id);
  out << fmt::format("  step:             {} (execution {})\n", letter.step_name, letter.step_execution_id);
  out << fmt::format("  phase:            {}\n", to_string(letter.phase));
  out << fmt::format("  error type:       {}\n", letter.error_type);
  out << fmt::format("  error:            {}\n", letter.error_message);
  if (!letter.source.empty()) out << fmt::format("  source:           {}\n", letter.source);
  out << fmt::format("  status:           {}\n", to_string(letter.status));
  out << fmt::format("  attempts:         {}\n", letter.attempts);
  out << fmt::format("  last error:       {}\n", or_dash(letter.last_error));
  out << fmt::format("  created (UTC):    {}\n", format_time_short(letter.create_time));
  out << fmt::format("  last updated:     {}\n", format_time_short(letter.last_updated));
  out << "  payload:\n" << (letter.payload.empty() ? std::string("-") : letter.payload) << '\n';
}

void print_jobs_table(std::ostream& out, const std::vector<JobRow>& jobs) {
  TextTable table({{"JOB"},
                   {"DESCRIPTION"},
                   {"INSTANCES", Align::RIGHT},
                   {"LAST EXECUTION", Align::RIGHT},
                   {"LAST STATUS"},
                   {"LAST END (UTC)"}});
  for (const auto& job : jobs) {
    std::string description = job.registered ? job.description : "(not registered in this program)";
    std::vector<std::string> cells{job.name, or_dash(description), std::to_string(job.instances)};
    for (auto& cell : last_execution_cells(job.last)) cells.push_back(std::move(cell));
    table.add_row(std::move(cells));
  }
  print_table(out, table, "no jobs registered");
}

nlohmann::json jobs_to_json(const std::vector<JobRow>& jobs) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& job : jobs) {
    out.push_back({
        {"name", job.name},
        {"description", job.description},
        {"registered", job.registered},
        {"instances", job.instances},
        {"last_execution_id", job.last ? nlohmann::json(job.last->id) : nlohmann::json(nullptr)},
        {"last_status", job.last ? nlohmann::json(std::string(to_string(job.last->status))) : nlohmann::json(nullptr)},
        {"last_exit_code", job.last ? nlohmann::json(job.last->exit_status.code()) : nlohmann::json(nullptr)},
        {"last_end_time", job.last && job.last->end_time ? nlohmann::json(format_time_iso(job.last->end_time))
                                                         : nlohmann::json(nullptr)},
    });
  }
  return out;
}

}  // namespace cppbatch::internal
