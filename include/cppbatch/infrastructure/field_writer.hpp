// FieldWriter: appends the fields of one output record to a writer's
// reused buffer — what a DelimitedFileWriter formatter fills. Text fields
// are quoted (RFC 4180, quotes doubled) only when they contain the
// delimiter, the quote, CR or LF; numbers never allocate (std::to_chars).
//
//   [](const Trade& t, FieldWriter& out) {
//     out.write(t.isin);            // text, quoted when needed
//     out.write(t.quantity);        // any integer type
//     out.write_fixed(t.price, 2);  // "12.30"
//     out.write(t.trade_date);      // Date → "2026-01-02"
//     out.write(t.ratio);           // double, shortest text that reads back exactly
//   }
//
// Lifetime: refers to a buffer owned by the writer; valid only inside the
// formatter call. Not thread-safe.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#include "cppbatch/common/time_format.hpp"

namespace cppbatch {

class FieldWriter {
 public:
  // quote '\0': never quote (the caller guarantees clean values).
  FieldWriter(std::string& buffer, char delimiter, char quote)
      : buffer_(buffer), delimiter_(delimiter), quote_(quote) {}

  // Text; quoted when it holds the delimiter, the quote, CR or LF.
  void write(std::string_view value);
  void write(const char* value) { write(std::string_view(value)); }
  // Integers of any width and signedness (not bool, not char).
  template <std::integral I>
    requires(!std::same_as<I, bool> && !std::same_as<I, char>)
  void write(I value) {
    if constexpr (std::is_signed_v<I>) {
      write_signed(static_cast<int64_t>(value));
    } else {
      write_unsigned(static_cast<uint64_t>(value));
    }
  }
  // Shortest text that parses back to the same double ("0.1", "1e+300");
  // "inf", "-inf", "nan" for non-finite values.
  void write(double value);
  // Fixed notation with `digits` decimals (0..40), rounded: write_fixed(2.5, 2) → "2.50".
  void write_fixed(double value, int digits);
  // "YYYY-MM-DD".
  void write(Date value);
  // "true" / "false".
  void write(bool value);
  // An empty field (e.g. a null).
  void write_empty();
  // Text appended as is, never quoted (already formatted, trusted).
  void write_raw(std::string_view text);

  // Starts a new record: the next field gets no delimiter before it.
  // Called by the writer before each item's formatter.
  void begin_record() { fields_ = 0; }
  // Fields written in the current record.
  size_t fields() const { return fields_; }

 private:
  void separate() {
    if (fields_++ > 0) buffer_ += delimiter_;
  }
  void write_signed(int64_t value);
  void write_unsigned(uint64_t value);

  std::string& buffer_;
  char delimiter_;
  char quote_;
  size_t fields_ = 0;
};

}  // namespace cppbatch
