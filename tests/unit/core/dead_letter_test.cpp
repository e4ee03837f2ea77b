// Dead letters: the skip listener that stores skipped items in the
// repository's dead-letter table in the chunk's transaction, and the
// reprocessing job. Every test runs on the in-memory and on the SQLite job
// repository. Faults are injected by item value (deterministic).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "cppbatch/core/dead_letter_reprocessing.hpp"
#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/job_launcher.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "cppbatch/infrastructure/parse_error.hpp"
#include "cppbatch/testing/backend_job_test_fixture.hpp"
#include "cppbatch/testing/execution_matchers.hpp"
#include "cppbatch/testing/manual_clock.hpp"
#include "cppbatch/testing/restartable_list_reader.hpp"
#include "cppbatch/testing/transactional_list_writer.hpp"

namespace cppbatch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::HasCounts;
using testing::HasExitDescription;
using testing::HasStatus;
using testing::RestartableListReader;
using testing::TransactionalListWriter;

struct BadItem : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct FatalError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class DeadLetterTest : public testing::BackendJobTestFixture {
 protected:
  using BackendJobTestFixture::run;
  void TearDown() override {
    jobs_.clear();
    BackendJobTestFixture::TearDown();
  }

  // Items 1..n through a processor that applies process_fault_ and doubles
  // nothing (output = input), into a transactional list writer applying
  // write_fault_; skips BadItem, stores dead letters.
  std::unique_ptr<Job> original_job(int n, size_t chunk = 2) {
    std::vector<int> items;
    for (int i = 1; i <= n; ++i) items.push_back(i);
    auto reader = std::make_unique<RestartableListReader<int>>(items);
    reader->fault([this](const int& item, size_t) {
      if (read_fault_) read_fault_(item);
    });
    auto writer = std::make_unique<TransactionalListWriter<int>>(committed_);
    writer->fault([this](const int& item, size_t) {
      if (write_fault_) write_fault_(item);
    });
    auto step = StepBuilder("load", *repository_)
                    .chunk<int>(chunk)
                    .reader(std::move(reader))
                    .processor([this](const int& item) -> std::optional<int> {
                      if (process_fault_) process_fault_(item);
                      return item;
                    })
                    .writer(std::move(writer))
                    .fault_tolerant()
                    .skip<BadItem>()
                    .skip<ParseError>()
                    .skip_limit(100)
                    .dead_letters()
                    .build();
    return JobBuilder("loadJob", *repository_).start(std::move(step)).build();
  }

  // The reprocessing job of loadJob: the same processor and writer kinds,
  // with the faults of the "fixed" world (fixed_process_fault_ /
  // fixed_write_fault_), writing into reprocessed_.
  std::unique_ptr<Job> reprocessing_job(int64_t max_attempts = 3) {
    auto writer = std::make_unique<TransactionalListWriter<int>>(reprocessed_);
    writer->fault([this](const int& item, size_t) {
      if (fixed_write_fault_) fixed_write_fault_(item);
    });
    DeadLetterRoute<int, int> route;
    route.processor = std::make_unique<FunctionItemProcessor<int, int, std::function<std::optional<int>(const int&)>>>(
        [this](const int& item) -> std::optional<int> {
          if (fixed_process_fault_) fixed_process_fault_(item);
          return item;
        });
    route.writer = std::move(writer);
    route.parse_raw = [](const DeadLetter& letter) { return std::stoi(letter.payload.substr(4)); };  // "raw:N"
    return DeadLetterReprocessingJobBuilder("loadJob", *repository_)
        .route<int, int>("load", std::move(route))
        .chunk_size(2)
        .max_attempts(max_attempts)
        .build();
  }

  JobExecution& run(std::unique_ptr<Job> job) {
    jobs_.push_back(std::move(job));
    return run(*jobs_.back());
  }
  JobExecution& reprocess(int run_id, std::string status = "", std::string error_type = "",
                          int64_t max_attempts = 3) {
    jobs_.push_back(reprocessing_job(max_attempts));
    JobParametersBuilder parameters;
    parameters.add_long("run.id", run_id);
    if (!status.empty()) parameters.add_string(kDeadLetterStatusParameter, status);
    if (!error_type.empty()) parameters.add_string(kDeadLetterErrorTypeParameter, error_type);
    return run(*jobs_.back(), parameters.build());
  }

  std::vector<DeadLetter> letters() {
    auto found = repository_->dead_letters().find(DeadLetterQuery{});
    EXPECT_TRUE(found.ok());
    return found.ok() ? found.value() : std::vector<DeadLetter>{};
  }
  static std::vector<std::string> payloads(const std::vector<DeadLetter>& letters) {
    std::vector<std::string> out;
    for (const auto& l : letters) out.push_back(l.payload);
    return out;
  }
  static std::vector<DeadLetterStatus> statuses(const std::vector<DeadLetter>& letters) {
    std::vector<DeadLetterStatus> out;
    for (const auto& l : letters) out.push_back(l.status);
    return out;
  }

  std::vector<std::unique_ptr<Job>> jobs_;
  std::vector<int> committed_, reprocessed_;
  std::function<void(int)> read_fault_, process_fault_, write_fault_, fixed_process_fault_, fixed_write_fault_;
};

INSTANTIATE_TEST_SUITE_P(Repositories, DeadLetterTest, testing::kEmbeddedBackends,
                         testing::backend_test_name);

// --- the listener ---------------------------------------------------------

TEST_P(DeadLetterTest, EachSkipPhaseStoresItsItemWithWhoAndWhy) {
  read_fault_ = [](int item) {
    if (item == 2) throw ParseError("in.txt", 2, 1, "n", "raw:2", "not a number");
  };
  process_fault_ = [](int item) {
    if (item == 4) throw BadItem("cannot process 4");
  };
  write_fault_ = [](int item) {
    if (item == 5) throw BadItem("cannot write 5");
  };
  JobExecution& execution = run(original_job(6));
  ASSERT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(*execution.step_executions.at(0), HasCounts({.read_skip = 1, .process_skip = 1, .write_skip = 1}));
  EXPECT_EQ(committed_, (std::vector<int>{1, 3, 6}));

  auto stored = letters();
  ASSERT_EQ(stored.size(), 3u);
  const StepExecution& step = *execution.step_executions.at(0);
  for (const DeadLetter& l : stored) {
    EXPECT_EQ(l.job_name, "loadJob");
    EXPECT_EQ(l.job_instance_id, execution.job_instance.id);
    EXPECT_EQ(l.job_execution_id, execution.id);
    EXPECT_EQ(l.step_name, "load");
    EXPECT_EQ(l.step_execution_id, step.id);
    EXPECT_EQ(l.status, DeadLetterStatus::NEW);
  }
  EXPECT_EQ(stored[0].phase, SkipPhase::READ);
  EXPECT_EQ(stored[0].payload, "raw:2");
  EXPECT_EQ(stored[0].source, "in.txt:2");
  EXPECT_EQ(stored[0].error_type, "cppbatch::ParseError");
  EXPECT_THAT(stored[0].error_message, HasSubstr("not a number"));
  EXPECT_EQ(stored[1].phase, SkipPhase::PROCESS);
  EXPECT_EQ(stored[1].payload, "4");  // JSON of the input item
  EXPECT_THAT(stored[1].error_type, HasSubstr("BadItem"));
  EXPECT_EQ(stored[1].error_message, "cannot process 4");
  EXPECT_EQ(stored[1].source, "");
  EXPECT_EQ(stored[2].phase, SkipPhase::WRITE);
  EXPECT_EQ(stored[2].payload, "5");
  EXPECT_EQ(stored[2].error_message, "cannot write 5");
}

TEST_P(DeadLetterTest, ARolledBackChunkLeavesNoLetterAndTheRestartStoresItOnce) {
  // Chunk [3,4]: 3 is skipped in processing, then writing 4 fails with a
  // non-skippable error: the transaction that recorded the skip of 3 rolls
  // back and the step fails — no letter for 3 may survive.
  process_fault_ = [](int item) {
    if (item == 3) throw BadItem("cannot process 3");
  };
  bool fatal = true;
  write_fault_ = [&fatal](int item) {
    if (item == 4 && fatal) throw FatalError("disk full");
  };
  jobs_.push_back(original_job(5));
  JobExecution& failed = run(*jobs_.back());
  ASSERT_THAT(failed, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(letters(), IsEmpty());
  EXPECT_EQ(failed.step_executions.at(0)->process_skip_count, 0);

  fatal = false;
  JobExecution& restarted = run(*jobs_.back());
  ASSERT_THAT(restarted, HasStatus(BatchStatus::COMPLETED));
  auto stored = letters();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].payload, "3");
  EXPECT_EQ(stored[0].job_execution_id, restarted.id);
  EXPECT_EQ(committed_, (std::vector<int>{1, 2, 4, 5}));
}

TEST_P(DeadLetterTest, CommittedSkipsKeepTheirLettersAcrossAFailureAndARestartAddsNoDuplicate) {
  process_fault_ = [](int item) {
    if (item == 2) throw BadItem("cannot process 2");
  };
  bool fatal = true;
  write_fault_ = [&fatal](int item) {
    if (item == 5 && fatal) throw FatalError("disk full");
  };
  jobs_.push_back(original_job(6));
  JobExecution& failed = run(*jobs_.back());
  ASSERT_THAT(failed, HasStatus(BatchStatus::FAILED));
  auto after_failure = letters();
  ASSERT_EQ(after_failure.size(), 1u);  // chunk [1,2] committed with its letter
  EXPECT_EQ(after_failure[0].payload, "2");
  EXPECT_EQ(after_failure[0].job_execution_id, failed.id);

  fatal = false;
  JobExecution& restarted = run(*jobs_.back());
  ASSERT_THAT(restarted, HasStatus(BatchStatus::COMPLETED));
  auto after_restart = letters();
  ASSERT_EQ(after_restart.size(), 1u);
  EXPECT_EQ(after_restart[0].id, after_failure[0].id);
  EXPECT_EQ(committed_, (std::vector<int>{1, 3, 4, 5, 6}));
}

TEST_P(DeadLetterTest, AStepWithDeadLettersRefusesAnotherTransactionManager) {
  ResourcelessTransactionManager other;
  auto builder = StepBuilder("load", *repository_)
                     .chunk<int>(2)
                     .reader([]() -> std::optional<int> { return std::nullopt; })
                     .writer([](const Chunk<int>&) {})
                     .fault_tolerant();
  builder.skip<BadItem>().dead_letters().transaction_manager(other);
  EXPECT_THROW(
      {
        try {
          (void)builder.build();
        } catch (const std::invalid_argument& e) {
          EXPECT_THAT(e.what(), HasSubstr("repository's transaction manager"));
          throw;
        }
      },
      std::invalid_argument);
}

// --- reprocessing -----------------------------------------------------------

TEST_P(DeadLetterTest, ReprocessingResolvesFixedItemsFailsTheOthersAgainThenParksThem) {
  process_fault_ = [](int item) {
    if (item == 2 || item == 4) throw BadItem("bad " + std::to_string(item));
  };
  ASSERT_THAT(run(original_job(5)), HasStatus(BatchStatus::COMPLETED));
  ASSERT_THAT(payloads(letters()), ElementsAre("2", "4"));

  // The fix covers 2 only.
  fixed_process_fault_ = [](int item) {
    if (item == 4) throw BadItem("still bad 4");
  };
  JobExecution& first = reprocess(1, "", "", 2);
  ASSERT_THAT(first, HasStatus(BatchStatus::COMPLETED));
  EXPECT_EQ(first.job_name(), "loadJob.dlq");
  EXPECT_EQ(reprocessed_, (std::vector<int>{2}));
  auto after_first = letters();
  EXPECT_THAT(statuses(after_first), ElementsAre(DeadLetterStatus::RESOLVED, DeadLetterStatus::FAILED_AGAIN));
  EXPECT_EQ(after_first[0].attempts, 1);
  EXPECT_EQ(after_first[1].attempts, 1);
  EXPECT_EQ(after_first[1].last_error, "still bad 4");  // same type as the original error: no prefix
  const ExecutionContext& counts = first.step_executions.at(0)->execution_context;
  EXPECT_EQ(counts.get_long(kDeadLettersResolvedKey), 1);
  EXPECT_EQ(counts.get_long(kDeadLettersFailedAgainKey), 1);
  EXPECT_EQ(counts.get_long(kDeadLettersParkedKey), std::nullopt);

  // Second failure of 4 reaches max_attempts (2): parked. 2 is not retried.
  JobExecution& second = reprocess(2, "", "", 2);
  ASSERT_THAT(second, HasStatus(BatchStatus::COMPLETED));
  EXPECT_EQ(reprocessed_, (std::vector<int>{2}));
  auto after_second = letters();
  EXPECT_THAT(statuses(after_second), ElementsAre(DeadLetterStatus::RESOLVED, DeadLetterStatus::PARKED));
  EXPECT_EQ(after_second[1].attempts, 2);
  EXPECT_EQ(second.step_executions.at(0)->execution_context.get_long(kDeadLettersParkedKey), 1);

  // Nothing left to retry by default; a PARKED letter is retried only when asked.
  JobExecution& third = reprocess(3);
  ASSERT_THAT(third, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(*third.step_executions.at(0), HasCounts({.read = 0, .write = 0}));
  fixed_process_fault_ = nullptr;
  JobExecution& fourth = reprocess(4, "PARKED");
  ASSERT_THAT(fourth, HasStatus(BatchStatus::COMPLETED));
  EXPECT_EQ(reprocessed_, (std::vector<int>{2, 4}));
  EXPECT_THAT(statuses(letters()), ElementsAre(DeadLetterStatus::RESOLVED, DeadLetterStatus::RESOLVED));
  EXPECT_EQ(letters()[1].attempts, 3);
}

TEST_P(DeadLetterTest, ReprocessingRebuildsEachPhaseItsOwnWay) {
  read_fault_ = [](int item) {
    if (item == 1) throw ParseError("in.txt", 1, 1, "n", "raw:1", "not a number");
  };
  process_fault_ = [](int item) {
    if (item == 2) throw BadItem("bad 2");
  };
  write_fault_ = [](int item) {
    if (item == 3) throw BadItem("bad 3");
  };
  ASSERT_THAT(run(original_job(3)), HasStatus(BatchStatus::COMPLETED));
  // In the fixed world the processor refuses 3: a WRITE letter must not go
  // through it again (its payload is already the processor's output).
  fixed_process_fault_ = [](int item) {
    if (item == 3) throw FatalError("write letters are not processed again");
  };
  ASSERT_THAT(reprocess(1), HasStatus(BatchStatus::COMPLETED));
  EXPECT_EQ(reprocessed_, (std::vector<int>{1, 2, 3}));
  EXPECT_THAT(statuses(letters()), ElementsAre(DeadLetterStatus::RESOLVED, DeadLetterStatus::RESOLVED,
                                               DeadLetterStatus::RESOLVED));
}

TEST_P(DeadLetterTest, AWriteFailureOfOneLetterDoesNotBlockTheOthersOfItsChunk) {
  process_fault_ = [](int item) {
    if (item >= 2) throw BadItem("bad " + std::to_string(item));
  };
  ASSERT_THAT(run(original_job(5)), HasStatus(BatchStatus::COMPLETED));
  fixed_write_fault_ = [](int item) {
    if (item == 3) throw BadItem("cannot write 3");
  };
  JobExecution& execution = reprocess(1);
  ASSERT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_EQ(reprocessed_, (std::vector<int>{2, 4, 5}));
  EXPECT_THAT(statuses(letters()), ElementsAre(DeadLetterStatus::RESOLVED, DeadLetterStatus::FAILED_AGAIN,
                                               DeadLetterStatus::RESOLVED, DeadLetterStatus::RESOLVED));
  EXPECT_EQ(letters()[1].last_error, "cannot write 3");
}

TEST_P(DeadLetterTest, ReprocessingSelectsByErrorType) {
  process_fault_ = [](int item) {
    if (item == 2) throw BadItem("bad 2");
  };
  write_fault_ = [](int item) {
    if (item == 4) throw ParseError("x", 1, 0, "", "4", "parse");
  };
  ASSERT_THAT(run(original_job(5)), HasStatus(BatchStatus::COMPLETED));
  ASSERT_THAT(reprocess(1, "", "cppbatch::ParseError"), HasStatus(BatchStatus::COMPLETED));
  EXPECT_EQ(reprocessed_, (std::vector<int>{4}));
  EXPECT_THAT(statuses(letters()), ElementsAre(DeadLetterStatus::NEW, DeadLetterStatus::RESOLVED));
}

TEST_P(DeadLetterTest, ALetterOfAStepWithoutARouteFailsTheRunAndChangesNothing) {
  process_fault_ = [](int item) {
    if (item == 2) throw BadItem("bad 2");
  };
  ASSERT_THAT(run(original_job(3)), HasStatus(BatchStatus::COMPLETED));
  DeadLetterRoute<int, int> route;
  route.writer = std::make_unique<TransactionalListWriter<int>>(reprocessed_);
  jobs_.push_back(DeadLetterReprocessingJobBuilder("loadJob", *repository_).route<int>("other", std::move(route)).build());
  JobExecution& execution = run(*jobs_.back(), JobParametersBuilder().add_long("run.id", 1).build());
  ASSERT_THAT(execution, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(*execution.step_executions.at(0), HasExitDescription(HasSubstr("has no reprocessing route")));
  EXPECT_THAT(statuses(letters()), ElementsAre(DeadLetterStatus::NEW));
  EXPECT_EQ(letters()[0].attempts, 0);
}

}  // namespace
}  // namespace cppbatch
