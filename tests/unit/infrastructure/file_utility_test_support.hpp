// Helpers of the sort/merge/split tests: generated delimited files, an
// in-memory reference sort (std::stable_sort on parsed lines), listing a
// directory.
#pragma once

#include <algorithm>
#include <filesystem>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "cppbatch/infrastructure/sort_key.hpp"
#include "io_test_support.hpp"

namespace cppbatch::testing {

inline std::string football_games() {
  return std::string(CPPBATCH_REFERENCE_DATA) + "/spring-batch-samples/football/games.csv";
}

// "id,team,score,note" + `lines` records: teams repeat (so equal keys
// exist and stability shows), scores are decimals with sign, ids are the
// input position.
inline std::string generated_csv(size_t lines, unsigned seed = 7, bool header = true) {
  static const char* const kTeams[] = {"mia", "nwe", "buf", "nyj", "kan", "den", "oak", "sdg", "pit", "cle"};
  std::mt19937 rng(seed);
  std::string text = header ? "id,team,score,note\n" : "";
  for (size_t i = 0; i < lines; ++i) {
    int score = static_cast<int>(rng() % 2000) - 1000;
    text += std::to_string(i) + "," + kTeams[rng() % 10] + "," + std::to_string(score / 10) + "." +
            std::to_string(std::abs(score % 10)) + ",note-" + std::to_string(rng() % 1000) + "\n";
  }
  return text;
}

inline std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == ',') {
      out.emplace_back();
    } else {
      out.back().push_back(c);
    }
  }
  return out;
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

// Sorts the lines of an unquoted CSV text in memory with std::stable_sort,
// by `keys` given as 0-based columns; the first line stays first when
// `header`.
inline std::string reference_sort(const std::string& text, const std::vector<SortKey>& keys, bool header) {
  std::vector<std::string> lines = lines_of(text);
  auto body_begin = lines.begin() + (header && !lines.empty() ? 1 : 0);
  std::stable_sort(body_begin, lines.end(), [&](const std::string& a, const std::string& b) {
    auto fa = split_fields(a), fb = split_fields(b);
    for (const SortKey& k : keys) {
      const std::string& va = fa.at(*k.column);
      const std::string& vb = fb.at(*k.column);
      int c = 0;
      if (k.type == SortKeyType::NUMERIC) {
        double da = std::stod(va), db = std::stod(vb);
        c = da < db ? -1 : (da > db ? 1 : 0);
      } else {
        c = va.compare(vb);
        c = c < 0 ? -1 : (c > 0 ? 1 : 0);
      }
      if (k.order == SortOrder::DESCENDING) c = -c;
      if (c != 0) return c < 0;
    }
    return false;
  });
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

// Names of the entries of `dir` (hidden ones included).
inline std::set<std::string> entries(const std::filesystem::path& dir) {
  std::set<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

}  // namespace cppbatch::testing
