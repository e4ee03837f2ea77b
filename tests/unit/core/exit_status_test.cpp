// ExitStatus: open codes with Spring Batch's severity ordering, and_()
// combination and description joining.
#include "cppbatch/core/exit_status.hpp"

#include <gtest/gtest.h>

namespace cppbatch {
namespace {

TEST(ExitStatusTest, StandardCodes) {
  EXPECT_EQ(ExitStatus::unknown().code(), "UNKNOWN");
  EXPECT_EQ(ExitStatus::executing().code(), "EXECUTING");
  EXPECT_EQ(ExitStatus::completed().code(), "COMPLETED");
  EXPECT_EQ(ExitStatus::noop().code(), "NOOP");
  EXPECT_EQ(ExitStatus::failed().code(), "FAILED");
  EXPECT_EQ(ExitStatus::stopped().code(), "STOPPED");
  EXPECT_EQ(ExitStatus().code(), "UNKNOWN");
  EXPECT_EQ(ExitStatus::completed().description(), "");
  EXPECT_EQ(ExitStatus::failed("boom").description(), "boom");
  EXPECT_EQ(ExitStatus::stopped("asked to").description(), "asked to");
}

TEST(ExitStatusTest, Severity) {
  EXPECT_EQ(ExitStatus::executing().severity(), 1);
  EXPECT_EQ(ExitStatus::completed().severity(), 2);
  EXPECT_EQ(ExitStatus::noop().severity(), 3);
  EXPECT_EQ(ExitStatus::stopped().severity(), 4);
  EXPECT_EQ(ExitStatus::failed().severity(), 5);
  EXPECT_EQ(ExitStatus::unknown().severity(), 6);
  EXPECT_EQ(ExitStatus("CUSTOM").severity(), 7);
}

TEST(ExitStatusTest, SeverityOfCustomCodesIsByPrefix) {
  EXPECT_EQ(ExitStatus("COMPLETED WITH SKIPS").severity(), 2);
  EXPECT_EQ(ExitStatus("COMPLETED_CUSTOM").severity(), 2);
  EXPECT_EQ(ExitStatus("FAILED_VALIDATION").severity(), 5);
  EXPECT_EQ(ExitStatus("completed").severity(), 7);  // case-sensitive, as in Spring
  EXPECT_EQ(ExitStatus("").severity(), 7);
}

TEST(ExitStatusTest, CompareBySeverityThenCode) {
  EXPECT_LT(ExitStatus::executing().compare(ExitStatus::completed()), 0);
  EXPECT_GT(ExitStatus::failed().compare(ExitStatus::completed()), 0);
  EXPECT_EQ(ExitStatus::failed("a").compare(ExitStatus::failed("b")), 0);  // descriptions do not count
  EXPECT_LT(ExitStatus("COMPLETED").compare(ExitStatus("COMPLETED WITH SKIPS")), 0);
  EXPECT_LT(ExitStatus("AAA").compare(ExitStatus("BBB")), 0);
  EXPECT_GT(ExitStatus("CUSTOM").compare(ExitStatus::unknown()), 0);
}

TEST(ExitStatusTest, AndKeepsTheMoreSevereCode) {
  EXPECT_EQ(ExitStatus::executing().and_(ExitStatus::executing()).code(), "EXECUTING");
  EXPECT_EQ(ExitStatus::executing().and_(ExitStatus::completed()).code(), "COMPLETED");
  EXPECT_EQ(ExitStatus::completed().and_(ExitStatus::executing()).code(), "COMPLETED");
  EXPECT_EQ(ExitStatus::completed().and_(ExitStatus::failed()).code(), "FAILED");
  EXPECT_EQ(ExitStatus::failed().and_(ExitStatus::completed()).code(), "FAILED");
  EXPECT_EQ(ExitStatus::stopped().and_(ExitStatus::failed()).code(), "FAILED");
  EXPECT_EQ(ExitStatus::completed().and_(ExitStatus::noop()).code(), "NOOP");
  EXPECT_EQ(ExitStatus::failed().and_(ExitStatus::unknown()).code(), "UNKNOWN");
}

TEST(ExitStatusTest, AndWithCustomCodes) {
  // A custom code that does not start with a standard one is the most severe.
  EXPECT_EQ(ExitStatus::completed().and_(ExitStatus("CUSTOM")).code(), "CUSTOM");
  EXPECT_EQ(ExitStatus::failed().and_(ExitStatus("CUSTOM")).code(), "CUSTOM");
  EXPECT_EQ(ExitStatus::executing().and_(ExitStatus("CUSTOM")).code(), "CUSTOM");
  // "COMPLETED WITH SKIPS" ranks with COMPLETED and wins on text.
  EXPECT_EQ(ExitStatus::completed().and_(ExitStatus("COMPLETED WITH SKIPS")).code(), "COMPLETED WITH SKIPS");
  EXPECT_EQ(ExitStatus("COMPLETED WITH SKIPS").and_(ExitStatus::completed()).code(), "COMPLETED WITH SKIPS");
  EXPECT_EQ(ExitStatus("COMPLETED WITH SKIPS").and_(ExitStatus::failed()).code(), "FAILED");
}

TEST(ExitStatusTest, AndJoinsDescriptions) {
  ExitStatus s = ExitStatus::completed().and_(ExitStatus::failed("boom"));
  EXPECT_EQ(s.code(), "FAILED");
  EXPECT_EQ(s.description(), "boom");

  ExitStatus both = ExitStatus(ExitStatus("COMPLETED", "first")).and_(ExitStatus::failed("second"));
  EXPECT_EQ(both.code(), "FAILED");
  EXPECT_EQ(both.description(), "first; second");

  // The less severe side's description is kept too.
  ExitStatus kept = ExitStatus::failed("root cause").and_(ExitStatus("COMPLETED", "late note"));
  EXPECT_EQ(kept.code(), "FAILED");
  EXPECT_EQ(kept.description(), "root cause; late note");
}

TEST(ExitStatusTest, AndDoesNotRepeatAnIdenticalDescription) {
  ExitStatus s = ExitStatus::failed("boom").and_(ExitStatus::failed("boom"));
  EXPECT_EQ(s.description(), "boom");
}

TEST(ExitStatusTest, AndIgnoresAnEmptyDescription) {
  ExitStatus s = ExitStatus::failed("boom").and_(ExitStatus::completed());
  EXPECT_EQ(s.description(), "boom");
}

TEST(ExitStatusTest, AndReturnsANewValue) {
  ExitStatus original = ExitStatus::completed();
  ExitStatus combined = original.and_(ExitStatus::failed("x"));
  EXPECT_EQ(original, ExitStatus::completed());
  EXPECT_NE(combined, original);
}

TEST(ExitStatusTest, AddDescription) {
  EXPECT_EQ(ExitStatus::executing().add_description("Foo").description(), "Foo");
  EXPECT_EQ(ExitStatus::executing().add_description("Foo").add_description("Foo").description(), "Foo");
  EXPECT_EQ(ExitStatus::executing().add_description("Foo").add_description("").description(), "Foo");
  EXPECT_EQ(ExitStatus::executing().add_description("Foo").add_description("Bar").description(), "Foo; Bar");
  EXPECT_EQ(ExitStatus::executing().add_description("Foo").code(), "EXECUTING");
}

TEST(ExitStatusTest, WithCodeKeepsTheDescription) {
  ExitStatus s = ExitStatus("BAR", "Bar").with_code("FOO");
  EXPECT_EQ(s.code(), "FOO");
  EXPECT_EQ(s.description(), "Bar");
  EXPECT_EQ(ExitStatus::executing().with_code("FOO").with_code("BAR").code(), "BAR");
}

TEST(ExitStatusTest, EqualityComparesCodeAndDescription) {
  EXPECT_EQ(ExitStatus("X", "d"), ExitStatus("X", "d"));
  EXPECT_NE(ExitStatus("X", "d"), ExitStatus("X", "e"));
  EXPECT_NE(ExitStatus("X", "d"), ExitStatus("Y", "d"));
}

TEST(ExitStatusTest, ExitStatusForBatchStatus) {
  EXPECT_EQ(exit_status_for(BatchStatus::COMPLETED).code(), "COMPLETED");
  EXPECT_EQ(exit_status_for(BatchStatus::STOPPED).code(), "STOPPED");
  EXPECT_EQ(exit_status_for(BatchStatus::FAILED).code(), "FAILED");
  EXPECT_EQ(exit_status_for(BatchStatus::ABANDONED).code(), "FAILED");
  EXPECT_EQ(exit_status_for(BatchStatus::STARTING).code(), "EXECUTING");
  EXPECT_EQ(exit_status_for(BatchStatus::STARTED).code(), "EXECUTING");
  EXPECT_EQ(exit_status_for(BatchStatus::STOPPING).code(), "EXECUTING");
  EXPECT_EQ(exit_status_for(BatchStatus::UNKNOWN).code(), "UNKNOWN");
}

}  // namespace
}  // namespace cppbatch
