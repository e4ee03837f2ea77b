// File names for the multi-resource reader and writer: a glob expanded to
// a sorted list, and numbered output names from a printf-like pattern.
//
//   find_files("/data/in/trades-*.csv")   → {".../trades-01.csv", ".../trades-02.csv"}
//   numbered_file_name("out-%03d.csv", 7) → "out-007.csv"
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cppbatch {

// Regular files matching the glob `pattern` (glob(3): *, ?, [...]),
// sorted by name (byte order); directories are left out. No match: empty.
// Throws std::runtime_error when a directory cannot be read.
std::vector<std::string> find_files(const std::string& pattern);

// `pattern` with its one integer conversion — "%d", or "%0Nd" (zero-padded
// to N digits) — replaced by `index`; "%%" is a '%'. Throws
// std::invalid_argument when the pattern has no such conversion, several,
// or any other '%' sequence.
std::string numbered_file_name(std::string_view pattern, int64_t index);

}  // namespace cppbatch
