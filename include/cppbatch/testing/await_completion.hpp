// await_completion: the one wall-clock wait tests may do — a bounded wait
// for an asynchronous run to end, so a hung job fails the test instead of
// hanging the suite.
//
//   auto handle = async_launcher.run(*job, params);
//   ASSERT_TRUE(testing::await_completion(*handle));
//   EXPECT_THAT(handle->wait(), HasStatus(BatchStatus::COMPLETED));
#pragma once

#include <chrono>
#include <thread>

#include "cppbatch/core/job_launcher.hpp"

namespace cppbatch::testing {

// True once the run behind `handle` has ended; false if it has not ended
// within `limit` (polls every millisecond).
inline bool await_completion(const JobExecutionHandle& handle,
                             std::chrono::milliseconds limit = std::chrono::seconds(30)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!handle.done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

}  // namespace cppbatch::testing
