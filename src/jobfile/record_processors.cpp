#include "cppbatch/jobfile/record_processors.hpp"

#include <algorithm>

namespace cppbatch {

std::optional<Record> FilterRecordProcessor::process(const Record& item) {
  if (!keep_.test(item)) return std::nullopt;
  return item;
}

ComputeFieldsProcessor::ComputeFieldsProcessor(std::vector<std::pair<std::string, Expression>> fields)
    : fields_(std::move(fields)) {}

std::optional<Record> ComputeFieldsProcessor::process(const Record& item) {
  if (item.layout() != input_layout_ || !output_) {
    std::vector<std::string> names = item.layout() ? item.layout()->list() : std::vector<std::string>{};
    targets_.clear();
    for (const auto& [name, expression] : fields_) {
      auto it = std::find(names.begin(), names.end(), name);
      targets_.push_back(static_cast<size_t>(it - names.begin()));
      if (it == names.end()) names.push_back(name);
    }
    output_ = make_record_layout(std::move(names));
    input_layout_ = item.layout();
  }
  std::vector<Value> values;
  values.reserve(output_->size());
  values.assign(item.values().begin(), item.values().end());
  values.resize(output_->size());
  Record out(output_, std::move(values));
  for (size_t i = 0; i < fields_.size(); ++i) out.set(targets_[i], fields_[i].second.evaluate(out));
  return out;
}

std::optional<Record> MapFieldsProcessor::process(const Record& item) {
  if (item.layout() != input_layout_ || !output_) {
    const FieldNames empty;
    const FieldNames& in = item.layout() ? *item.layout() : empty;
    std::vector<std::string> names;
    sources_.clear();
    auto add = [&](size_t index) {
      std::string name = in[index];
      for (const auto& [from, to] : mapping_.rename) {
        if (from == name) name = to;
      }
      names.push_back(std::move(name));
      sources_.push_back(index);
    };
    if (!mapping_.select.empty()) {
      for (const std::string& name : mapping_.select) {
        auto index = in.index_of(name);
        if (!index) throw RecordError(name, "mapFields: the record has no field '" + name + "' (fields: " + in.joined() + ")");
        add(*index);
      }
    } else {
      for (size_t i = 0; i < in.size(); ++i) {
        if (std::find(mapping_.drop.begin(), mapping_.drop.end(), in[i]) == mapping_.drop.end()) add(i);
      }
    }
    output_ = make_record_layout(std::move(names));
    input_layout_ = item.layout();
  }
  std::vector<Value> values;
  values.reserve(sources_.size());
  for (size_t index : sources_) values.push_back(item[index]);
  return Record(output_, std::move(values));
}

}  // namespace cppbatch
