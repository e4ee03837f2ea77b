// The record processors of job files (types `filter`, `compute` and
// `mapFields`), usable from C++ too:
//
//   FilterRecordProcessor adults(Expression::parse("age >= 18"));          // others are filtered out
//   ComputeFieldsProcessor full({{"name", Expression::parse("concat(first, ' ', last)")},
//                                {"age", Expression::parse("2026 - int(born)")}});
//   MapFieldsProcessor out({.select = {"id", "name", "age"}, .rename = {{"id", "player_id"}}});
//
// Each caches the output layout per input layout (records of one source
// share theirs), so a record costs one copy of its values and no layout
// allocation. Errors: ExpressionError from an expression (naming it and the
// column), RecordError for a selected field the record lacks. Not
// thread-safe (the expressions cache field positions).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cppbatch/core/item_processor.hpp"
#include "cppbatch/infrastructure/record.hpp"
#include "cppbatch/jobfile/expression.hpp"

namespace cppbatch {

// Keeps the records for which the expression is true; the others are
// filtered (Spring's filter count), null counting as false.
class FilterRecordProcessor final : public ItemProcessor<Record, Record> {
 public:
  explicit FilterRecordProcessor(Expression keep) : keep_(std::move(keep)) {}
  std::optional<Record> process(const Record& item) override;
  // The decision alone, without copying the record.
  bool keeps(const Record& item) const { return keep_.test(item); }

 private:
  Expression keep_;
};

// Sets fields to the value of expressions, in order: a new name is added
// at the end of the record, an existing one replaced; an expression sees
// the fields computed before it.
class ComputeFieldsProcessor final : public ItemProcessor<Record, Record> {
 public:
  explicit ComputeFieldsProcessor(std::vector<std::pair<std::string, Expression>> fields);
  std::optional<Record> process(const Record& item) override;

 private:
  std::vector<std::pair<std::string, Expression>> fields_;
  RecordLayout input_layout_;  // the layout output_ was made for (held: its address stays unique)
  RecordLayout output_;
  std::vector<size_t> targets_;  // output index of each computed field
};

// Stages applied in order, stopping at the first that filters. Filter
// stages only test the current record (no copy), so a chain copies a
// record only where a stage transforms it.
class RecordProcessorChain final : public ItemProcessor<Record, Record> {
 public:
  // std::invalid_argument when empty or a stage is null.
  explicit RecordProcessorChain(std::vector<std::unique_ptr<ItemProcessor<Record, Record>>> stages);
  std::optional<Record> process(const Record& item) override;

 private:
  std::vector<std::unique_ptr<ItemProcessor<Record, Record>>> stages_;
  std::vector<const FilterRecordProcessor*> filters_;  // per stage: itself if a filter, else null
};

struct FieldMapping {
  // Output fields in this order (input names); empty: every field not dropped.
  std::vector<std::string> select{};
  // Fields removed (when select is empty).
  std::vector<std::string> drop{};
  // Input name → output name.
  std::vector<std::pair<std::string, std::string>> rename{};
};

// Selects, drops and renames fields. std::invalid_argument when two output
// fields would share a name; RecordError when a selected field is missing.
class MapFieldsProcessor final : public ItemProcessor<Record, Record> {
 public:
  explicit MapFieldsProcessor(FieldMapping mapping) : mapping_(std::move(mapping)) {}
  std::optional<Record> process(const Record& item) override;

 private:
  FieldMapping mapping_;
  RecordLayout input_layout_;
  RecordLayout output_;
  std::vector<size_t> sources_;  // input index of each output field
};

}  // namespace cppbatch
