#include "cppbatch/infrastructure/record.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

#include "cppbatch/infrastructure/field_writer.hpp"

namespace cppbatch {
namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

std::string_view trim(std::string_view v) {
  size_t b = 0, e = v.size();
  while (b < e && (v[b] == ' ' || v[b] == '\t')) ++b;
  while (e > b && (v[e - 1] == ' ' || v[e - 1] == '\t')) --e;
  return v.substr(b, e - b);
}

[[noreturn]] void cannot(const Value& value, std::string_view field, std::string_view wanted) {
  std::string shown = value_to_string(value);
  if (shown.size() > 60) shown = shown.substr(0, 60) + "…";
  throw RecordError(std::string(field), "field '" + std::string(field) + "': cannot read " +
                                            std::string(value_type_name(value)) + " '" + shown +
                                            "' as " + std::string(wanted));
}

std::string format_double(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  (void)ec;
  return std::string(buffer, end);
}

RecordLayout positional_layout(size_t n) {
  std::vector<std::string> names;
  names.reserve(n);
  for (size_t i = 1; i <= n; ++i) names.push_back(std::to_string(i));
  return make_record_layout(std::move(names));
}

const RecordLayout& empty_layout() {
  static const RecordLayout layout = make_record_layout({});
  return layout;
}

}  // namespace

std::string_view value_type_name(const Value& value) {
  static constexpr std::string_view names[] = {"null",   "bool", "integer", "double",
                                               "string", "date", "datetime"};
  return names[value.index()];
}

bool value_is_null(const Value& value) { return std::holds_alternative<std::monostate>(value); }

std::string value_to_string(const Value& value) {
  return std::visit(Overloaded{[](std::monostate) { return std::string(); },
                               [](bool b) { return std::string(b ? "true" : "false"); },
                               [](int64_t i) { return std::to_string(i); },
                               [](double d) { return format_double(d); },
                               [](const std::string& s) { return s; },
                               [](Date d) { return format_date(d); },
                               [](DateTime t) { return format_date_time(t); }},
                    value);
}

int64_t value_to_long(const Value& value, std::string_view field) {
  if (auto* i = std::get_if<int64_t>(&value)) return *i;
  if (auto* b = std::get_if<bool>(&value)) return *b ? 1 : 0;
  if (auto* d = std::get_if<double>(&value)) {
    if (std::isfinite(*d) && std::trunc(*d) == *d && *d >= -9.2e18 && *d <= 9.2e18) {
      return static_cast<int64_t>(*d);
    }
    cannot(value, field, "integer");
  }
  if (auto* s = std::get_if<std::string>(&value)) {
    std::string_view t = trim(*s);
    if (t.size() > 1 && t[0] == '+' && t[1] != '-') t.remove_prefix(1);
    int64_t out = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
    if (!t.empty() && ec == std::errc() && end == t.data() + t.size()) return out;
  }
  cannot(value, field, "integer");
}

double value_to_double(const Value& value, std::string_view field) {
  if (auto* d = std::get_if<double>(&value)) return *d;
  if (auto* i = std::get_if<int64_t>(&value)) return static_cast<double>(*i);
  if (auto* s = std::get_if<std::string>(&value)) {
    std::string_view t = trim(*s);
    if (t.size() > 1 && t[0] == '+' && t[1] != '-') t.remove_prefix(1);
    double out = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
    if (!t.empty() && ec == std::errc() && end == t.data() + t.size()) return out;
  }
  cannot(value, field, "double");
}

bool value_to_bool(const Value& value, std::string_view field) {
  if (auto* b = std::get_if<bool>(&value)) return *b;
  if (auto* i = std::get_if<int64_t>(&value)) {
    if (*i == 0 || *i == 1) return *i == 1;
  }
  if (auto* s = std::get_if<std::string>(&value)) {
    std::string t(trim(*s));
    for (char& c : t) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    if (t == "true" || t == "yes" || t == "y" || t == "1") return true;
    if (t == "false" || t == "no" || t == "n" || t == "0") return false;
  }
  cannot(value, field, "bool");
}

Date value_to_date(const Value& value, std::string_view field) {
  if (auto* d = std::get_if<Date>(&value)) return *d;
  if (auto* t = std::get_if<DateTime>(&value)) {
    return Date{std::chrono::floor<std::chrono::days>(*t)};
  }
  if (auto* s = std::get_if<std::string>(&value)) {
    if (auto d = parse_date(trim(*s))) return *d;
    if (auto t = parse_date_time(trim(*s))) return Date{std::chrono::floor<std::chrono::days>(*t)};
  }
  cannot(value, field, "date");
}

DateTime value_to_date_time(const Value& value, std::string_view field) {
  if (auto* t = std::get_if<DateTime>(&value)) return *t;
  if (auto* d = std::get_if<Date>(&value)) {
    return DateTime{std::chrono::local_days{*d}.time_since_epoch()};
  }
  if (auto* s = std::get_if<std::string>(&value)) {
    if (auto t = parse_date_time(trim(*s))) return *t;
  }
  cannot(value, field, "datetime");
}

RecordError::RecordError(std::string field, std::string message)
    : std::runtime_error(std::move(message)), field_(std::move(field)) {}

RecordLayout make_record_layout(std::vector<std::string> names) {
  return std::make_shared<const FieldNames>(std::move(names));
}

Record::Record() : layout_(empty_layout()) {}

Record::Record(RecordLayout layout) : layout_(std::move(layout)) {
  if (!layout_) layout_ = empty_layout();
  values_.resize(layout_->size());
}

Record::Record(RecordLayout layout, std::vector<Value> values)
    : layout_(std::move(layout)), values_(std::move(values)) {
  if (!layout_) layout_ = empty_layout();
  if (values_.size() != layout_->size()) {
    throw std::invalid_argument("Record: " + std::to_string(values_.size()) + " values for " +
                                std::to_string(layout_->size()) + " fields");
  }
}

const Value& Record::get(std::string_view name) const {
  auto index = layout_->index_of(name);
  if (!index) {
    throw RecordError(std::string(name), "no field '" + std::string(name) +
                                             "' in record (fields: " + layout_->joined() + ")");
  }
  return values_[*index];
}

void Record::set(std::string_view name, Value value) {
  if (auto index = layout_->index_of(name)) {
    values_[*index] = std::move(value);
    return;
  }
  std::vector<std::string> names = layout_->list();
  names.emplace_back(name);
  layout_ = make_record_layout(std::move(names));
  values_.push_back(std::move(value));
}

void Record::erase(std::string_view name) {
  auto index = layout_->index_of(name);
  if (!index) return;
  std::vector<std::string> names = layout_->list();
  names.erase(names.begin() + static_cast<std::ptrdiff_t>(*index));
  layout_ = make_record_layout(std::move(names));
  values_.erase(values_.begin() + static_cast<std::ptrdiff_t>(*index));
}

bool Record::is_null(std::string_view name) const { return value_is_null(get(name)); }

std::string Record::get_string(std::string_view name) const { return value_to_string(get(name)); }

int64_t Record::get_long(std::string_view name) const { return value_to_long(get(name), name); }

int64_t Record::get_long(std::string_view name, int64_t if_null) const {
  const Value& v = get(name);
  if (value_is_null(v)) return if_null;
  if (auto* s = std::get_if<std::string>(&v); s && trim(*s).empty()) return if_null;
  return value_to_long(v, name);
}

double Record::get_double(std::string_view name) const { return value_to_double(get(name), name); }

double Record::get_double(std::string_view name, double if_null) const {
  const Value& v = get(name);
  if (value_is_null(v)) return if_null;
  if (auto* s = std::get_if<std::string>(&v); s && trim(*s).empty()) return if_null;
  return value_to_double(v, name);
}

bool Record::get_bool(std::string_view name) const { return value_to_bool(get(name), name); }

Date Record::get_date(std::string_view name) const { return value_to_date(get(name), name); }

DateTime Record::get_date_time(std::string_view name) const {
  return value_to_date_time(get(name), name);
}

bool operator==(const Record& a, const Record& b) {
  if (a.values_ != b.values_) return false;
  if (a.layout_ == b.layout_) return true;
  return a.layout_->list() == b.layout_->list();
}

RecordMapper::RecordMapper(std::vector<std::string> names)
    : layout_(make_record_layout(std::move(names))), fixed_(true) {}

Record RecordMapper::operator()(const FieldSet& fields) {
  if (!fixed_) {
    const FieldNames* names = fields.names();
    if (names != nullptr && !names->empty()) {
      if (names != source_ || !layout_) {
        layout_ = make_record_layout(names->list());
        source_ = names;
      }
    } else if (!layout_ || layout_->size() != fields.size() || source_ != nullptr) {
      layout_ = positional_layout(fields.size());
      source_ = nullptr;
    }
  }
  std::vector<Value> values(layout_->size());
  const size_t n = std::min(values.size(), fields.size());
  for (size_t i = 0; i < n; ++i) values[i] = std::string(fields[i]);
  return Record(layout_, std::move(values));
}

namespace {

void write_value(const Value& value, FieldWriter& out) {
  std::visit(Overloaded{[&](std::monostate) { out.write_empty(); },
                        [&](bool b) { out.write(b); },
                        [&](int64_t i) { out.write(i); },
                        [&](double d) { out.write(d); },
                        [&](const std::string& s) { out.write(std::string_view(s)); },
                        [&](Date d) { out.write(d); },
                        [&](DateTime t) { out.write(std::string_view(format_date_time(t))); }},
             value);
}

}  // namespace

void write_record(const Record& record, FieldWriter& out) {
  for (const Value& v : record.values()) write_value(v, out);
}

void write_record(const Record& record, const std::vector<std::string>& fields,
                  FieldWriter& out) {
  for (const std::string& name : fields) {
    auto index = record.index_of(name);
    if (index) {
      write_value(record[*index], out);
    } else {
      out.write_empty();
    }
  }
}

void to_json(nlohmann::json& j, const Value& value) {
  std::visit(Overloaded{[&](std::monostate) { j = nullptr; },
                        [&](bool b) { j = b; },
                        [&](int64_t i) { j = i; },
                        [&](double d) { j = d; },
                        [&](const std::string& s) { j = s; },
                        [&](Date d) { j = format_date(d); },
                        [&](DateTime t) { j = format_date_time(t); }},
             value);
}

nlohmann::json record_to_json(const Record& record) {
  nlohmann::json object = nlohmann::json::object();
  for (size_t i = 0; i < record.size(); ++i) {
    nlohmann::json v;
    to_json(v, record[i]);
    object[record.name(i)] = std::move(v);
  }
  return object;
}

Record record_from_json(const nlohmann::json& object) {
  if (!object.is_object()) {
    throw RecordError("", "expected a JSON object for a record, got " +
                              std::string(object.type_name()));
  }
  std::vector<std::string> names;
  std::vector<Value> values;
  names.reserve(object.size());
  values.reserve(object.size());
  for (auto it = object.begin(); it != object.end(); ++it) {
    names.push_back(it.key());
    const nlohmann::json& v = it.value();
    switch (v.type()) {
      case nlohmann::json::value_t::null:
        values.emplace_back(std::monostate{});
        break;
      case nlohmann::json::value_t::boolean:
        values.emplace_back(v.get<bool>());
        break;
      case nlohmann::json::value_t::number_integer:
        values.emplace_back(v.get<int64_t>());
        break;
      case nlohmann::json::value_t::number_unsigned: {
        auto u = v.get<uint64_t>();
        if (u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
          values.emplace_back(static_cast<int64_t>(u));
        } else {
          values.emplace_back(static_cast<double>(u));
        }
        break;
      }
      case nlohmann::json::value_t::number_float:
        values.emplace_back(v.get<double>());
        break;
      case nlohmann::json::value_t::string:
        values.emplace_back(v.get<std::string>());
        break;
      default:
        values.emplace_back(v.dump());
        break;
    }
  }
  return Record(make_record_layout(std::move(names)), std::move(values));
}

}  // namespace cppbatch
