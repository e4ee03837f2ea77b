// FixedLengthFileWriter<T>: a restartable, transactional ItemWriter to a
// fixed-width text file (Spring's FlatFileItemWriter with a
// FormatterLineAggregator). Each column has a width, an alignment and a
// pad character; the formatter fills a record's columns in order through
// a FixedLengthFieldWriter. A value wider than its column is an error
// (FixedLengthFormatError naming the item, column, width and value) and
// nothing of the chunk is written — values are never cut silently.
//
//   FixedLengthFileWriter<Trade> writer(
//       {.path = "trades.txt",
//        .columns = {{"isin", 12}, {"quantity", 3, Align::RIGHT, '0'},
//                    {"price", 5, Align::RIGHT}, {"customer", 9}},
//        .footer_callback = [](std::string& out, int64_t n) { out += "F" + std::to_string(n); }},
//       [](const Trade& t, FixedLengthFieldWriter& out) {
//         out.write(t.isin); out.write(t.quantity); out.write_fixed(t.price, 2); out.write(t.customer);
//       });
//
// Widths count bytes (a UTF-8 character may take several). Header, footer,
// append and restart behave as in DelimitedFileWriter (flat_file_output.hpp):
// context keys <name>.offset and <name>.written. Not thread-safe.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/core/item_writer.hpp"
#include "cppbatch/infrastructure/field_writer.hpp"
#include "cppbatch/infrastructure/flat_file_output.hpp"
#include "cppbatch/infrastructure/record.hpp"

namespace cppbatch {

enum class Align { LEFT, RIGHT };

struct FixedColumn {
  std::string name{};  // for messages and Record conversion; may be empty
  size_t width = 0;    // bytes, > 0
  Align align = Align::LEFT;
  // Fills the rest of the column. With '0' and RIGHT, a leading sign stays
  // in front: -42 in 5 columns is "-0042".
  char pad = ' ';
};

// A value did not fit its column, or a record had too many/few values.
class FixedLengthFormatError : public std::runtime_error {
 public:
  FixedLengthFormatError(std::string message, std::string column, size_t width)
      : std::runtime_error(std::move(message)), column_(std::move(column)), width_(width) {}
  const std::string& column() const { return column_; }  // name, or "#N"
  size_t width() const { return width_; }

 private:
  std::string column_;
  size_t width_;
};

// Fills the columns of one record, in order. Same value types as
// FieldWriter (the same text for numbers, dates, booleans), padded to
// the column's width. Valid only inside the formatter call.
class FixedLengthFieldWriter {
 public:
  FixedLengthFieldWriter(std::string& buffer, const std::vector<FixedColumn>& columns)
      : buffer_(buffer), columns_(columns), text_(scratch_, '\0', '\0') {}

  void write(std::string_view value) { put(value); }
  void write(const char* value) { put(std::string_view(value)); }
  template <std::integral I>
    requires(!std::same_as<I, bool> && !std::same_as<I, char>)
  void write(I value) {
    format([&] { text_.write(value); });
  }
  void write(double value) {
    format([&] { text_.write(value); });
  }
  void write_fixed(double value, int digits) {
    format([&] { text_.write_fixed(value, digits); });
  }
  void write(Date value) {
    format([&] { text_.write(value); });
  }
  void write(bool value) {
    format([&] { text_.write(value); });
  }
  // A column of padding only.
  void write_empty() { put(std::string_view()); }

  void begin_record();
  // Throws FixedLengthFormatError unless every column was written.
  void end_record();
  size_t fields() const { return next_; }
  const std::vector<FixedColumn>& columns() const { return columns_; }

 private:
  template <class F>
  void format(F&& f) {
    scratch_.clear();
    text_.begin_record();
    f();
    put(scratch_);
  }
  void put(std::string_view value);
  std::string label(size_t index) const;

  std::string& buffer_;
  const std::vector<FixedColumn>& columns_;
  std::string scratch_;
  FieldWriter text_;
  size_t next_ = 0;
};

// Record → fixed-length columns: for each column, the record's field of
// the column's name (missing → empty); unnamed columns take the record's
// values in layout order.
void write_record(const Record& record, FixedLengthFieldWriter& out);

struct FixedLengthWriterOptions {
  // The file to write. Required; its directory must exist.
  std::string path{};
  // Prefix of the context keys <name>.offset and <name>.written.
  std::string name = "fixedLengthWriter";
  // The columns of a record, in order. Required.
  std::vector<FixedColumn> columns{};
  // Header text and/or callback, footer callback, append, sync_on_commit,
  // line_separator: as in DelimitedWriterOptions.
  std::string header{};
  HeaderCallback header_callback{};
  FooterCallback footer_callback{};
  bool append = false;
  bool sync_on_commit = false;
  std::string line_separator = "\n";
};

template <class T>
class FixedLengthFileWriter : public ItemWriter<T>, public ItemStream {
 public:
  using Formatter = std::function<void(const T&, FixedLengthFieldWriter&)>;

  // std::invalid_argument: empty path or formatter, no columns, a zero width.
  FixedLengthFileWriter(FixedLengthWriterOptions options, Formatter formatter)
      : options_(std::move(options)),
        formatter_(std::move(formatter)),
        output_(options_.path, options_.name, options_.append, options_.sync_on_commit,
                options_.line_separator, options_.header, options_.header_callback,
                options_.footer_callback) {
    if (!formatter_) throw std::invalid_argument("FixedLengthFileWriter: empty formatter");
    if (options_.columns.empty()) throw std::invalid_argument("FixedLengthFileWriter: no columns");
    for (const FixedColumn& c : options_.columns) {
      if (c.width == 0) {
        throw std::invalid_argument("FixedLengthFileWriter: column '" + c.name + "' has width 0");
      }
    }
  }

  void open(ExecutionContext& context) override { output_.open(context); }

  // Formats every item, then appends the chunk with one write(2). A value
  // that does not fit throws FixedLengthFormatError ("writer 'w': item 3
  // of the chunk: column 'name' (#2, width 9): 'customer10' is 10 bytes")
  // and the file is left untouched.
  void write(const Chunk<T>& chunk) override {
    std::string& buffer = output_.buffer();
    buffer.clear();
    FixedLengthFieldWriter fields(buffer, options_.columns);
    for (size_t i = 0; i < chunk.size(); ++i) {
      try {
        fields.begin_record();
        formatter_(chunk[i], fields);
        fields.end_record();
      } catch (const FixedLengthFormatError& e) {
        buffer.clear();
        throw FixedLengthFormatError("writer '" + options_.name + "': item " + std::to_string(i + 1) +
                                         " of the chunk: " + e.what(),
                                     e.column(), e.width());
      } catch (...) {
        buffer.clear();
        throw;
      }
      buffer += options_.line_separator;
    }
    output_.write_buffer(static_cast<int64_t>(chunk.size()));
  }

  void update(ExecutionContext& context) override { output_.update(context); }
  // Writes the footer (if any) and closes the file.
  void close() override { output_.close(); }
  void discard_uncommitted() override { output_.discard_uncommitted(); }
  const TransactionalFileOutput& output() const { return output_.output(); }

 private:
  FixedLengthWriterOptions options_;
  Formatter formatter_;
  FlatFileOutput output_;
};

}  // namespace cppbatch
