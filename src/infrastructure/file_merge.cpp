#include "cppbatch/infrastructure/file_merge.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "key_compare.hpp"
#include "sort_runs.hpp"

namespace cppbatch {
namespace {

struct Input {
  std::unique_ptr<DelimitedRecordReader> reader;
  const FieldSet* current = nullptr;
  std::string key, previous_key;
  int64_t previous_line = 0;
};

}  // namespace

MergeResult merge_files(const MergeOptions& options) {
  if (options.inputs.empty()) throw std::invalid_argument("merge: no input file");
  if (options.output.empty()) throw std::invalid_argument("merge: no output file");
  for (const std::string& path : options.inputs) {
    if (path == options.output) throw std::invalid_argument("merge: output '" + options.output + "' is an input");
  }
  KeyEncoder encoder(options.keys);
  internal::remove_quietly(internal::AtomicFileOutput::temporary_path(options.output));

  std::vector<Input> inputs(options.inputs.size());
  ExecutionContext context;
  for (size_t i = 0; i < inputs.size(); ++i) {
    DelimitedReaderOptions o = options.input;
    o.path = options.inputs[i];
    o.name = "mergeInput" + std::to_string(i);
    o.save_state = false;
    inputs[i].reader = std::make_unique<DelimitedRecordReader>(std::move(o));
    inputs[i].reader->open(context);
  }
  auto advance = [&](Input& in) {
    in.current = in.reader->next();
    if (in.current == nullptr) return false;
    if (!encoder.resolved()) encoder.resolve(in.reader->names());
    in.previous_key.swap(in.key);
    in.key.clear();
    encoder.encode(*in.current, in.key);
    if (in.previous_line > 0 && internal::compare_keys(in.key, in.previous_key) < 0) {
      throw std::runtime_error("merge: input '" + in.reader->options().path + "' is not sorted by " +
                               describe_sort_keys(encoder.keys()) + ": line " +
                               std::to_string(in.current->line_number()) + " (" + encoder.describe(*in.current) +
                               ") sorts before line " + std::to_string(in.previous_line));
    }
    in.previous_line = in.current->line_number();
    return true;
  };

  std::vector<size_t> heap;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (advance(inputs[i])) heap.push_back(i);
  }
  // All headers are read once every input has been asked for a record.
  if (options.input.header_as_names) {
    for (size_t i = 1; i < inputs.size(); ++i) {
      if (inputs[i].reader->names().list() != inputs[0].reader->names().list()) {
        throw std::runtime_error("merge: input '" + options.inputs[i] + "' has fields (" +
                                 inputs[i].reader->names().joined() + ") but '" + options.inputs[0] + "' has (" +
                                 inputs[0].reader->names().joined() + ")");
      }
    }
    if (!encoder.resolved() && !inputs[0].reader->names().empty()) encoder.resolve(inputs[0].reader->names());
  }

  internal::AtomicFileOutput out(options.output, options.sync);
  if (options.input.header_as_names) {
    out.out().append_line(internal::header_line(inputs[0].reader->names(), options.input));
  }
  auto after = [&](size_t a, size_t b) {
    int c = internal::compare_keys(inputs[a].key, inputs[b].key);
    return c > 0 || (c == 0 && a > b);
  };
  std::make_heap(heap.begin(), heap.end(), after);
  MergeResult result;
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), after);
    Input& in = inputs[heap.back()];
    out.out().append_line(in.current->raw_line());
    ++result.records;
    if (advance(in)) {
      std::push_heap(heap.begin(), heap.end(), after);
    } else {
      heap.pop_back();
    }
  }
  for (Input& in : inputs) in.reader->close();
  out.commit();
  return result;
}

MergeTasklet::MergeTasklet(MergeOptions options) : options_(std::move(options)) { (void)KeyEncoder(options_.keys); }

RepeatStatus MergeTasklet::execute(StepContribution& contribution, ChunkContext&) {
  MergeResult result = merge_files(options_);
  contribution.increment_read_count(result.records);
  contribution.increment_write_count(result.records);
  return RepeatStatus::FINISHED;
}

}  // namespace cppbatch
