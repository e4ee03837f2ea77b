// Calendar values and their text forms.
//
// Date is a calendar day without zone (Java's LocalDate); DateTime is a
// local date-time without zone at microsecond precision (LocalDateTime);
// Timestamp is an instant (system clock). Text forms are ISO-8601:
// "2026-01-02", "2026-01-02T10:00:00[.ffffff]"; timestamps are stored in UTC
// as "2026-01-02 10:00:00.123456" (sortable, what SQL databases accept).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace cppbatch {

using Date = std::chrono::year_month_day;
using DateTime = std::chrono::local_time<std::chrono::microseconds>;
using Timestamp = std::chrono::system_clock::time_point;

// "2026-01-02"; nullopt unless the text is a valid calendar date.
std::optional<Date> parse_date(std::string_view text);
std::string format_date(Date date);

// Accepts "2026-01-02T10:00", "...T10:00:00", "...T10:00:00.5" (up to 9
// fractional digits; sub-microsecond digits are dropped) and a space instead
// of 'T'.
std::optional<DateTime> parse_date_time(std::string_view text);
// ISO_LOCAL_DATE_TIME: always seconds, fraction only when non-zero.
std::string format_date_time(DateTime value);
// java.time.LocalDateTime.toString(): seconds omitted when zero and no
// fraction; fraction in groups of 3 digits. Used for Spring's job key.
std::string format_date_time_java(DateTime value);

// UTC "YYYY-MM-DD HH:MM:SS.ffffff" and back.
std::string format_timestamp(Timestamp value);
std::optional<Timestamp> parse_timestamp(std::string_view text);

// For people and machines reading executions:
// "2026-01-02 10:00:00" (UTC, seconds), or "-" when absent.
std::string format_time_short(std::optional<Timestamp> time);
// "2026-01-02T10:00:00.123456Z" (UTC, ISO-8601), or "" when absent.
std::string format_time_iso(std::optional<Timestamp> time);

// From `start` to `end`, or to `now` when there is no end yet; nullopt
// when there is no start (never below zero).
std::optional<std::chrono::milliseconds> elapsed(std::optional<Timestamp> start, std::optional<Timestamp> end,
                                                 Timestamp now);
// "0.042s", "12.3s", "4m05s", "1h02m03s".
std::string format_duration(std::chrono::milliseconds duration);
// format_duration, or "-" when unknown.
std::string format_duration(std::optional<std::chrono::milliseconds> duration);

}  // namespace cppbatch
