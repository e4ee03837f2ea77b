// BatchStatus: Spring Batch 5's names, ordering and combination rules.
#include "cppbatch/core/batch_status.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace cppbatch {
namespace {

const std::vector<BatchStatus> kAll = {BatchStatus::COMPLETED, BatchStatus::STARTING, BatchStatus::STARTED,
                                       BatchStatus::STOPPING,  BatchStatus::STOPPED,  BatchStatus::FAILED,
                                       BatchStatus::ABANDONED, BatchStatus::UNKNOWN};

TEST(BatchStatusTest, OrderIsSpringsDeclarationOrder) {
  for (size_t i = 1; i < kAll.size(); ++i) {
    EXPECT_LT(kAll[i - 1], kAll[i]) << to_string(kAll[i - 1]) << " < " << to_string(kAll[i]);
  }
}

TEST(BatchStatusTest, NamesAsPersisted) {
  EXPECT_EQ(to_string(BatchStatus::COMPLETED), "COMPLETED");
  EXPECT_EQ(to_string(BatchStatus::STARTING), "STARTING");
  EXPECT_EQ(to_string(BatchStatus::STARTED), "STARTED");
  EXPECT_EQ(to_string(BatchStatus::STOPPING), "STOPPING");
  EXPECT_EQ(to_string(BatchStatus::STOPPED), "STOPPED");
  EXPECT_EQ(to_string(BatchStatus::FAILED), "FAILED");
  EXPECT_EQ(to_string(BatchStatus::ABANDONED), "ABANDONED");
  EXPECT_EQ(to_string(BatchStatus::UNKNOWN), "UNKNOWN");
}

TEST(BatchStatusTest, ParseIsTheInverseOfToString) {
  for (BatchStatus status : kAll) EXPECT_EQ(parse_batch_status(to_string(status)), status);
}

TEST(BatchStatusTest, ParseRejectsOtherText) {
  EXPECT_FALSE(parse_batch_status(""));
  EXPECT_FALSE(parse_batch_status("completed"));  // names are case-sensitive, as persisted
  EXPECT_FALSE(parse_batch_status("COMPLETE"));
  EXPECT_FALSE(parse_batch_status(" FAILED"));
  EXPECT_FALSE(parse_batch_status("EXECUTING"));  // an exit code, not a batch status
}

TEST(BatchStatusTest, IsRunning) {
  EXPECT_TRUE(is_running(BatchStatus::STARTING));
  EXPECT_TRUE(is_running(BatchStatus::STARTED));
  EXPECT_TRUE(is_running(BatchStatus::STOPPING));
  EXPECT_FALSE(is_running(BatchStatus::COMPLETED));
  EXPECT_FALSE(is_running(BatchStatus::STOPPED));
  EXPECT_FALSE(is_running(BatchStatus::FAILED));
  EXPECT_FALSE(is_running(BatchStatus::ABANDONED));
  EXPECT_FALSE(is_running(BatchStatus::UNKNOWN));
}

TEST(BatchStatusTest, IsUnsuccessful) {
  EXPECT_TRUE(is_unsuccessful(BatchStatus::FAILED));
  EXPECT_TRUE(is_unsuccessful(BatchStatus::ABANDONED));
  EXPECT_TRUE(is_unsuccessful(BatchStatus::UNKNOWN));
  EXPECT_FALSE(is_unsuccessful(BatchStatus::COMPLETED));
  EXPECT_FALSE(is_unsuccessful(BatchStatus::STARTING));
  EXPECT_FALSE(is_unsuccessful(BatchStatus::STARTED));
  EXPECT_FALSE(is_unsuccessful(BatchStatus::STOPPING));
  EXPECT_FALSE(is_unsuccessful(BatchStatus::STOPPED));
}

TEST(BatchStatusTest, MaxStatus) {
  EXPECT_EQ(max_status(BatchStatus::FAILED, BatchStatus::COMPLETED), BatchStatus::FAILED);
  EXPECT_EQ(max_status(BatchStatus::COMPLETED, BatchStatus::FAILED), BatchStatus::FAILED);
  EXPECT_EQ(max_status(BatchStatus::STOPPED, BatchStatus::STARTED), BatchStatus::STOPPED);
  EXPECT_EQ(max_status(BatchStatus::UNKNOWN, BatchStatus::ABANDONED), BatchStatus::UNKNOWN);
  for (BatchStatus s : kAll) EXPECT_EQ(max_status(s, s), s);
}

TEST(BatchStatusTest, UpgradeToFinishedStatusesTakesTheMoreSevere) {
  EXPECT_EQ(upgrade_to(BatchStatus::FAILED, BatchStatus::COMPLETED), BatchStatus::FAILED);
  EXPECT_EQ(upgrade_to(BatchStatus::COMPLETED, BatchStatus::FAILED), BatchStatus::FAILED);
  EXPECT_EQ(upgrade_to(BatchStatus::STARTED, BatchStatus::STOPPING), BatchStatus::STOPPING);
  EXPECT_EQ(upgrade_to(BatchStatus::STOPPED, BatchStatus::STARTED), BatchStatus::STOPPED);
  EXPECT_EQ(upgrade_to(BatchStatus::STOPPED, BatchStatus::FAILED), BatchStatus::FAILED);
  EXPECT_EQ(upgrade_to(BatchStatus::UNKNOWN, BatchStatus::COMPLETED), BatchStatus::UNKNOWN);
}

TEST(BatchStatusTest, UpgradeToBelowStartedLetsCompletedWin) {
  EXPECT_EQ(upgrade_to(BatchStatus::COMPLETED, BatchStatus::STARTING), BatchStatus::COMPLETED);
  EXPECT_EQ(upgrade_to(BatchStatus::STARTING, BatchStatus::COMPLETED), BatchStatus::COMPLETED);
  EXPECT_EQ(upgrade_to(BatchStatus::STARTED, BatchStatus::COMPLETED), BatchStatus::COMPLETED);
  EXPECT_EQ(upgrade_to(BatchStatus::COMPLETED, BatchStatus::STARTED), BatchStatus::COMPLETED);
  EXPECT_EQ(upgrade_to(BatchStatus::STARTING, BatchStatus::STARTED), BatchStatus::STARTED);
  EXPECT_EQ(upgrade_to(BatchStatus::STARTED, BatchStatus::STARTING), BatchStatus::STARTED);
}

TEST(BatchStatusTest, UpgradeToIsSymmetric) {
  for (BatchStatus a : kAll) {
    for (BatchStatus b : kAll) {
      EXPECT_EQ(upgrade_to(a, b), upgrade_to(b, a)) << to_string(a) << " / " << to_string(b);
    }
  }
}

}  // namespace
}  // namespace cppbatch
