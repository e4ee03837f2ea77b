// Exit-status patterns, as flow transitions and the ExecutionContext
// promotion listener use them (Spring Batch's PatternMatcher and
// DefaultStateTransitionComparator).
//
// A pattern matches an exit code exactly, except that `*` matches any run
// of characters (also none) and `?` exactly one character. Case-sensitive.
//
//   status_pattern_matches("COMPLETED*", "COMPLETED WITH SKIPS");  // true
//   status_pattern_matches("C?T", "CAT");                           // true
#pragma once

#include <string_view>

namespace cppbatch {

bool status_pattern_matches(std::string_view pattern, std::string_view code);

// Spring's specificity order (> 0: `a` is more specific, so tried first):
// a pattern without `*` is more specific than one with; among patterns with
// `*`, more `*` is more specific; then fewer `?` is more specific; then,
// when `a` has wildcards and the lengths differ, the longer one; otherwise
// the alphabetically smaller one. Hence, most specific first:
//   bar, foo, fo?, bar??, foo??, ?0?, ???, *foo*, *f*, foo*, *
// Equal patterns compare 0 (a flow keeps the first transition given).
int compare_status_patterns(std::string_view a, std::string_view b);

}  // namespace cppbatch
