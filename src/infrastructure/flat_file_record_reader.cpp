#include "cppbatch/infrastructure/flat_file_record_reader.hpp"

#include <cstring>
#include <stdexcept>

namespace cppbatch {

FlatFileRecordReader::FlatFileRecordReader(FlatFileReaderOptions options,
                                           std::unique_ptr<LineTokenizer> tokenizer)
    : options_(std::move(options)),
      tokenizer_(std::move(tokenizer)),
      count_key_(options_.name + ".read.count"),
      offset_key_(options_.name + ".offset"),
      line_key_(options_.name + ".line"),
      input_("reader '" + options_.name + "'") {
  const std::string who = "FlatFileRecordReader '" + options_.name + "': ";
  if (options_.path.empty()) throw std::invalid_argument(who + "path is empty");
  if (tokenizer_ == nullptr) throw std::invalid_argument(who + "no tokenizer");
  if (options_.lines_to_skip < 0) throw std::invalid_argument(who + "lines_to_skip < 0");
  if (options_.max_line_bytes == 0) throw std::invalid_argument(who + "max_line_bytes is 0");
  for (const auto& prefix : options_.comment_prefixes) {
    if (prefix.empty()) throw std::invalid_argument(who + "empty comment prefix");
  }
  plain_lines_ = options_.comment_prefixes.empty();
}

FlatFileRecordReader::~FlatFileRecordReader() = default;

void FlatFileRecordReader::open(ExecutionContext& context) {
  close();
  input_.open(options_.path, options_.compression, options_.buffer_size);
  read_count_ = 0;
  for (int64_t i = 0; i < options_.lines_to_skip; ++i) {
    if (!input_.next_line(options_.max_line_bytes)) break;
  }
  std::optional<int64_t> saved =
      options_.save_state ? context.get_long(offset_key_) : std::nullopt;
  if (!saved) return;
  if (*saved > input_.offset()) {
    try {
      input_.resume(*saved, context.get_long(line_key_).value_or(0), "reader '" + options_.name + "'");
    } catch (...) {
      close();
      throw;
    }
  }
  read_count_ = context.get_long(count_key_).value_or(0);
}

void FlatFileRecordReader::update(ExecutionContext& context, const Position& at) {
  if (!options_.save_state) return;
  context.put_long(count_key_, at.count);
  context.put_long(offset_key_, at.offset);
  context.put_long(line_key_, at.line);
}

void FlatFileRecordReader::close() { input_.close(); }

bool FlatFileRecordReader::is_comment(std::string_view line) const {
  for (const auto& prefix : options_.comment_prefixes) {
    if (line.starts_with(prefix)) return true;
  }
  return false;
}

void FlatFileRecordReader::not_open() const {
  throw std::logic_error("reader '" + options_.name + "': next() called before open()");
}

const FieldSet* FlatFileRecordReader::next_line(std::optional<TextInput::Line> line) {
  for (;; line = input_.next_line(options_.max_line_bytes)) {
    if (!line) return nullptr;
    if (line->overlong) {
      ++read_count_;
      throw ParseError(options_.path, line->number, 0, std::string(), std::string(line->text),
                       "line longer than max_line_bytes (" +
                           std::to_string(options_.max_line_bytes) + " bytes)");
    }
    if ((line->text.empty() && options_.skip_empty_lines) ||
        (!options_.comment_prefixes.empty() && is_comment(line->text))) {
      continue;
    }
    return tokenize(*line);
  }
}

}  // namespace cppbatch
