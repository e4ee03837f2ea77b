// The database components inside real jobs (step engine, in-memory
// repository): a job reading a PostgreSQL table with a reader whose query
// takes a job parameter, writing another table, fails in chunk k+1 and is
// restarted; the target table then equals what an uninterrupted run writes —
// nothing missing, nothing twice.
#include <gtest/gtest.h>

#include <stdexcept>

#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/job_launcher.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "cppbatch/infrastructure/pg_batch_writer.hpp"
#include "cppbatch/infrastructure/pg_copy_writer.hpp"
#include "cppbatch/infrastructure/pg_cursor_reader.hpp"
#include "cppbatch/infrastructure/pg_paging_reader.hpp"
#include "cppbatch/repository/in_memory_job_repository.hpp"
#include "postgres/pg_test_support.hpp"

namespace cppbatch {
namespace {

struct Row {
  int64_t id;
  std::string name;
  int64_t year;
};

Row map_row(const PgRow& row) { return Row{row.get_long(0), std::string(row.get_string(1)), row.get_long(2)}; }

enum class ReaderKind { CURSOR, PAGING };
enum class WriterKind { COPY, UPSERT };

class PgJobRestartTest : public testing::PgTest,
                         public ::testing::WithParamInterface<std::tuple<ReaderKind, WriterKind>> {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    db_->execute(
        "CREATE TABLE source(id bigint PRIMARY KEY, name text, year int);"
        "INSERT INTO source SELECT i * 3, 'name ' || i || E'\\t\\\\', 1950 + i % 60 FROM generate_series(1, 3000) i;"
        "CREATE TABLE target(id bigint PRIMARY KEY, name text, year int)");
  }

  std::unique_ptr<Job> make_job(const std::shared_ptr<JobParametersScope>& scope, int64_t fail_at_id) {
    const std::string sql = "SELECT id, name, year FROM source WHERE year >= :min_year";
    std::unique_ptr<ItemReader<Row>> reader;
    if (std::get<0>(GetParam()) == ReaderKind::CURSOR) {
      reader = std::make_unique<PgCursorReader<Row>>(
          PgReaderOptions{.url = url(), .sql = sql + " ORDER BY id",
                          .parameter_sources = {job_parameter(":min_year", scope)}, .name = "source",
                          .restart_key_column = "id", .fetch_size = 64},
          map_row);
    } else {
      reader = std::make_unique<PgPagingReader<Row>>(
          PgPagingOptions{.url = url(), .sql = sql, .sort_key = "id", .page_size = 64,
                          .parameter_sources = {job_parameter(":min_year", scope)}, .name = "source"},
          map_row);
    }
    std::unique_ptr<ItemWriter<Row>> writer;
    if (std::get<1>(GetParam()) == WriterKind::COPY) {
      writer = std::make_unique<PgCopyWriter<Row>>(PgCopyOptions{.url = url(), .table = "target",
                                                                 .columns = {"id", "name", "year"}},
                                                   [](const Row& r, PgCopyRow& row) {
                                                     row.add(r.id);
                                                     row.add(r.name);
                                                     row.add(r.year);
                                                   });
    } else {
      writer = std::make_unique<PgBatchWriter<Row>>(
          PgWriterOptions{.url = url(),
                          .sql = "INSERT INTO target VALUES(:id, :name, :year) ON CONFLICT(id) DO UPDATE SET "
                                 "name = excluded.name, year = excluded.year"},
          [](const Row& r, PgParams& p) {
            p.add(r.id);
            p.add(r.name);
            p.add(r.year);
          });
    }
    auto step = StepBuilder("copy", repository_)
                    .chunk<Row, Row>(100)
                    .listener(scope)
                    .reader(std::move(reader))
                    .processor([fail_at_id](const Row& r) -> std::optional<Row> {
                      if (r.id == fail_at_id) throw std::runtime_error("processing failed at id " + std::to_string(r.id));
                      return r;
                    })
                    .writer(std::move(writer))
                    .build();
    return JobBuilder("pgCopyJob", repository_).start(std::move(step)).build();
  }

  JobExecution& run(Job& job, const JobParameters& parameters) {
    auto handle = launcher_.run(job, parameters);
    EXPECT_TRUE(handle.ok());
    handles_.push_back(std::move(handle).value());
    return handles_.back().wait();
  }

  InMemoryJobRepository repository_;
  JobLauncher launcher_{repository_};
  std::vector<JobExecutionHandle> handles_;
};

TEST_P(PgJobRestartTest, RestartAfterAFailedChunkWritesEveryRowOnce) {
  const JobParameters params = JobParametersBuilder().add_long("min_year", 1980).build();
  const int64_t expected = count("source", "year >= 1980");
  ASSERT_GT(expected, 1000);
  // The 1000th qualifying row fails: 9 chunks of 100 commit, the 10th rolls back.
  const int64_t fail_at = db_->query_long("SELECT id FROM source WHERE year >= 1980 ORDER BY id OFFSET 950 LIMIT 1")
                              .value();
  auto scope = std::make_shared<JobParametersScope>();
  auto failing = make_job(scope, fail_at);
  JobExecution& first = run(*failing, params);
  ASSERT_EQ(first.status, BatchStatus::FAILED);
  EXPECT_NE(first.exit_status.description().find("processing failed at id"), std::string::npos);
  EXPECT_EQ(count("target"), 900);
  EXPECT_EQ(first.step_executions.at(0)->commit_count, 9);

  auto fixed = make_job(scope, -1);
  JobExecution& second = run(*fixed, params);
  ASSERT_EQ(second.status, BatchStatus::COMPLETED) << second.exit_status.description();
  EXPECT_EQ(second.job_instance.id, first.job_instance.id);
  EXPECT_EQ(second.step_executions.at(0)->read_count, expected - 900);
  EXPECT_EQ(count("target"), expected);
  EXPECT_EQ(count("(SELECT * FROM target EXCEPT SELECT * FROM source WHERE year >= 1980) d"), 0);
  EXPECT_EQ(count("(SELECT * FROM source WHERE year >= 1980 EXCEPT SELECT * FROM target) d"), 0);
}

INSTANTIATE_TEST_SUITE_P(ReadersAndWriters, PgJobRestartTest,
                         ::testing::Combine(::testing::Values(ReaderKind::CURSOR, ReaderKind::PAGING),
                                            ::testing::Values(WriterKind::COPY, WriterKind::UPSERT)),
                         [](const auto& param_info) {
                           return std::string(std::get<0>(param_info.param) == ReaderKind::CURSOR ? "Cursor" : "Paging") +
                                  (std::get<1>(param_info.param) == WriterKind::COPY ? "ToCopy" : "ToUpsert");
                         });

}  // namespace
}  // namespace cppbatch
