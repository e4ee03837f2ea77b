// Asynchronous launches on a ThreadPoolTaskExecutor: run() returns before
// the job ends, the repository shows it running, wait() gives the final
// state; a stop from another thread lands at the next chunk boundary; of
// concurrent launches of one instance exactly one wins. (Run under TSan:
// -DCPPBATCH_TSAN=ON.) Nothing here sleeps except the bounded wait for a
// run to end: the jobs block on gates the test opens.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <future>
#include <mutex>
#include <numeric>
#include <set>
#include <thread>
#include <vector>

#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/job_operator.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "cppbatch/core/task_executor.hpp"
#include "cppbatch/testing/execution_matchers.hpp"
#include "cppbatch/testing/job_test_fixture.hpp"
#include "cppbatch/testing/restartable_list_reader.hpp"

namespace cppbatch {
namespace {

using testing::HasCounts;
using testing::HasStatus;
using testing::HasStepExecution;

const JobParameters kParams = JobParametersBuilder().add_string("date", "2026-01-02").build();

// A one-shot gate: wait() blocks until open().
class Gate {
 public:
  Gate() : future_(promise_.get_future().share()) {}
  void open() {
    std::call_once(opened_, [this] { promise_.set_value(); });
  }
  void wait() const { future_.wait(); }

 private:
  std::promise<void> promise_;
  std::shared_future<void> future_;
  std::once_flag opened_;
};

// Opens a gate when it goes out of scope. Declare it after the executor so
// that a failed assertion opens the gate before the executor's destructor
// waits for the blocked job.
class OpenOnExit {
 public:
  explicit OpenOnExit(Gate& gate) : gate_(gate) {}
  ~OpenOnExit() { gate_.open(); }
  OpenOnExit(const OpenOnExit&) = delete;
  OpenOnExit& operator=(const OpenOnExit&) = delete;

 private:
  Gate& gate_;
};

class AsyncLaunchTest : public testing::JobTestFixture {
 protected:
  // A job whose tasklet signals `entered` on its first call, then blocks on
  // `gate`. Its chunks run outside any repository transaction (resourceless,
  // set explicitly whatever the default) so the test can read and write the
  // repository while the tasklet is blocked.
  std::unique_ptr<Job> gated_job(Gate& entered, Gate& gate, std::atomic<int>& calls,
                                 const std::string& name = "gated") {
    return JobBuilder(name, repository_)
        .start(StepBuilder("work", repository_)
                   .tasklet([&](StepContribution&, ChunkContext&) {
                     if (++calls == 1) {
                       entered.open();
                       gate.wait();
                       return RepeatStatus::CONTINUABLE;
                     }
                     return RepeatStatus::FINISHED;
                   })
                   .transaction_manager(resourceless_)
                   .build())
        .build();
  }
  ResourcelessTransactionManager resourceless_;
};

TEST_F(AsyncLaunchTest, RunReturnsBeforeTheJobEndsAndWaitGivesTheFinalState) {
  Gate entered, gate;
  std::atomic<int> calls{0};
  auto job = gated_job(entered, gate, calls);
  ThreadPoolTaskExecutor executor(2);
  JobLauncher async_launcher(repository_, &executor);
  OpenOnExit release(gate);

  auto handle = async_launcher.run(*job, kParams);
  ASSERT_TRUE(handle.ok()) << handle.error().to_string();
  entered.wait();
  EXPECT_FALSE(handle->done());

  auto running = stored(handle->id());
  EXPECT_TRUE(running->is_running()) << to_string(running->status);
  auto listed = repository_.running_job_executions("gated");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front()->id, handle->id());

  auto second = async_launcher.run(*job, kParams);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code(), ErrorCode::ALREADY_RUNNING);

  gate.open();
  ASSERT_TRUE(wait_for(*handle));
  JobExecution& done = handle->wait();
  EXPECT_THAT(done, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(done, HasStepExecution("work", HasCounts({.commit = 2, .rollback = 0})));
  EXPECT_EQ(calls.load(), 2);
  EXPECT_THAT(*stored(done.id), HasStatus(BatchStatus::COMPLETED));
}

TEST_F(AsyncLaunchTest, StopFromAnotherThreadLandsAtTheNextChunkBoundary) {
  Gate entered, gate;
  std::atomic<int> calls{0};
  auto job = gated_job(entered, gate, calls);
  ThreadPoolTaskExecutor executor(1);
  JobLauncher async_launcher(repository_, &executor);
  JobRegistry registry;
  JobOperator op(registry, repository_);
  OpenOnExit release(gate);

  auto handle = async_launcher.run(*job, kParams);
  ASSERT_TRUE(handle.ok()) << handle.error().to_string();
  entered.wait();
  auto stopped = op.stop(handle->id());
  ASSERT_TRUE(stopped.ok()) << stopped.error().to_string();
  EXPECT_THAT(*stored(handle->id()), HasStatus(BatchStatus::STOPPING));
  gate.open();

  ASSERT_TRUE(wait_for(*handle));
  JobExecution& done = handle->wait();
  EXPECT_THAT(done, HasStatus(BatchStatus::STOPPED));
  EXPECT_THAT(done, HasStepExecution("work", HasStatus(BatchStatus::STOPPED)));
  EXPECT_THAT(done, HasStepExecution("work", HasCounts({.commit = 1})));
  EXPECT_EQ(calls.load(), 1);
  EXPECT_THAT(*stored(done.id), HasStatus(BatchStatus::STOPPED));

  // The restart (synchronous) completes the remaining work.
  JobExecution& restarted = run(*job, kParams);
  EXPECT_THAT(restarted, HasStatus(BatchStatus::COMPLETED));
  EXPECT_EQ(calls.load(), 2);
}

TEST_F(AsyncLaunchTest, ConcurrentLaunchesOfOneInstanceExactlyOneWins) {
  Gate entered, gate;
  std::atomic<int> calls{0};
  auto job = gated_job(entered, gate, calls);
  ThreadPoolTaskExecutor executor(2);
  JobLauncher async_launcher(repository_, &executor);

  OpenOnExit release(gate);

  constexpr int kThreads = 8;
  std::vector<std::optional<Result<JobExecutionHandle>>> results(kThreads);
  Gate start;
  {
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        start.wait();
        results[static_cast<size_t>(i)].emplace(async_launcher.run(*job, kParams));
      });
    }
    start.open();
    for (auto& t : threads) t.join();
  }
  int won = 0;
  const JobExecutionHandle* winner = nullptr;
  for (auto& r : results) {
    ASSERT_TRUE(r.has_value());
    if (r->ok()) {
      ++won;
      winner = &r->value();
    } else {
      EXPECT_EQ(r->error().code(), ErrorCode::ALREADY_RUNNING) << r->error().to_string();
    }
  }
  EXPECT_EQ(won, 1);
  ASSERT_NE(winner, nullptr);
  entered.wait();
  gate.open();
  ASSERT_TRUE(wait_for(*winner));
  EXPECT_THAT(winner->wait(), HasStatus(BatchStatus::COMPLETED));
  EXPECT_EQ(calls.load(), 2) << "the job ran once";
}

TEST_F(AsyncLaunchTest, ManyInstancesRunInParallel) {
  constexpr int kJobs = 8;
  std::vector<std::unique_ptr<Job>> jobs;
  std::vector<int> items(100);
  std::iota(items.begin(), items.end(), 0);
  std::atomic<int64_t> total{0};
  for (int i = 0; i < kJobs; ++i) {
    jobs.push_back(JobBuilder("parallel", repository_)
                       .start(StepBuilder("sum", repository_)
                                  .chunk<int>(10)
                                  .reader(std::make_unique<testing::RestartableListReader<int>>(items))
                                  .writer([&](const Chunk<int>& chunk) {
                                    for (int v : chunk) total += v;
                                  })
                                  .build())
                       .build());
  }
  ThreadPoolTaskExecutor executor(4);
  JobLauncher async_launcher(repository_, &executor);
  std::vector<JobExecutionHandle> handles;
  for (int i = 0; i < kJobs; ++i) {
    auto handle = async_launcher.run(*jobs[static_cast<size_t>(i)], JobParametersBuilder().add_long("n", i).build());
    ASSERT_TRUE(handle.ok()) << handle.error().to_string();
    handles.push_back(std::move(handle).value());
  }
  std::set<int64_t> ids;
  for (const auto& handle : handles) {
    ASSERT_TRUE(wait_for(handle));
    JobExecution& done = handle.wait();
    EXPECT_THAT(done, HasStatus(BatchStatus::COMPLETED));
    EXPECT_THAT(done, HasStepExecution("sum", HasCounts(100, 100, 11)));
    ids.insert(done.id);
  }
  EXPECT_EQ(ids.size(), static_cast<size_t>(kJobs));
  EXPECT_EQ(total.load(), int64_t{kJobs} * 4950);
}

// The launcher itself may be destroyed while its runs go on (JobOperator
// owns one, so an operator destroyed while its asynchronous runs continue
// is the same case); only the repository, the executor and the job must
// outlive a run. (Regression: the queued task captured `this` and read
// `repository_` through it when the run ended — a segfault in a plain
// build, heap-use-after-free under ASan.) Runs in a child process
// (death-test machinery) so that a crash fails only this test.
void run_with_a_launcher_destroyed_early() {
  testing::ManualClock clock;
  InMemoryJobRepository repository(LeaseOptions{}, clock);
  ResourcelessTransactionManager resourceless;
  Gate entered, gate;
  auto job = JobBuilder("gated", repository)
                 .start(StepBuilder("work", repository)
                            .tasklet([&](StepContribution&, ChunkContext&) {
                              entered.open();
                              gate.wait();
                              return RepeatStatus::FINISHED;
                            })
                            .transaction_manager(resourceless)
                            .build())
                 .build();
  ThreadPoolTaskExecutor executor(1);
  OpenOnExit release(gate);
  std::optional<JobExecutionHandle> handle;
  {
    auto async_launcher = std::make_unique<JobLauncher>(repository, &executor);
    auto launched = async_launcher->run(*job, kParams);
    if (!launched.ok()) std::_Exit(3);
    handle.emplace(std::move(launched).value());
    entered.wait();
  }  // the launcher is gone; the run goes on
  gate.open();
  if (!testing::await_completion(*handle)) std::_Exit(4);
  if (handle->wait().status != BatchStatus::COMPLETED) std::_Exit(5);
}

TEST(JobLauncherLifetimeTest, LauncherMayBeDestroyedWhileItsRunContinues) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        run_with_a_launcher_destroyed_early();
        std::_Exit(0);
      },
      ::testing::ExitedWithCode(0), "")
      << "exit 3: launch refused, 4: run did not end, 5: run did not complete; a signal: the crash";
}

TEST(TaskExecutorTest, SyncExecutorRunsOnTheCallersThread) {
  SyncTaskExecutor executor;
  std::thread::id ran_on;
  executor.execute([&] { ran_on = std::this_thread::get_id(); });
  EXPECT_EQ(ran_on, std::this_thread::get_id());
}

TEST(TaskExecutorTest, ThreadPoolRunsEveryQueuedTaskBeforeItIsDestroyed) {
  std::atomic<int> ran{0};
  std::mutex mutex;
  std::set<std::thread::id> threads;
  {
    ThreadPoolTaskExecutor executor(3);
    for (int i = 0; i < 200; ++i) {
      executor.execute([&] {
        ++ran;
        std::lock_guard lock(mutex);
        threads.insert(std::this_thread::get_id());
      });
    }
  }
  EXPECT_EQ(ran.load(), 200);
  EXPECT_LE(threads.size(), 3u);
  EXPECT_EQ(threads.count(std::this_thread::get_id()), 0u);
}

}  // namespace
}  // namespace cppbatch
