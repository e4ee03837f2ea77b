// Private: byte-wise comparison of encoded keys (KeyEncoder), and the header
// line the file utilities write.
#pragma once

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

#include "cppbatch/infrastructure/delimited_record_reader.hpp"
#include "cppbatch/infrastructure/field_writer.hpp"

namespace cppbatch::internal {

inline int compare_keys(std::string_view a, std::string_view b) {
  const size_t n = std::min(a.size(), b.size());
  if (n > 0) {
    int c = std::memcmp(a.data(), b.data(), n);
    if (c != 0) return c;
  }
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

// The header line (without line end) for `names`, quoted as the input's options quote.
inline std::string header_line(const FieldNames& names, const DelimitedReaderOptions& input) {
  std::string line;
  FieldWriter out(line, input.delimiter, input.quote);
  out.begin_record();
  for (const std::string& name : names.list()) out.write(std::string_view(name));
  return line;
}

}  // namespace cppbatch::internal
