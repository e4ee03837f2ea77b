#include "cppbatch/infrastructure/fixed_length_file_writer.hpp"

namespace cppbatch {

std::string FixedLengthFieldWriter::label(size_t index) const {
  std::string out = "column ";
  if (index < columns_.size() && !columns_[index].name.empty()) {
    out += "'" + columns_[index].name + "' ";
  }
  out += "(#" + std::to_string(index + 1);
  if (index < columns_.size()) out += ", width " + std::to_string(columns_[index].width);
  out += ")";
  return out;
}

void FixedLengthFieldWriter::begin_record() { next_ = 0; }

void FixedLengthFieldWriter::end_record() {
  if (next_ == columns_.size()) return;
  const FixedColumn& missing = columns_[next_];
  throw FixedLengthFormatError(
      label(next_) + ": not written — the formatter wrote " + std::to_string(next_) + " of " +
          std::to_string(columns_.size()) + " columns (write_empty() for a blank one)",
      missing.name.empty() ? "#" + std::to_string(next_ + 1) : missing.name, missing.width);
}

void FixedLengthFieldWriter::put(std::string_view value) {
  if (next_ >= columns_.size()) {
    throw FixedLengthFormatError("one value too many: the record has " +
                                     std::to_string(columns_.size()) + " columns",
                                 "#" + std::to_string(next_ + 1), 0);
  }
  const FixedColumn& column = columns_[next_];
  if (value.size() > column.width) {
    std::string shown(value.substr(0, 60));
    if (value.size() > 60) shown += "…";
    throw FixedLengthFormatError(label(next_) + ": '" + shown + "' is " +
                                     std::to_string(value.size()) + " bytes, wider than the column",
                                 column.name.empty() ? "#" + std::to_string(next_ + 1) : column.name,
                                 column.width);
  }
  ++next_;
  const size_t padding = column.width - value.size();
  if (column.align == Align::LEFT) {
    buffer_.append(value);
    buffer_.append(padding, column.pad);
    return;
  }
  if (column.pad == '0' && !value.empty() && (value[0] == '-' || value[0] == '+')) {
    buffer_ += value[0];  // the sign before the zeros
    value.remove_prefix(1);
  }
  buffer_.append(padding, column.pad);
  buffer_.append(value);
}

void write_record(const Record& record, FixedLengthFieldWriter& out) {
  size_t positional = 0;
  for (const FixedColumn& column : out.columns()) {
    std::optional<size_t> index;
    if (!column.name.empty()) {
      index = record.index_of(column.name);
    } else if (positional < record.size()) {
      index = positional++;
    }
    if (!index || value_is_null(record[*index])) {
      out.write_empty();
    } else {
      out.write(value_to_string(record[*index]));
    }
  }
}

}  // namespace cppbatch
