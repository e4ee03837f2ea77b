#include "cppbatch/infrastructure/file_resources.hpp"

#include <glob.h>

#include <algorithm>
#include <stdexcept>

namespace cppbatch {

std::vector<std::string> find_files(const std::string& pattern) {
  glob_t found{};
  int rc = ::glob(pattern.c_str(), GLOB_MARK | GLOB_NOSORT | GLOB_ERR, nullptr, &found);
  std::vector<std::string> out;
  if (rc == 0) {
    for (size_t i = 0; i < found.gl_pathc; ++i) {
      std::string path = found.gl_pathv[i];
      if (!path.empty() && path.back() == '/') continue;  // a directory
      out.push_back(std::move(path));
    }
  }
  ::globfree(&found);
  if (rc == GLOB_ABORTED) {
    throw std::runtime_error("cannot list the files matching '" + pattern + "'");
  }
  if (rc == GLOB_NOSPACE) throw std::bad_alloc();
  std::sort(out.begin(), out.end());
  return out;
}

std::string numbered_file_name(std::string_view pattern, int64_t index) {
  std::string out;
  int conversions = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '%') {
      out += pattern[i];
      continue;
    }
    if (i + 1 < pattern.size() && pattern[i + 1] == '%') {
      out += '%';
      ++i;
      continue;
    }
    size_t j = i + 1;
    bool zero = j < pattern.size() && pattern[j] == '0';
    size_t width = 0;
    while (j < pattern.size() && pattern[j] >= '0' && pattern[j] <= '9') {
      width = width * 10 + static_cast<size_t>(pattern[j] - '0');
      ++j;
    }
    if (j >= pattern.size() || pattern[j] != 'd' || width > 20) {
      throw std::invalid_argument("file name pattern '" + std::string(pattern) +
                                  "': only %d, %0Nd and %% are allowed");
    }
    std::string digits = std::to_string(index);
    if (digits.size() < width) out.append(width - digits.size(), zero ? '0' : ' ');
    out += digits;
    ++conversions;
    i = j;
  }
  if (conversions != 1) {
    throw std::invalid_argument("file name pattern '" + std::string(pattern) +
                                "' must hold exactly one %d (e.g. out-%03d.csv)");
  }
  return out;
}

}  // namespace cppbatch
