// FieldSet: the tokenised fields of one input record, with typed accessors
// by index or by name — what a line mapper sees (Spring's FieldSet).
//
// Values are views into buffers owned by the reader that produced the set:
// they, the FieldSet and everything read from it as string_view stay valid
// only until that reader's next read (copy what you keep). Typed accessors
// trim spaces and tabs before converting; a bad or missing value throws
// ParseError carrying the resource, line, the field's column and name, and
// the raw record. Not thread-safe (a read-only FieldSet may be read from
// several threads).
//
//   Player map(const FieldSet& fs) {
//     return Player{std::string(fs.read_string("id")), fs.read_long("birth_year"),
//                   fs.read_date(5), fs.read_double("score", 0.0)};
//   }
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cppbatch/common/time_format.hpp"
#include "cppbatch/infrastructure/parse_error.hpp"

namespace cppbatch {

// Field names of a record layout with O(1) lookup by name. Immutable once
// built; safe to share between threads. Throws std::invalid_argument on a
// duplicate name.
class FieldNames {
 public:
  FieldNames() = default;
  explicit FieldNames(std::vector<std::string> names);

  size_t size() const { return names_.size(); }
  bool empty() const { return names_.empty(); }
  const std::string& operator[](size_t index) const { return names_[index]; }
  const std::vector<std::string>& list() const { return names_; }
  std::optional<size_t> index_of(std::string_view name) const;
  // "a, b, c" (for messages).
  std::string joined() const;

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  std::vector<std::string> names_;
  std::unordered_map<std::string, size_t, Hash, std::equal_to<>> index_;
};

class FieldSet {
 public:
  FieldSet() = default;
  // A standalone set over `values` (views, not owned; they must outlive the
  // set), with optional names (not owned, may be null) and the location used
  // in error messages. Columns are unknown (0) in such a set.
  explicit FieldSet(std::vector<std::string_view> values, const FieldNames* names = nullptr,
                    std::string_view resource = {}, int64_t line = 0,
                    std::string_view raw_line = {});

  size_t size() const { return size_; }
  bool has_names() const { return names_ != nullptr && !names_->empty(); }
  const FieldNames* names() const { return names_; }  // null when none
  std::string_view resource() const { return resource_; }
  int64_t line_number() const { return line_; }       // 1-based physical line
  std::string_view raw_line() const { return raw_; }  // the record as read
  // 1-based byte column where field `index` starts in raw_line(); 0 unknown.
  int64_t column(size_t index) const;
  // Index of a named field; nullopt when unnamed or unknown.
  std::optional<size_t> index_of(std::string_view name) const;

  // Unchecked raw value (index < size()).
  std::string_view operator[](size_t index) const { return values_[index]; }
  std::span<const std::string_view> values() const { return {values_.data(), size_}; }

  // The value as is (not trimmed beyond the reader's trim option).
  std::string_view read_string(size_t index) const { return values_[checked(index)]; }
  std::string_view read_string(std::string_view name) const;
  // Decimal integer, optional sign. Blank, garbage or out of range → ParseError.
  // (Inline: a sign and up to 18 digits, the usual value, are converted
  // here; anything else goes to the full conversion, which reports errors.)
  [[gnu::always_inline]] int64_t read_long(size_t index) const {
    std::string_view v = trim_blanks(values_[checked(index)]);
    const char* p = v.data();
    const char* const end = p + v.size();
    const bool negative = p != end && *p == '-';
    if (p != end && (*p == '-' || *p == '+')) ++p;
    if (p != end && end - p <= 18) {  // 18 digits cannot overflow int64_t
      int64_t value = 0;
      for (; p != end; ++p) {
        const auto digit = static_cast<unsigned>(static_cast<unsigned char>(*p)) - '0';
        if (digit > 9) break;
        value = value * 10 + static_cast<int64_t>(digit);
      }
      if (p == end) return negative ? -value : value;
    }
    return read_long_slow(index);
  }
  int64_t read_long(std::string_view name) const;
  // Same, but a blank value yields `if_blank`.
  int64_t read_long(size_t index, int64_t if_blank) const;
  int64_t read_long(std::string_view name, int64_t if_blank) const;
  // Decimal or scientific ("1.5", "-2e3", "inf", "nan").
  [[gnu::always_inline]] double read_double(size_t index) const {
    std::string_view v = drop_plus(trim_blanks(values_[checked(index)]));
    double out = 0;
    if (!v.empty()) {  // std::from_chars for double is a library call, not inlined
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
      if (ec == std::errc() && end == v.data() + v.size()) return out;
    }
    return read_double_slow(index);
  }
  double read_double(std::string_view name) const;
  double read_double(size_t index, double if_blank) const;
  double read_double(std::string_view name, double if_blank) const;
  // YYYY-MM-DD, a valid calendar day.
  Date read_date(size_t index) const;
  Date read_date(std::string_view name) const;
  // true/false, yes/no, y/n, 1/0 (any case).
  bool read_bool(size_t index) const;
  bool read_bool(std::string_view name) const;
  // True when the value is empty or only spaces/tabs.
  bool is_blank(size_t index) const;
  bool is_blank(std::string_view name) const;

  // Throws a ParseError about field `index` (for a mapper's own validation).
  [[noreturn]] void fail(size_t index, std::string_view reason) const;
  // Throws a ParseError about the whole record.
  [[noreturn]] void fail(std::string_view reason) const;

  // Filling a set — for readers and LineTokenizers, not for mappers.
  // Drops the values and their columns (keeps capacity, names and location).
  void clear_values() {
    size_ = 0;
    columns_.clear();
    layout_columns_ = {};
  }
  // Appends a value starting at 1-based byte `column` of the raw line.
  void add(std::string_view value, int64_t column) {
    add(value);
    columns_.push_back(column);
  }
  // Appends a value whose column comes from set_layout_columns() — for
  // layouts where every record has its values at the same columns
  // (fixed-length), saving a column per value and record.
  void add(std::string_view value) {
    if (size_ == values_.size()) values_.push_back(value);
    else values_[size_] = value;
    ++size_;
  }
  // Appends `count` values at once (columns from set_layout_columns(), as
  // above) and returns them for the caller to fill in — for a tokenizer
  // that knows its count. They are empty until written.
  std::span<std::string_view> add_values(size_t count) {
    if (values_.size() < size_ + count) [[unlikely]] values_.resize(size_ + count);
    std::span<std::string_view> added(values_.data() + size_, count);
    size_ += count;
    return added;
  }
  // The columns of the values added without one: value i starts at
  // `columns[i]` (not owned: it must outlive the set's use). Dropped by
  // clear_values().
  void set_layout_columns(std::span<const int64_t> columns) { layout_columns_ = columns; }
  // Where the record comes from (views, not owned: they must outlive the
  // set's use).
  void set_location(std::string_view resource, int64_t line, std::string_view raw_line) {
    resource_ = resource;
    line_ = line;
    raw_ = raw_line;
  }
  // Names of the values (not owned; null = none).
  void set_names(const FieldNames* names) { names_ = names; }
  // Makes the values match the names' count (no-op without names).
  // strict: another count throws ParseError — at the end of the line
  // naming the first missing field, or at the first extra one. Lenient:
  // pads with empty values; extra values are kept (readable by index).
  void fit_to_names(bool strict);

 private:
  friend class DelimitedRecordReader;

  // `index`, or a ParseError when out of range (inline: on every read).
  size_t checked(size_t index) const {
    if (index >= size_) [[unlikely]] fail_no_field(index);
    return index;
  }
  [[noreturn]] void fail_no_field(size_t index) const;
  // The value without the spaces and tabs around it (the common case,
  // nothing to trim, first: every typed read goes through it).
  [[gnu::always_inline]] static std::string_view trim_blanks(std::string_view v) {
    auto blank = [](char c) { return c == ' ' || c == '\t'; };
    // ' ' and '\t' are <= ' ': one compare per side when there is no padding.
    if (v.empty() || (static_cast<unsigned char>(v.front()) > ' ' &&
                      static_cast<unsigned char>(v.back()) > ' ')) {
      return v;
    }
    size_t b = 0, e = v.size();
    while (b < e && blank(v[b])) ++b;
    while (e > b && blank(v[e - 1])) --e;
    return v.substr(b, e - b);
  }
  // Drops a leading '+' before a digit or '.', which std::from_chars rejects.
  static std::string_view drop_plus(std::string_view v) {
    if (v.size() > 1 && v[0] == '+' && v[1] != '-' && v[1] != '+') return v.substr(1);
    return v;
  }
  // The full conversions behind read_long/read_double: they convert what
  // the inline paths leave (19 digits) and throw the ParseErrors.
  int64_t read_long_slow(size_t index) const;
  double read_double_slow(size_t index) const;
  size_t resolve(std::string_view name) const;  // throws when unknown
  std::string field_label(size_t index) const;

  // values_[0, size_) are the values; the rest is storage kept from
  // earlier records, so that filling a set does not reallocate.
  std::vector<std::string_view> values_;
  size_t size_ = 0;
  std::vector<int64_t> columns_;  // parallel to values_, or empty
  std::span<const int64_t> layout_columns_;  // used when columns_ is empty
  const FieldNames* names_ = nullptr;
  std::string_view resource_;
  int64_t line_ = 0;
  std::string_view raw_;
};

}  // namespace cppbatch
