#include "cppbatch/infrastructure/field_set.hpp"

#include <charconv>
#include <stdexcept>
#include <system_error>

namespace cppbatch {
namespace {

constexpr size_t kMaxValueShown = 60;

// "'value'" bounded for messages.
std::string quoted(std::string_view v) {
  std::string out = "'";
  if (v.size() > kMaxValueShown) {
    out.append(v.substr(0, kMaxValueShown));
    out += "…";
  } else {
    out.append(v);
  }
  out += '\'';
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != b[i]) return false;
  }
  return true;
}

}  // namespace

FieldNames::FieldNames(std::vector<std::string> names) : names_(std::move(names)) {
  index_.reserve(names_.size());
  for (size_t i = 0; i < names_.size(); ++i) {
    if (!index_.emplace(names_[i], i).second) {
      throw std::invalid_argument("duplicate field name '" + names_[i] + "'");
    }
  }
}

std::optional<size_t> FieldNames::index_of(std::string_view name) const {
  auto it = index_.find(name);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

std::string FieldNames::joined() const {
  std::string out;
  for (const auto& n : names_) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

FieldSet::FieldSet(std::vector<std::string_view> values, const FieldNames* names,
                   std::string_view resource, int64_t line, std::string_view raw_line)
    : values_(std::move(values)), size_(values_.size()), names_(names), resource_(resource), line_(line), raw_(raw_line) {}

int64_t FieldSet::column(size_t index) const {
  if (index < columns_.size()) return columns_[index];
  return columns_.empty() && index < layout_columns_.size() ? layout_columns_[index] : 0;
}

std::optional<size_t> FieldSet::index_of(std::string_view name) const {
  if (names_ == nullptr) return std::nullopt;
  return names_->index_of(name);
}

std::string FieldSet::field_label(size_t index) const {
  if (names_ != nullptr && index < names_->size() && !(*names_)[index].empty()) {
    return (*names_)[index];
  }
  return "#" + std::to_string(index + 1);
}

void FieldSet::fail(size_t index, std::string_view reason) const {
  throw ParseError(std::string(resource_), line_, column(index), field_label(index),
                   std::string(raw_), std::string(reason));
}

void FieldSet::fail(std::string_view reason) const {
  throw ParseError(std::string(resource_), line_, 0, std::string(), std::string(raw_),
                   std::string(reason));
}

void FieldSet::fit_to_names(bool strict) {
  if (names_ == nullptr || names_->empty()) return;
  const size_t expected = names_->size();
  const size_t found = size_;
  if (found == expected) return;
  const auto end_column = static_cast<int64_t>(raw_.size()) + 1;
  if (!strict) {
    if (found > expected) return;
    if (columns_.size() < found) {  // values added at layout columns: keep theirs
      const size_t had = columns_.size();
      columns_.resize(found);
      for (size_t i = had; i < found; ++i) {
        columns_[i] = i < layout_columns_.size() ? layout_columns_[i] : 0;
      }
    }
    for (size_t i = found; i < expected; ++i) add(std::string_view(), end_column);
    return;
  }
  std::string counts =
      "expected " + std::to_string(expected) + " fields, found " + std::to_string(found);
  if (found < expected) {
    throw ParseError(std::string(resource_), line_, end_column, (*names_)[found], std::string(raw_),
                     "missing field: " + counts);
  }
  throw ParseError(std::string(resource_), line_, column(expected),
                   "#" + std::to_string(expected + 1), std::string(raw_),
                   "unexpected extra field: " + counts);
}

void FieldSet::fail_no_field(size_t index) const {
  throw ParseError(std::string(resource_), line_, 0, field_label(index), std::string(raw_),
                   "no such field: the record has " + std::to_string(size_) + " fields");
}

size_t FieldSet::resolve(std::string_view name) const {
  if (names_ != nullptr) {
    if (auto i = names_->index_of(name)) return checked(*i);
  }
  std::string reason = names_ == nullptr || names_->empty()
                           ? std::string("unknown field name: the record has no field names")
                           : "unknown field name (known: " + names_->joined() + ")";
  throw ParseError(std::string(resource_), line_, 0, std::string(name), std::string(raw_),
                   std::move(reason));
}

std::string_view FieldSet::read_string(std::string_view name) const {
  return values_[resolve(name)];
}

bool FieldSet::is_blank(size_t index) const { return trim_blanks(values_[checked(index)]).empty(); }
bool FieldSet::is_blank(std::string_view name) const { return trim_blanks(values_[resolve(name)]).empty(); }

int64_t FieldSet::read_long_slow(size_t index) const {
  std::string_view v = trim_blanks(values_[checked(index)]);
  if (v.empty()) fail(index, "empty value, expected an integer");
  std::string_view digits = drop_plus(v);
  int64_t out = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
  if (ec == std::errc::result_out_of_range) {
    fail(index, quoted(v) + " is out of range for a 64-bit integer");
  }
  if (ec != std::errc() || end != digits.data() + digits.size()) {
    fail(index, quoted(v) + " is not an integer");
  }
  return out;
}
int64_t FieldSet::read_long(std::string_view name) const { return read_long(resolve(name)); }
int64_t FieldSet::read_long(size_t index, int64_t if_blank) const {
  return is_blank(index) ? if_blank : read_long(index);
}
int64_t FieldSet::read_long(std::string_view name, int64_t if_blank) const {
  return read_long(resolve(name), if_blank);
}

double FieldSet::read_double_slow(size_t index) const {
  std::string_view v = trim_blanks(values_[checked(index)]);
  if (v.empty()) fail(index, "empty value, expected a number");
  std::string_view digits = drop_plus(v);
  double out = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
  if (ec == std::errc::result_out_of_range) {
    fail(index, quoted(v) + " is out of range for a double");
  }
  if (ec != std::errc() || end != digits.data() + digits.size()) {
    fail(index, quoted(v) + " is not a number");
  }
  return out;
}
double FieldSet::read_double(std::string_view name) const { return read_double(resolve(name)); }
double FieldSet::read_double(size_t index, double if_blank) const {
  return is_blank(index) ? if_blank : read_double(index);
}
double FieldSet::read_double(std::string_view name, double if_blank) const {
  return read_double(resolve(name), if_blank);
}

Date FieldSet::read_date(size_t index) const {
  std::string_view v = trim_blanks(values_[checked(index)]);
  if (v.empty()) fail(index, "empty value, expected a date (YYYY-MM-DD)");
  auto date = parse_date(v);
  if (!date) fail(index, quoted(v) + " is not a date (YYYY-MM-DD)");
  return *date;
}
Date FieldSet::read_date(std::string_view name) const { return read_date(resolve(name)); }

bool FieldSet::read_bool(size_t index) const {
  std::string_view v = trim_blanks(values_[checked(index)]);
  if (iequals(v, "true") || iequals(v, "yes") || iequals(v, "y") || v == "1") return true;
  if (iequals(v, "false") || iequals(v, "no") || iequals(v, "n") || v == "0") return false;
  fail(index, quoted(v) + " is not a boolean (true/false, yes/no, y/n, 1/0)");
}
bool FieldSet::read_bool(std::string_view name) const { return read_bool(resolve(name)); }

}  // namespace cppbatch
