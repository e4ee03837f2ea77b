#include "cppbatch/common/time_format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace cppbatch {
namespace {

using std::chrono::days;
using std::chrono::microseconds;

// Parses exactly `width` digits at text[pos], advancing pos.
bool digits(std::string_view text, size_t& pos, size_t width, int& out) {
  if (pos + width > text.size()) return false;
  int value = 0;
  for (size_t i = 0; i < width; ++i) {
    char c = text[pos + i];
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    value = value * 10 + (c - '0');
  }
  pos += width;
  out = value;
  return true;
}

bool expect(std::string_view text, size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

std::optional<Date> parse_date_at(std::string_view text, size_t& pos) {
  int y = 0, m = 0, d = 0;
  if (!digits(text, pos, 4, y) || !expect(text, pos, '-') || !digits(text, pos, 2, m) ||
      !expect(text, pos, '-') || !digits(text, pos, 2, d)) {
    return std::nullopt;
  }
  Date date{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
            std::chrono::day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  return date;
}

// Parses "HH:MM[:SS[.fffffffff]]" into microseconds since midnight.
std::optional<microseconds> parse_time_at(std::string_view text, size_t& pos) {
  int h = 0, mi = 0, s = 0;
  if (!digits(text, pos, 2, h) || !expect(text, pos, ':') || !digits(text, pos, 2, mi)) {
    return std::nullopt;
  }
  long micros = 0;
  if (pos < text.size() && text[pos] == ':') {
    ++pos;
    if (!digits(text, pos, 2, s)) return std::nullopt;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      size_t start = pos;
      long scale = 100000;
      while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
        if (scale > 0) micros += (text[pos] - '0') * scale;
        scale /= 10;
        ++pos;
      }
      if (pos == start || pos - start > 9) return std::nullopt;
    }
  }
  if (h > 23 || mi > 59 || s > 59) return std::nullopt;
  return std::chrono::hours{h} + std::chrono::minutes{mi} + std::chrono::seconds{s} +
         microseconds{micros};
}

std::string format_fraction(long micros, bool java_groups) {
  if (micros == 0) return "";
  if (java_groups && micros % 1000 == 0) return fmt::format(".{:03}", micros / 1000);
  return fmt::format(".{:06}", micros);
}

}  // namespace

std::optional<Date> parse_date(std::string_view text) {
  size_t pos = 0;
  auto date = parse_date_at(text, pos);
  if (!date || pos != text.size()) return std::nullopt;
  return date;
}

std::string format_date(Date date) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
}

std::optional<DateTime> parse_date_time(std::string_view text) {
  size_t pos = 0;
  auto date = parse_date_at(text, pos);
  if (!date) return std::nullopt;
  if (pos >= text.size() || (text[pos] != 'T' && text[pos] != ' ')) return std::nullopt;
  ++pos;
  auto time = parse_time_at(text, pos);
  if (!time || pos != text.size()) return std::nullopt;
  return DateTime{std::chrono::local_days{*date}.time_since_epoch() + *time};
}

namespace {
std::string format_date_time_impl(DateTime value, bool java) {
  auto day_point = std::chrono::floor<days>(value);
  std::chrono::hh_mm_ss<microseconds> tod{value - day_point};
  Date date{day_point};
  long micros = static_cast<long>(tod.subseconds().count());
  std::string out = fmt::format("{}T{:02}:{:02}", format_date(date), tod.hours().count(),
                                tod.minutes().count());
  if (java && tod.seconds().count() == 0 && micros == 0) return out;
  out += fmt::format(":{:02}", tod.seconds().count());
  out += format_fraction(micros, java);
  return out;
}
}  // namespace

std::string format_date_time(DateTime value) { return format_date_time_impl(value, false); }
std::string format_date_time_java(DateTime value) { return format_date_time_impl(value, true); }

std::string format_timestamp(Timestamp value) {
  auto micros = std::chrono::floor<microseconds>(value);
  auto day_point = std::chrono::floor<days>(micros);
  std::chrono::hh_mm_ss<microseconds> tod{micros - day_point};
  Date date{day_point};
  return fmt::format("{} {:02}:{:02}:{:02}.{:06}", format_date(date), tod.hours().count(),
                     tod.minutes().count(), tod.seconds().count(), tod.subseconds().count());
}

std::optional<Timestamp> parse_timestamp(std::string_view text) {
  auto local = parse_date_time(text);
  if (!local) return std::nullopt;
  return Timestamp{std::chrono::duration_cast<Timestamp::duration>(local->time_since_epoch())};
}

std::string format_time_short(std::optional<Timestamp> time) {
  if (!time) return "-";
  return format_timestamp(*time).substr(0, 19);
}

std::string format_time_iso(std::optional<Timestamp> time) {
  if (!time) return "";
  std::string text = format_timestamp(*time);
  std::replace(text.begin(), text.end(), ' ', 'T');
  return text + "Z";
}

std::optional<std::chrono::milliseconds> elapsed(std::optional<Timestamp> start, std::optional<Timestamp> end,
                                                 Timestamp now) {
  if (!start) return std::nullopt;
  Timestamp until = end ? *end : now;
  auto duration = std::chrono::duration_cast<std::chrono::milliseconds>(until - *start);
  return std::max(duration, std::chrono::milliseconds{0});
}

std::string format_duration(std::chrono::milliseconds duration) {
  const int64_t ms = duration.count();
  if (ms < 10'000) return fmt::format("{:.3f}s", static_cast<double>(ms) / 1000.0);
  if (ms < 60'000) return fmt::format("{:.1f}s", static_cast<double>(ms) / 1000.0);
  const int64_t seconds = ms / 1000;
  if (seconds < 3600) return fmt::format("{}m{:02}s", seconds / 60, seconds % 60);
  return fmt::format("{}h{:02}m{:02}s", seconds / 3600, (seconds / 60) % 60, seconds % 60);
}

std::string format_duration(std::optional<std::chrono::milliseconds> duration) {
  return duration ? format_duration(*duration) : std::string("-");
}

}  // namespace cppbatch
