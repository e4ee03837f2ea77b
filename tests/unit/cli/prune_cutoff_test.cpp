// The cutoff of `cppbatch prune`: --before as a UTC date or date-time (the
// form --json prints included), --older-than as an age counted back from
// now; exactly one of them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/commands.hpp"

namespace cppbatch::internal {
namespace {

using ::testing::HasSubstr;
using std::chrono::hours;
using std::chrono::seconds;

const Timestamp kNow = *parse_timestamp("2026-11-21 08:43:25.981623");

Result<Timestamp> cutoff(std::string before, std::string older_than) {
  PruneArguments arguments;
  arguments.before = std::move(before);
  arguments.older_than = std::move(older_than);
  return prune_cutoff(arguments, kNow);
}

TEST(PruneCutoffTest, BeforeIsUtc) {
  EXPECT_EQ(cutoff("2026-10-01", "").value(), *parse_timestamp("2026-10-01 00:00:00"));
  EXPECT_EQ(cutoff("2026-10-01T12:30", "").value(), *parse_timestamp("2026-10-01 12:30:00"));
  EXPECT_EQ(cutoff("2026-11-21T08:43:25.981623Z", "").value(), kNow) << "what --json prints";
  EXPECT_EQ(cutoff("2026-11-21 08:43:25.981623", "").value(), kNow);
}

TEST(PruneCutoffTest, OlderThanCountsBackFromNow) {
  EXPECT_EQ(cutoff("", "30d").value(), kNow - hours(24 * 30));
  EXPECT_EQ(cutoff("", "2w").value(), kNow - hours(24 * 14));
  EXPECT_EQ(cutoff("", "12h").value(), kNow - hours(12));
  EXPECT_EQ(cutoff("", "90m").value(), kNow - seconds(90 * 60));
  EXPECT_EQ(cutoff("", "45s").value(), kNow - seconds(45));
  EXPECT_EQ(cutoff("", "0d").value(), kNow);
}

TEST(PruneCutoffTest, BadOrMissingArgumentsAreInvalid) {
  for (auto [before, older_than] : std::vector<std::pair<std::string, std::string>>{
           {"", ""}, {"2026-01-01", "3d"}, {"2026-02-30", ""}, {"2999-01-01", ""}, {"1000-01-01T00:00", ""},
           {"tomorrow", ""}, {"", "30"}, {"", "d"},
           {"", "-1d"}, {"", "3y"}, {"", "1.5d"}, {"", "99999999999999999d"}}) {
    auto result = cutoff(before, older_than);
    ASSERT_FALSE(result.ok()) << before << " / " << older_than;
    EXPECT_EQ(result.error().code(), ErrorCode::INVALID_ARGUMENT);
    EXPECT_THAT(result.error().message(), HasSubstr("prune: "));
  }
  EXPECT_THAT(cutoff("", "").error().message(), HasSubstr("either --before DATE or --older-than AGE"));
  EXPECT_THAT(cutoff("", "3y").error().message(), HasSubstr("got '3y'"));
}

}  // namespace
}  // namespace cppbatch::internal
