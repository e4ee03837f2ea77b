// prune: deletes old executions with every row they own (JobOperator::prune).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <charconv>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cppbatch/common/clock.hpp"
#include "cppbatch/core/job_operator.hpp"

namespace cppbatch::internal {

namespace {

// Id lists longer than this are printed as a count only.
constexpr size_t kMaxListedIds = 20;

// "YYYY-MM-DD" (midnight UTC) or a date-time, as UTC: the form `--json`
// prints ("2026-11-21T08:43:25.981623Z") is accepted as is. nullopt also
// outside what a Timestamp holds (about 1678 to 2261 with nanoseconds).
std::optional<Timestamp> parse_utc(std::string_view text) {
  using std::chrono::microseconds;
  std::chrono::sys_time<microseconds> time;
  if (auto date = parse_date(text)) {
    time = std::chrono::sys_days(*date);
  } else {
    if (!text.empty() && (text.back() == 'Z' || text.back() == 'z')) text.remove_suffix(1);
    auto local = parse_date_time(text);
    if (!local) return std::nullopt;
    time = std::chrono::sys_time<microseconds>(local->time_since_epoch());
  }
  constexpr auto kMax = std::chrono::duration_cast<microseconds>(Timestamp::duration::max());
  constexpr auto kMin = std::chrono::duration_cast<microseconds>(Timestamp::duration::min());
  if (time.time_since_epoch() >= kMax || time.time_since_epoch() <= kMin) return std::nullopt;
  return std::chrono::time_point_cast<Timestamp::duration>(time);
}

// "30d", "12h", "90m", "45s", "2w".
std::optional<std::chrono::seconds> parse_age(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  int64_t count = 0;
  const char* end = text.data() + text.size() - 1;
  auto [stop, error] = std::from_chars(text.data(), end, count);
  if (error != std::errc() || stop != end || count < 0) return std::nullopt;
  int64_t unit = 0;
  switch (text.back()) {
    case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86'400; break;
    case 'w': unit = 7 * 86'400; break;
    default: return std::nullopt;
  }
  // The age must fit a Timestamp's duration (about 292 years in nanoseconds).
  const int64_t max_seconds = std::chrono::duration_cast<std::chrono::seconds>(Timestamp::duration::max()).count();
  if (count > max_seconds / unit) return std::nullopt;
  return std::chrono::seconds(count * unit);
}

std::string id_list(const std::vector<int64_t>& ids) {
  if (ids.empty() || ids.size() > kMaxListedIds) return "";
  return fmt::format(" ({})", fmt::join(ids, ", "));
}

std::string plural(size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

void print_report(const CliContext& context, const PruneArguments& arguments, const PruneReport& report,
                  Timestamp cutoff) {
  std::ostream& out = context.out();
  if (arguments.json) {
    nlohmann::json json{
        {"dry_run", arguments.dry_run},
        {"created_before", format_time_iso(cutoff)},
        {"job", arguments.job_name.empty() ? nlohmann::json(nullptr) : nlohmann::json(arguments.job_name)},
        {"job_executions", report.job_executions},
        {"job_instances", report.job_instances},
        {"step_executions", report.step_executions},
        {"skipped_running", report.skipped_running},
        {"transactions", report.transactions},
    };
    out << json.dump(2) << '\n';
    return;
  }
  const std::string scope = arguments.job_name.empty() ? "" : fmt::format(" of job '{}'", arguments.job_name);
  if (report.job_executions.empty() && report.skipped_running.empty()) {
    out << fmt::format("nothing to prune: no execution{} created before {} UTC\n", scope, format_time_short(cutoff));
    return;
  }
  out << fmt::format("{} {}{}{} and {}{} created before {} UTC ({})\n",
                     arguments.dry_run ? "would prune" : "pruned",
                     plural(report.job_executions.size(), "execution", "executions"), id_list(report.job_executions),
                     scope, plural(report.job_instances.size(), "instance", "instances"),
                     id_list(report.job_instances), format_time_short(cutoff),
                     plural(static_cast<size_t>(report.step_executions), "step execution", "step executions"));
  if (!report.skipped_running.empty()) {
    out << fmt::format("kept {}{}: running executions are never pruned (a dead one is marked FAILED by its "
                       "restart)\n",
                       plural(report.skipped_running.size(), "running execution", "running executions"),
                       id_list(report.skipped_running));
  }
  if (arguments.dry_run) out << "dry run: nothing was deleted\n";
}

}  // namespace

Result<Timestamp> prune_cutoff(const PruneArguments& arguments, Timestamp now) {
  if (arguments.before.empty() == arguments.older_than.empty()) {
    return Error(ErrorCode::INVALID_ARGUMENT, "prune: give either --before DATE or --older-than AGE (e.g. 30d)");
  }
  if (!arguments.before.empty()) {
    auto cutoff = parse_utc(arguments.before);
    if (!cutoff) {
      return Error(ErrorCode::INVALID_ARGUMENT,
                   fmt::format("prune: --before takes a UTC date YYYY-MM-DD or date-time YYYY-MM-DDTHH:MM[:SS[.ffffff]]"
                               "[Z] between the years 1678 and 2261, got '{}'",
                               arguments.before));
    }
    return *cutoff;
  }
  auto age = parse_age(arguments.older_than);
  if (!age) {
    return Error(ErrorCode::INVALID_ARGUMENT,
                 fmt::format("prune: --older-than takes a count and a unit s, m, h, d or w (e.g. 30d), got '{}'",
                             arguments.older_than));
  }
  return now - *age;
}

int prune_command(const CliContext& context, const PruneArguments& arguments) {
  auto cutoff = prune_cutoff(arguments, system_clock().now());
  if (!cutoff) return context.fail(cutoff.error());
  auto repository = context.open_repository();
  if (!repository) return kExitRunnerError;
  JobOperator job_operator(context.registry(), *repository);
  PruneOptions options{.created_before = *cutoff, .job_name = arguments.job_name, .dry_run = arguments.dry_run};
  auto report = job_operator.prune(options);
  if (!report) return context.fail(report.error());
  print_report(context, arguments, report.value(), *cutoff);
  return kExitCompleted;
}

}  // namespace cppbatch::internal
