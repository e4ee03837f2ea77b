#include "cppbatch/core/status_pattern.hpp"

#include <algorithm>

namespace cppbatch {

bool status_pattern_matches(std::string_view pattern, std::string_view code) {
  // Greedy match with backtracking to the last '*': linear for patterns
  // with one '*', never exponential.
  size_t p = 0, c = 0;
  size_t star = std::string_view::npos, star_code = 0;
  while (c < code.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == code[c])) {
      ++p;
      ++c;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_code = c;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      c = ++star_code;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

int compare_status_patterns(std::string_view a, std::string_view b) {
  if (a == b) return 0;
  const auto a_stars = std::count(a.begin(), a.end(), '*');
  const auto b_stars = std::count(b.begin(), b.end(), '*');
  if (a_stars > 0 && b_stars == 0) return -1;
  if (a_stars == 0 && b_stars > 0) return 1;
  if (a_stars > 0 && b_stars > 0 && a_stars != b_stars) return a_stars < b_stars ? -1 : 1;
  const auto a_marks = std::count(a.begin(), a.end(), '?');
  const auto b_marks = std::count(b.begin(), b.end(), '?');
  if (a_marks != b_marks) return a_marks > b_marks ? -1 : 1;
  if (a.size() != b.size() && (a_stars > 0 || a_marks > 0)) return a.size() < b.size() ? -1 : 1;
  const int text = b.compare(a);
  return text < 0 ? -1 : (text > 0 ? 1 : 0);
}

}  // namespace cppbatch
