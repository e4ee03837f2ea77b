// FlatFileRecordReader: reads a text file line by line (plain, gzip or
// zstd) and splits each line into a reused FieldSet with a LineTokenizer —
// the line-based engine behind FlatFileReader<T> (Spring's
// FlatFileItemReader with a LineMapper). Use it for fixed-length files
// (FixedLengthTokenizer), files mixing kinds of lines
// (PatternMatchingLineTokenizer), or any tokenizer of your own; delimited
// files whose quoted values span lines need DelimitedRecordReader.
//
//   FlatFileRecordReader records(
//       {.path = "trades.txt"},
//       std::make_unique<FixedLengthTokenizer>(FixedLengthTokenizerOptions{
//           .columns = parse_column_ranges("1-12, 13-15, 16-20, 21-29"),
//           .names = {"isin", "quantity", "price", "customer"}}));
//   records.open(ctx);
//   while (const FieldSet* fs = records.next()) ...
//
// Restart by byte offset, like DelimitedRecordReader: context keys
// <name>.read.count, <name>.offset, <name>.line. Memory is flat in the file
// size. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cppbatch/infrastructure/byte_source.hpp"
#include "cppbatch/infrastructure/line_tokenizer.hpp"
#include "cppbatch/infrastructure/record_reader.hpp"
#include "cppbatch/infrastructure/text_input.hpp"

namespace cppbatch {

struct FlatFileReaderOptions {
  // The file to read. Required; a missing file fails open().
  std::string path{};
  // Prefix of the context keys. Give each reader of a step its own.
  std::string name = "flatFileReader";
  // AUTO: gzip/zstd recognised by their magic bytes (see byte_source.hpp).
  Compression compression = Compression::AUTO;
  // Physical lines skipped at the top (headers).
  int64_t lines_to_skip = 0;
  // Lines starting with one of these (at byte 0) are skipped.
  std::vector<std::string> comment_prefixes{};
  // Empty lines are skipped (still counted for line numbers). false: an
  // empty line is handed to the tokenizer like any other.
  bool skip_empty_lines = true;
  // A longer line is a ParseError (reading resumes at the next line).
  size_t max_line_bytes = 16 * 1024 * 1024;
  // Read buffer, raised to at least 128 KiB.
  size_t buffer_size = 128 * 1024;
  // false: update() saves nothing, open() ignores saved state.
  bool save_state = true;
};

class FlatFileRecordReader : public RecordReader {
 public:
  // std::invalid_argument: empty path, null tokenizer, bad options.
  FlatFileRecordReader(FlatFileReaderOptions options, std::unique_ptr<LineTokenizer> tokenizer);
  ~FlatFileRecordReader() override;
  FlatFileRecordReader(const FlatFileRecordReader&) = delete;
  FlatFileRecordReader& operator=(const FlatFileRecordReader&) = delete;

  // Opens the file, skips lines_to_skip, then seeks to the saved
  // <name>.offset if any. std::runtime_error naming the path when the file
  // cannot be opened or is shorter than the saved offset.
  void open(ExecutionContext& context) override;
  using RecordReader::update;
  void update(ExecutionContext& context, const Position& at) override;
  void close() override;

  // The next line's fields, nullptr at the end. ParseError (the line is
  // consumed) when the tokenizer rejects it or it is too long.
  // (Inline: a line held whole in the buffer goes straight to the
  // tokenizer; the rest — end of buffer, skipped, overlong — to next_line.)
  const FieldSet* next() override {
    if (!input_.is_open()) [[unlikely]] not_open();
    std::optional<TextInput::Line> line = input_.next_line(options_.max_line_bytes);
    if (line && !line->overlong && !line->text.empty() && plain_lines_) [[likely]] return tokenize(*line);
    return next_line(line);
  }
  Position position() const override { return {input_.offset(), input_.lines(), read_count_}; }
  const std::string& resource() const override { return options_.path; }

  const FlatFileReaderOptions& options() const { return options_; }
  LineTokenizer& tokenizer() { return *tokenizer_; }
  int64_t read_count() const { return read_count_; }

 private:
  bool is_comment(std::string_view line) const;
  [[noreturn]] void not_open() const;
  // next() for `line` (the one just read) and the lines after it.
  const FieldSet* next_line(std::optional<TextInput::Line> line);
  const FieldSet* tokenize(const TextInput::Line& line) {
    ++read_count_;
    fields_.clear_values();
    fields_.set_location(options_.path, line.number, line.text);
    tokenizer_->tokenize(line.text, fields_);
    return &fields_;
  }

  FlatFileReaderOptions options_;
  std::unique_ptr<LineTokenizer> tokenizer_;
  std::string count_key_, offset_key_, line_key_;
  TextInput input_;
  FieldSet fields_;
  int64_t read_count_ = 0;
  bool plain_lines_ = true;  // no comment prefixes to look for
};

}  // namespace cppbatch
