#include "cppbatch/infrastructure/record_validator.hpp"

#include <charconv>
#include <string_view>
#include <utility>

namespace cppbatch {
namespace {

std::string quoted(const Value& value) {
  std::string text = value_to_string(value);
  if (text.size() > 80) text = text.substr(0, 77) + "...";
  return "'" + text + "'";
}

bool is_blank_text(std::string_view text) { return text.find_first_not_of(" \t") == std::string_view::npos; }

std::string number_text(double v) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  return ec == std::errc() ? std::string(buffer, end) : std::string("?");
}

}  // namespace

RecordValidator& RecordValidator::add(std::string field, std::function<std::string(const Record&, const Value&)> test,
                                      bool applies_to_null) {
  rules_.push_back(Rule{std::move(field), std::move(test), applies_to_null});
  return *this;
}

RecordValidator& RecordValidator::required(std::string field) {
  return add(
      std::move(field),
      [](const Record&, const Value& v) -> std::string {
        if (value_is_null(v)) return "is required";
        if (const auto* s = std::get_if<std::string>(&v); s != nullptr && is_blank_text(*s)) return "is required";
        return {};
      },
      /*applies_to_null=*/true);
}

RecordValidator& RecordValidator::is_long(std::string field) {
  return add(field, [field](const Record&, const Value& v) -> std::string {
    try {
      (void)value_to_long(v, field);
      return {};
    } catch (const RecordError&) {
      return quoted(v) + " is not an integer";
    }
  });
}

RecordValidator& RecordValidator::is_double(std::string field) {
  return add(field, [field](const Record&, const Value& v) -> std::string {
    try {
      (void)value_to_double(v, field);
      return {};
    } catch (const RecordError&) {
      return quoted(v) + " is not a number";
    }
  });
}

RecordValidator& RecordValidator::is_date(std::string field) {
  return add(field, [field](const Record&, const Value& v) -> std::string {
    try {
      (void)value_to_date(v, field);
      return {};
    } catch (const RecordError&) {
      return quoted(v) + " is not a date (YYYY-MM-DD)";
    }
  });
}

RecordValidator& RecordValidator::range(std::string field, double min, double max) {
  return add(field, [field, min, max](const Record&, const Value& v) -> std::string {
    double d = 0;
    try {
      d = value_to_double(v, field);
    } catch (const RecordError&) {
      return quoted(v) + " is not a number";
    }
    if (d < min) return quoted(v) + " is below " + number_text(min);
    if (d > max) return quoted(v) + " is above " + number_text(max);
    if (d != d) return quoted(v) + " is not a number";
    return {};
  });
}

RecordValidator& RecordValidator::max_length(std::string field, size_t max) {
  return add(std::move(field), [max](const Record&, const Value& v) -> std::string {
    std::string text = value_to_string(v);
    if (text.size() > max) {
      return quoted(v) + " is " + std::to_string(text.size()) + " bytes long, at most " + std::to_string(max) +
             " allowed";
    }
    return {};
  });
}

RecordValidator& RecordValidator::one_of(std::string field, std::vector<std::string> allowed) {
  return add(std::move(field), [allowed = std::move(allowed)](const Record&, const Value& v) -> std::string {
    std::string text = value_to_string(v);
    for (const std::string& a : allowed) {
      if (a == text) return {};
    }
    std::string list;
    for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
    return quoted(v) + " is not one of " + list;
  });
}

RecordValidator& RecordValidator::check(std::string field, std::function<bool(const Record&)> condition,
                                        std::string reason) {
  return add(std::move(field),
             [condition = std::move(condition), reason = std::move(reason)](const Record& r, const Value&) {
               return condition(r) ? std::string() : reason;
             });
}

void RecordValidator::validate(const Record& record) const {
  static const Value kNull;
  for (const Rule& rule : rules_) {
    std::optional<size_t> index = record.index_of(rule.field);
    const Value& value = index ? record[*index] : kNull;
    if (value_is_null(value) && !rule.applies_to_null) continue;
    std::string failure = rule.test(record, value);
    if (!failure.empty()) throw ValidationError(rule.field, std::move(failure));
  }
}

}  // namespace cppbatch
