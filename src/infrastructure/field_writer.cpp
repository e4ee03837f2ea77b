#include "cppbatch/infrastructure/field_writer.hpp"

#include <algorithm>
#include <charconv>

namespace cppbatch {

void FieldWriter::write(std::string_view value) {
  separate();
  bool needs_quotes = false;
  if (quote_ != '\0') {
    // One compare per byte for the usual case: with ',' and '"' every
    // special byte is <= ','; letters and digits are above.
    const unsigned char top = std::max({static_cast<unsigned char>(delimiter_),
                                        static_cast<unsigned char>(quote_),
                                        static_cast<unsigned char>('\n'),
                                        static_cast<unsigned char>('\r')});
    for (char c : value) {
      if (static_cast<unsigned char>(c) <= top &&
          (c == delimiter_ || c == quote_ || c == '\n' || c == '\r')) {
        needs_quotes = true;
        break;
      }
    }
  }
  if (!needs_quotes) {
    buffer_.append(value);
    return;
  }
  buffer_ += quote_;
  size_t start = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == quote_) {
      buffer_.append(value.substr(start, i + 1 - start));
      buffer_ += quote_;  // doubled
      start = i + 1;
    }
  }
  buffer_.append(value.substr(start));
  buffer_ += quote_;
}

void FieldWriter::write_signed(int64_t value) {
  separate();
  char text[24];
  auto result = std::to_chars(text, text + sizeof text, value);
  buffer_.append(text, result.ptr);
}

void FieldWriter::write_unsigned(uint64_t value) {
  separate();
  char text[24];
  auto result = std::to_chars(text, text + sizeof text, value);
  buffer_.append(text, result.ptr);
}

void FieldWriter::write(double value) {
  separate();
  char text[32];  // the longest shortest form, "-1.7976931348623157e+308", is 24
  auto result = std::to_chars(text, text + sizeof text, value);
  buffer_.append(text, result.ptr);
}

void FieldWriter::write_fixed(double value, int digits) {
  separate();
  digits = std::clamp(digits, 0, 40);
  char text[400];  // sign + 309 integer digits + '.' + 40 decimals fits
  auto result = std::to_chars(text, text + sizeof text, value, std::chars_format::fixed, digits);
  buffer_.append(text, result.ptr);
}

void FieldWriter::write(Date value) {
  separate();
  const int year = static_cast<int>(value.year());
  if (year < 0 || year > 9999) {
    buffer_ += format_date(value);
    return;
  }
  const unsigned month = static_cast<unsigned>(value.month());
  const unsigned day = static_cast<unsigned>(value.day());
  char text[10] = {static_cast<char>('0' + year / 1000),     static_cast<char>('0' + year / 100 % 10),
                   static_cast<char>('0' + year / 10 % 10),  static_cast<char>('0' + year % 10),
                   '-',
                   static_cast<char>('0' + month / 10),      static_cast<char>('0' + month % 10),
                   '-',
                   static_cast<char>('0' + day / 10),        static_cast<char>('0' + day % 10)};
  buffer_.append(text, sizeof text);
}

void FieldWriter::write(bool value) {
  separate();
  buffer_.append(value ? "true" : "false");
}

void FieldWriter::write_empty() { separate(); }

void FieldWriter::write_raw(std::string_view text) {
  separate();
  buffer_.append(text);
}

}  // namespace cppbatch
