#include "cppbatch/core/job_parameters.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <string>

#include "cppbatch/common/hashing.hpp"

namespace cppbatch {
namespace {

// Java's Double.toString: shortest round-trip digits, decimal notation for
// 1e-3 <= |x| < 1e7 (at least one fraction digit), otherwise "d.dddEn".
std::string java_double(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value == 0.0) return std::signbit(value) ? "-0.0" : "0.0";
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  std::string_view sci(buffer, static_cast<size_t>(end - buffer));  // "-1.2345e+07"
  bool negative = sci.front() == '-';
  if (negative) sci.remove_prefix(1);
  size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e)) {
    if (c != '.') digits.push_back(c);
  }
  int exponent = std::stoi(std::string(sci.substr(e + 1)));
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  std::string out = negative ? "-" : "";
  double magnitude = std::fabs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    if (exponent >= 0) {
      size_t int_len = static_cast<size_t>(exponent) + 1;
      if (digits.size() <= int_len) {
        out += digits + std::string(int_len - digits.size(), '0') + ".0";
      } else {
        out += digits.substr(0, int_len) + "." + digits.substr(int_len);
      }
    } else {
      out += "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
    }
  } else {
    out += digits.substr(0, 1) + "." + (digits.size() > 1 ? digits.substr(1) : "0") + "E" +
           std::to_string(exponent);
  }
  return out;
}

std::string plain_double(double value) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, end);
}

}  // namespace

std::string_view JobParameter::type_name() const {
  switch (type()) {
    case ParameterType::STRING: return "java.lang.String";
    case ParameterType::LONG: return "java.lang.Long";
    case ParameterType::DOUBLE: return "java.lang.Double";
    case ParameterType::DATE: return "java.time.LocalDate";
    case ParameterType::DATE_TIME: return "java.time.LocalDateTime";
  }
  return "java.lang.String";
}

std::string JobParameter::value_text() const {
  switch (type()) {
    case ParameterType::STRING: return std::get<std::string>(value_);
    case ParameterType::LONG: return std::to_string(std::get<int64_t>(value_));
    case ParameterType::DOUBLE: return plain_double(std::get<double>(value_));
    case ParameterType::DATE: return format_date(std::get<Date>(value_));
    case ParameterType::DATE_TIME: return format_date_time(std::get<DateTime>(value_));
  }
  return "";
}

std::string JobParameter::value_java_text() const {
  switch (type()) {
    case ParameterType::DOUBLE: return java_double(std::get<double>(value_));
    case ParameterType::DATE_TIME: return format_date_time_java(std::get<DateTime>(value_));
    default: return value_text();
  }
}

std::optional<ParameterType> parse_parameter_type(std::string_view name) {
  if (name == "string" || name == "java.lang.String") return ParameterType::STRING;
  if (name == "long" || name == "java.lang.Long" || name == "java.lang.Integer") return ParameterType::LONG;
  if (name == "double" || name == "java.lang.Double") return ParameterType::DOUBLE;
  if (name == "date" || name == "java.time.LocalDate") return ParameterType::DATE;
  if (name == "datetime" || name == "java.time.LocalDateTime") return ParameterType::DATE_TIME;
  return std::nullopt;
}

std::optional<JobParameter::Value> parse_parameter_value(ParameterType type, std::string_view text) {
  switch (type) {
    case ParameterType::STRING: return JobParameter::Value{std::string(text)};
    case ParameterType::LONG: {
      int64_t v = 0;
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
      return JobParameter::Value{v};
    }
    case ParameterType::DOUBLE: {
      double v = 0;
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
      return JobParameter::Value{v};
    }
    case ParameterType::DATE: {
      auto d = parse_date(text);
      if (!d) return std::nullopt;
      return JobParameter::Value{*d};
    }
    case ParameterType::DATE_TIME: {
      auto d = parse_date_time(text);
      if (!d) return std::nullopt;
      return JobParameter::Value{*d};
    }
  }
  return std::nullopt;
}

const JobParameter* JobParameters::find(std::string_view name) const {
  auto it = parameters_.find(std::string(name));
  return it == parameters_.end() ? nullptr : &it->second;
}

namespace {
template <class T>
std::optional<T> get_as(const JobParameters& p, std::string_view name) {
  const JobParameter* param = p.find(name);
  if (!param) return std::nullopt;
  if (const T* v = std::get_if<T>(&param->value())) return *v;
  return std::nullopt;
}
}  // namespace

std::optional<std::string> JobParameters::get_string(std::string_view name) const {
  const JobParameter* param = find(name);
  if (!param) return std::nullopt;
  return param->value_text();
}
std::optional<int64_t> JobParameters::get_long(std::string_view name) const { return get_as<int64_t>(*this, name); }
std::optional<double> JobParameters::get_double(std::string_view name) const { return get_as<double>(*this, name); }
std::optional<Date> JobParameters::get_date(std::string_view name) const { return get_as<Date>(*this, name); }
std::optional<DateTime> JobParameters::get_date_time(std::string_view name) const {
  return get_as<DateTime>(*this, name);
}

JobParameters JobParameters::identifying() const {
  std::map<std::string, JobParameter> out;
  for (const auto& [name, param] : parameters_) {
    if (param.identifying()) out.emplace(name, param);
  }
  return JobParameters(std::move(out));
}

std::string JobParameters::job_key() const {
  std::string text;
  for (const auto& [name, param] : parameters_) {  // std::map: sorted by name
    if (!param.identifying()) continue;
    text += fmt::format("{}={{value={}, type=class {}, identifying=true}};", name, param.value_java_text(),
                        param.type_name());
  }
  return md5_hex(text);
}

std::string JobParameters::to_string() const {
  std::string out = "{";
  bool first = true;
  for (const auto& [name, param] : parameters_) {
    if (!first) out += ", ";
    first = false;
    out += name + "=" + param.value_text();
  }
  return out + "}";
}

JobParametersBuilder& JobParametersBuilder::add_string(std::string name, std::string value, bool identifying) {
  return add(std::move(name), JobParameter(std::move(value), identifying));
}
JobParametersBuilder& JobParametersBuilder::add_long(std::string name, int64_t value, bool identifying) {
  return add(std::move(name), JobParameter(value, identifying));
}
JobParametersBuilder& JobParametersBuilder::add_double(std::string name, double value, bool identifying) {
  return add(std::move(name), JobParameter(value, identifying));
}
JobParametersBuilder& JobParametersBuilder::add_date(std::string name, Date value, bool identifying) {
  return add(std::move(name), JobParameter(value, identifying));
}
JobParametersBuilder& JobParametersBuilder::add_date_time(std::string name, DateTime value, bool identifying) {
  return add(std::move(name), JobParameter(value, identifying));
}
JobParametersBuilder& JobParametersBuilder::add(std::string name, JobParameter parameter) {
  parameters_.insert_or_assign(std::move(name), std::move(parameter));
  return *this;
}
JobParametersBuilder& JobParametersBuilder::remove(std::string_view name) {
  parameters_.erase(std::string(name));
  return *this;
}

}  // namespace cppbatch
