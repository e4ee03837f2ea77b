// Record: a generic item with named, typed fields, for jobs that have no
// C++ type of their own (jobs declared in files, quick transformations).
// Every reader and writer of the I/O library converts to and from it.
//
// A Record is a layout (the field names, shared by all records of a
// source, immutable) plus one Value per field. A Value is null, bool,
// integer, double, text, date or date-time. Typed getters convert
// (text "42" reads as 42, 42 reads as "42"); a value that cannot be
// converted throws RecordError naming the field and the value.
//
//   auto layout = RecordLayout::of({"id", "name", "born"});
//   Record r(layout);
//   r.set("id", "AbduKa00"); r.set("born", int64_t{1974});
//   int64_t born = r.get_long("born");          // 1974
//   std::string text = r.get_string("born");     // "1974"
//   r.set("age", int64_t{52});                   // new field: copies the layout
//
// Copying a Record copies its values and shares its layout. Adding a field
// that the layout lacks gives this record a new layout (one allocation);
// for speed, build records on a layout that already has every field.
// Not thread-safe for writes; a const Record may be read from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "cppbatch/common/time_format.hpp"
#include "cppbatch/infrastructure/field_set.hpp"

namespace cppbatch {

class FieldWriter;

// One field's value. std::monostate is null.
using Value = std::variant<std::monostate, bool, int64_t, double, std::string, Date, DateTime>;

// "null", "bool", "integer", "double", "string", "date", "datetime".
std::string_view value_type_name(const Value& value);
// The text form: "" for null, "true"/"false", decimal integers, the
// shortest exact text of a double, ISO dates and date-times.
std::string value_to_string(const Value& value);
bool value_is_null(const Value& value);

// A conversion or lookup failed: unknown field, or a value of another type
// that cannot be read as the requested one.
class RecordError : public std::runtime_error {
 public:
  RecordError(std::string field, std::string message);
  const std::string& field() const { return field_; }

 private:
  std::string field_;
};

// The field names of records from one source; shared, immutable.
using RecordLayout = std::shared_ptr<const FieldNames>;
// A layout from names (std::invalid_argument on a duplicate).
RecordLayout make_record_layout(std::vector<std::string> names);

class Record {
 public:
  // An empty record (no fields).
  Record();
  // All fields of `layout`, null.
  explicit Record(RecordLayout layout);
  // `values` in layout order; std::invalid_argument if the sizes differ.
  Record(RecordLayout layout, std::vector<Value> values);

  size_t size() const { return values_.size(); }
  bool empty() const { return values_.empty(); }
  const RecordLayout& layout() const { return layout_; }
  const std::string& name(size_t index) const { return (*layout_)[index]; }
  bool has(std::string_view name) const { return layout_->index_of(name).has_value(); }
  std::optional<size_t> index_of(std::string_view name) const { return layout_->index_of(name); }

  // Raw values. get() throws RecordError for an unknown name.
  const Value& operator[](size_t index) const { return values_[index]; }
  Value& operator[](size_t index) { return values_[index]; }
  const Value& get(std::string_view name) const;
  const std::vector<Value>& values() const { return values_; }

  // Sets a field, adding it (at the end) when the layout lacks it.
  void set(std::string_view name, Value value);
  void set(size_t index, Value value) { values_.at(index) = std::move(value); }
  // Removes a field if present (gives the record a new layout).
  void erase(std::string_view name);

  bool is_null(std::string_view name) const;
  // Converting getters; RecordError when the value does not convert. A null
  // value converts to "" / throws for the others, unless a default is given.
  std::string get_string(std::string_view name) const;
  int64_t get_long(std::string_view name) const;
  int64_t get_long(std::string_view name, int64_t if_null) const;
  double get_double(std::string_view name) const;
  double get_double(std::string_view name, double if_null) const;
  bool get_bool(std::string_view name) const;
  Date get_date(std::string_view name) const;
  DateTime get_date_time(std::string_view name) const;

  // Same layout names in the same order and equal values (1 and 1.0 differ).
  friend bool operator==(const Record& a, const Record& b);

 private:
  RecordLayout layout_;
  std::vector<Value> values_;
};

// Conversions of one value (the converting getters use these; `field`
// names it in the error).
int64_t value_to_long(const Value& value, std::string_view field);
double value_to_double(const Value& value, std::string_view field);
bool value_to_bool(const Value& value, std::string_view field);
Date value_to_date(const Value& value, std::string_view field);
DateTime value_to_date_time(const Value& value, std::string_view field);

// FieldSet → Record: every field as text (typed getters convert later).
// Uses the field set's names when it has them (their layout is built once
// per distinct FieldNames and cached by the mapper), else "1".."n"... Use
// RecordMapper for a reader: it keeps the layout across records.
class RecordMapper {
 public:
  // Names are taken from each FieldSet (or `names` when given, which win).
  RecordMapper() = default;
  explicit RecordMapper(std::vector<std::string> names);
  Record operator()(const FieldSet& fields);

 private:
  RecordLayout layout_;
  const FieldNames* source_ = nullptr;  // the FieldNames layout_ was built from
  bool fixed_ = false;
};

// Record → delimited fields: every value in layout order, or the named
// fields in that order (a missing field is an empty value).
void write_record(const Record& record, FieldWriter& out);
void write_record(const Record& record, const std::vector<std::string>& fields, FieldWriter& out);

// Record ↔ JSON object. Dates and date-times become ISO strings; a JSON
// object becomes a record with a field per member (nested objects and
// arrays are kept as their JSON text).
nlohmann::json record_to_json(const Record& record);
Record record_from_json(const nlohmann::json& object);
void to_json(nlohmann::json& j, const Value& value);

}  // namespace cppbatch
