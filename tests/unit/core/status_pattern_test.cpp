// Exit-status patterns and their precedence, as Spring's PatternMatcher and
// DefaultStateTransitionComparator define them.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "cppbatch/core/flow_execution_status.hpp"
#include "cppbatch/core/status_pattern.hpp"

namespace cppbatch {
namespace {

TEST(StatusPatternTest, Matches) {
  EXPECT_TRUE(status_pattern_matches("COMPLETED", "COMPLETED"));
  EXPECT_FALSE(status_pattern_matches("COMPLETED", "COMPLETED WITH SKIPS"));
  EXPECT_TRUE(status_pattern_matches("COMPLETED*", "COMPLETED WITH SKIPS"));
  EXPECT_TRUE(status_pattern_matches("COMPLETED*", "COMPLETED"));
  EXPECT_TRUE(status_pattern_matches("*", ""));
  EXPECT_TRUE(status_pattern_matches("c*t", "count"));
  EXPECT_TRUE(status_pattern_matches("c?t", "cat"));
  EXPECT_FALSE(status_pattern_matches("c?t", "count"));
  EXPECT_FALSE(status_pattern_matches("c?t", "ct"));
  EXPECT_TRUE(status_pattern_matches("*A*B", "xxAyyAzzB"));
  EXPECT_FALSE(status_pattern_matches("*A*B", "xxAyyBzz"));
  EXPECT_FALSE(status_pattern_matches("failed", "FAILED")) << "case-sensitive";
  EXPECT_FALSE(status_pattern_matches("", "X"));
}

TEST(StatusPatternTest, OrdersMostSpecificFirstAsSpring) {
  // Spring's documented order, most specific first.
  const std::vector<std::string> expected = {"bar", "foo", "fo?", "bar??", "foo??", "?0?", "???", "*foo*",
                                             "*f*", "foo*", "*"};
  std::vector<std::string> sorted = {"*", "foo*", "???", "bar??", "*f*", "fo?", "foo", "?0?", "*foo*", "bar", "foo??"};
  std::sort(sorted.begin(), sorted.end(),
            [](const std::string& a, const std::string& b) { return compare_status_patterns(a, b) > 0; });
  EXPECT_EQ(sorted, expected);
  EXPECT_EQ(compare_status_patterns("FAILED", "FAILED"), 0);
  EXPECT_LT(compare_status_patterns("*", "COMPLETED"), 0);
  EXPECT_GT(compare_status_patterns("COMPLETED", "*"), 0);
}

TEST(FlowExecutionStatusTest, SeverityAndBatchStatus) {
  EXPECT_LT(FlowExecutionStatus::completed().compare(FlowExecutionStatus::stopped()), 0);
  EXPECT_LT(FlowExecutionStatus::stopped().compare(FlowExecutionStatus::failed()), 0);
  EXPECT_LT(FlowExecutionStatus::failed().compare(FlowExecutionStatus::unknown()), 0);
  EXPECT_LT(FlowExecutionStatus("ODD").compare(FlowExecutionStatus::failed()), 0) << "a custom name ranks as COMPLETED";
  EXPECT_GT(FlowExecutionStatus("FAILED_VALIDATION").compare(FlowExecutionStatus::stopped()), 0);
  EXPECT_EQ(FlowExecutionStatus("COMPLETED WITH SKIPS").batch_status(), BatchStatus::COMPLETED);
  EXPECT_EQ(FlowExecutionStatus("STOPPED").batch_status(), BatchStatus::STOPPED);
  EXPECT_EQ(FlowExecutionStatus("ODD").batch_status(), BatchStatus::UNKNOWN);
  EXPECT_TRUE(FlowExecutionStatus("FAILED_VALIDATION").is_fail());
  EXPECT_TRUE(FlowExecutionStatus::stopped().is_end());
  EXPECT_FALSE(FlowExecutionStatus("ODD").is_end());
}

}  // namespace
}  // namespace cppbatch
