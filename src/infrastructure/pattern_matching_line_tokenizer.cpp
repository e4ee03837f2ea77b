#include "cppbatch/infrastructure/pattern_matching_line_tokenizer.hpp"

#include <algorithm>
#include <stdexcept>

#include "cppbatch/core/status_pattern.hpp"

namespace cppbatch {
namespace {

size_t literal_bytes(std::string_view pattern) {
  return static_cast<size_t>(
      std::count_if(pattern.begin(), pattern.end(), [](char c) { return c != '*' && c != '?'; }));
}

}  // namespace

// Spring's PatternMatcher, shared with flow transitions.
bool matches_pattern(std::string_view pattern, std::string_view text) { return status_pattern_matches(pattern, text); }

PatternMatchingLineTokenizer& PatternMatchingLineTokenizer::add(
    std::string pattern, std::unique_ptr<LineTokenizer> tokenizer) {
  if (pattern.empty()) throw std::invalid_argument("PatternMatchingLineTokenizer: empty pattern");
  if (tokenizer == nullptr) {
    throw std::invalid_argument("PatternMatchingLineTokenizer: null tokenizer for '" + pattern + "'");
  }
  for (const Entry& e : entries_) {
    if (e.pattern == pattern) {
      throw std::invalid_argument("PatternMatchingLineTokenizer: duplicate pattern '" + pattern + "'");
    }
  }
  entries_.push_back({std::move(pattern), std::move(tokenizer)});
  std::stable_sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
    size_t la = literal_bytes(a.pattern), lb = literal_bytes(b.pattern);
    if (la != lb) return la > lb;
    return a.pattern.size() > b.pattern.size();
  });
  return *this;
}

void PatternMatchingLineTokenizer::tokenize(std::string_view line, FieldSet& fields) {
  for (Entry& e : entries_) {
    if (matches_pattern(e.pattern, line)) {
      if (last_ != e.pattern) last_ = e.pattern;
      e.tokenizer->tokenize(line, fields);
      return;
    }
  }
  std::string known;
  for (const Entry& e : entries_) {
    if (!known.empty()) known += ", ";
    known += e.pattern;
  }
  fields.set_names(nullptr);
  throw ParseError(std::string(fields.resource()), fields.line_number(), 0, std::string(),
                   std::string(fields.raw_line()),
                   "no tokenizer pattern matches the line (patterns: " + known + ")");
}

}  // namespace cppbatch
