#include "cppbatch/jobfile/record_processors.hpp"

#include <algorithm>
#include <stdexcept>

namespace cppbatch {

std::optional<Record> FilterRecordProcessor::process(const Record& item) {
  if (!keep_.test(item)) return std::nullopt;
  return item;
}

RecordProcessorChain::RecordProcessorChain(std::vector<std::unique_ptr<ItemProcessor<Record, Record>>> stages)
    : stages_(std::move(stages)) {
  if (stages_.empty()) throw std::invalid_argument("RecordProcessorChain: no stage");
  for (const auto& stage : stages_) {
    if (!stage) throw std::invalid_argument("RecordProcessorChain: null stage");
    filters_.push_back(dynamic_cast<const FilterRecordProcessor*>(stage.get()));
  }
}

std::optional<Record> RecordProcessorChain::process(const Record& item) {
  std::optional<Record> current;  // empty while the item is unchanged
  for (size_t i = 0; i < stages_.size(); ++i) {
    const Record& in = current ? *current : item;
    if (filters_[i] != nullptr) {
      if (!filters_[i]->keeps(in)) return std::nullopt;
      continue;
    }
    std::optional<Record> out = stages_[i]->process(in);
    if (!out) return std::nullopt;
    current = std::move(out);
  }
  if (!current) return item;
  return current;
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
  for (size_t i = 0; i < fields_.size(); ++i) out.set(targets_[i], fields_[i].second.evaluate_value(out));
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
