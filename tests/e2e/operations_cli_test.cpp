// The operator's queries and retention through the real `cppbatch` binary:
// summary, instances, running, executions --instance and prune, against
// the settlement job's repository, with their JSON and their one-line
// errors (exit 2).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "e2e/e2e_support.hpp"

namespace cppbatch::testing::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using Json = nlohmann::json;

std::string date_param(const std::string& date) { return "date=" + date + ",date"; }

// Runs a command that must succeed and parses its standard output.
Json json_of(Cli& cli, const std::vector<std::string>& arguments) {
  RunResult r = cli.run(arguments);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  try {
    return Json::parse(r.out);
  } catch (const Json::exception& e) {
    ADD_FAILURE() << "not JSON: " << e.what() << "\n" << r.out;
    return Json();
  }
}

// A refusal: exit 2 and exactly one line on standard error naming `reason`.
void expect_refused(Cli& cli, const std::vector<std::string>& arguments, const std::string& reason) {
  RunResult r = cli.run(arguments);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_THAT(r.err, StartsWith("cppbatch: ")) << arguments.front();
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr(reason));
}

int64_t count(const fs::path& repository, const std::string& sql) {
  SQLite::Database db = open_read_only(repository);
  return query_long(db, sql);
}

// Rows of every repository table that belong to job execution `id`.
int64_t rows_of_execution(const fs::path& repository, int64_t id) {
  const std::string where = " WHERE JOB_EXECUTION_ID = " + std::to_string(id);
  int64_t rows = 0;
  for (const char* table : {"BATCH_JOB_EXECUTION", "BATCH_JOB_EXECUTION_PARAMS", "BATCH_JOB_EXECUTION_CONTEXT",
                            "BATCH_STEP_EXECUTION", "BATCH_JOB_EXECUTION_LEASE"}) {
    rows += count(repository, std::string("SELECT COUNT(*) FROM ") + table + where);
  }
  return rows;
}

TEST(OperationsCli, SummaryInstancesAndExecutionsOfAnInstance) {
  TempDir dir("queries");
  Cli cli(dir.path());
  const fs::path not_a_directory = dir / "workdir-is-a-file";
  { std::ofstream(not_a_directory) << "not a directory\n"; }
  // Instance 1: execution 1 fails, execution 2 (its restart) completes.
  EXPECT_EQ(cli.run({"run", "settlementJob", date_param("2026-03-01"), "count=500,long",
                     "workdir=" + not_a_directory.string() + ",string,false"})
                .exit_code,
            1);
  ASSERT_EQ(cli.run({"run", "settlementJob", date_param("2026-03-01"), "count=500,long"}).exit_code, 0);
  // Instance 2: execution 3.
  ASSERT_EQ(cli.run({"run", "settlementJob", date_param("2026-03-02"), "count=500,long"}).exit_code, 0);

  // summary: one line for the execution, one per step.
  RunResult summary = cli.run({"summary", "2"});
  ASSERT_EQ(summary.exit_code, 0) << summary.err;
  SQLite::Database db = open_read_only(cli.repository());
  std::vector<std::string> steps =
      dump(db, "SELECT STEP_NAME || ' ' || STATUS FROM BATCH_STEP_EXECUTION WHERE JOB_EXECUTION_ID = 2 "
               "ORDER BY STEP_EXECUTION_ID");
  ASSERT_FALSE(steps.empty());
  std::string step_list;
  for (const auto& step : steps) step_list += (step_list.empty() ? "" : ", ") + step;
  std::istringstream lines(summary.out);
  std::string first;
  std::getline(lines, first);
  EXPECT_THAT(first, StartsWith("Execution 2 of job 'settlementJob' (instance 1): COMPLETED; started "));
  EXPECT_THAT(first, HasSubstr("; parameters {count=500, date=2026-03-01}; steps " + step_list));
  std::vector<std::string> step_lines;
  for (std::string line; std::getline(lines, line);) step_lines.push_back(line);
  ASSERT_EQ(step_lines.size(), steps.size());
  EXPECT_THAT(step_lines[0], StartsWith("  StepExecution: id="));

  RunResult failed_summary = cli.run({"summary", "1"});
  EXPECT_THAT(failed_summary.out, HasSubstr("(instance 1): FAILED ("));
  EXPECT_THAT(failed_summary.out, HasSubstr("transactions.db"));  // the failure, in the failed step's line

  Json summary_json = json_of(cli, {"summary", "2", "--json"});
  EXPECT_EQ(summary_json["id"], 2);
  EXPECT_EQ(summary_json["summary"], first);
  std::vector<std::string> step_ids = dump(db, "SELECT STEP_EXECUTION_ID FROM BATCH_STEP_EXECUTION "
                                               "WHERE JOB_EXECUTION_ID = 2 ORDER BY STEP_EXECUTION_ID");
  ASSERT_EQ(summary_json["steps"].size(), step_ids.size());
  for (size_t i = 0; i < step_ids.size(); ++i) {
    EXPECT_EQ(std::to_string(summary_json["steps"][i]["id"].get<int64_t>()), step_ids[i]);
  }
  expect_refused(cli, {"summary", "99"}, "99");
  expect_refused(cli, {"summary", "x"}, "an execution id is a positive integer, got 'x'");

  // instances: newest first, with executions and identifying parameters.
  Json instances = json_of(cli, {"instances", "settlementJob", "--json"});
  ASSERT_EQ(instances.size(), 2u);
  EXPECT_EQ(instances[0]["id"], 2);
  EXPECT_EQ(instances[1]["id"], 1);
  EXPECT_EQ(instances[1]["execution_ids"], Json::array({2, 1}));
  EXPECT_EQ(instances[1]["last_status"], "COMPLETED");
  EXPECT_EQ(instances[1]["parameters"]["date"]["value"], "2026-03-01");
  EXPECT_FALSE(instances[1]["parameters"].contains("workdir")) << "only identifying parameters";
  Json page = json_of(cli, {"instances", "settlementJob", "--start", "1", "--count", "1", "--json"});
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0]["id"], 1);
  RunResult table = cli.run({"instances", "settlementJob"});
  EXPECT_EQ(table.exit_code, 0);
  EXPECT_THAT(table.out, HasSubstr("INSTANCE"));
  EXPECT_THAT(table.out, HasSubstr("count=500,long date=2026-03-01,date"));
  EXPECT_THAT(cli.run({"instances", "settlementJob", "--start", "5"}).out,
              HasSubstr("no instances of job 'settlementJob' after the first 5"));
  expect_refused(cli, {"instances", "nope"}, "no job named 'nope'");
  expect_refused(cli, {"instances", "settlementJob", "--count", "0"}, "--count");
  expect_refused(cli, {"instances"}, "JOB is required");

  // executions --instance: the instance's executions, newest first.
  Json of_instance = json_of(cli, {"executions", "--instance", "1", "--json"});
  ASSERT_EQ(of_instance.size(), 2u);
  EXPECT_EQ(of_instance[0]["id"], 2);
  EXPECT_EQ(of_instance[1]["id"], 1);
  expect_refused(cli, {"executions", "--instance", "77"}, "No job instance with id=77");
  expect_refused(cli, {"executions", "--instance", "one"}, "an instance id is a positive integer");
  expect_refused(cli, {"executions", "--instance", "1", "--job", "settlementJob"}, "excludes");

  // Nothing runs now.
  EXPECT_EQ(json_of(cli, {"running", "--json"}), Json::array());
  EXPECT_EQ(cli.run({"running", "settlementJob"}).out, "no running executions of job 'settlementJob'\n");
  expect_refused(cli, {"running", "nope"}, "no job named 'nope'");
}

// A job running in another process: `running` lists it, `prune` keeps it
// (and reports it), and it goes on to end normally once stopped.
TEST(OperationsCli, RunningJobIsListedAndNeverPruned) {
  TempDir dir("running");
  Cli cli(dir.path());
  ASSERT_EQ(cli.run({"run", "settlementJob", date_param("2026-04-01"), "count=500,long"}).exit_code, 0);
  // A million transactions take seconds even on a fast machine; the stop
  // below ends the run long before that.
  auto run = cli.start({"run", "settlementJob", date_param("2026-04-02"), "count=1000000,long"});
  ASSERT_TRUE(eventually([&] {
    return run->poll().has_value() ||
           count(cli.repository(), "SELECT COUNT(*) FROM BATCH_STEP_EXECUTION WHERE JOB_EXECUTION_ID = 2") > 0;
  }));
  ASSERT_FALSE(run->poll().has_value()) << run->result().err;

  Json running = json_of(cli, {"running", "--json"});
  ASSERT_EQ(running.size(), 1u);
  EXPECT_EQ(running[0]["id"], 2);
  EXPECT_EQ(running[0]["status"], "STARTED");
  EXPECT_THAT(cli.run({"running"}).out, HasSubstr("settlementJob"));

  Json pruned = json_of(cli, {"prune", "--before", "2200-01-01", "--json"});
  EXPECT_EQ(pruned["job_executions"], Json::array({1}));
  EXPECT_EQ(pruned["job_instances"], Json::array({1}));
  EXPECT_EQ(pruned["skipped_running"], Json::array({2}));
  EXPECT_EQ(rows_of_execution(cli.repository(), 1), 0);
  EXPECT_GT(rows_of_execution(cli.repository(), 2), 0);

  ASSERT_EQ(cli.run({"stop", "2"}).exit_code, 0);
  EXPECT_EQ(run->wait(), 1) << "STOPPED";
  EXPECT_EQ(json_of(cli, {"running", "--json"}), Json::array());
}

TEST(OperationsCli, PruneDeletesOldExecutionsWithAllTheirRows) {
  TempDir dir("prune");
  Cli cli(dir.path());
  for (const char* date : {"2026-05-01", "2026-05-02", "2026-05-03"}) {
    ASSERT_EQ(cli.run({"run", "settlementJob", date_param(date), "count=500,long"}).exit_code, 0);
  }
  // Execution 2's create time, as `show --json` prints it, is the cutoff:
  // execution 1 is older, 2 and 3 are not.
  const std::string cutoff = json_of(cli, {"show", "2", "--json"})["create_time"];

  Json planned = json_of(cli, {"prune", "--before", cutoff, "--dry-run", "--json"});
  EXPECT_EQ(planned["dry_run"], true);
  EXPECT_EQ(planned["created_before"], cutoff);
  EXPECT_EQ(planned["job_executions"], Json::array({1}));
  EXPECT_EQ(planned["job_instances"], Json::array({1}));
  const int64_t steps_of_1 =
      count(cli.repository(), "SELECT COUNT(*) FROM BATCH_STEP_EXECUTION WHERE JOB_EXECUTION_ID = 1");
  EXPECT_EQ(planned["step_executions"], steps_of_1);
  EXPECT_GT(rows_of_execution(cli.repository(), 1), 0) << "a dry run deletes nothing";

  RunResult pruned = cli.run({"prune", "--before", cutoff});
  EXPECT_EQ(pruned.exit_code, 0) << pruned.err;
  EXPECT_THAT(pruned.out, StartsWith("pruned 1 execution (1) and 1 instance (1) created before "));
  EXPECT_EQ(rows_of_execution(cli.repository(), 1), 0);
  EXPECT_EQ(count(cli.repository(), "SELECT COUNT(*) FROM BATCH_STEP_EXECUTION_CONTEXT C WHERE NOT EXISTS "
                                    "(SELECT 1 FROM BATCH_STEP_EXECUTION S WHERE S.STEP_EXECUTION_ID = "
                                    "C.STEP_EXECUTION_ID)"),
            0);
  EXPECT_EQ(count(cli.repository(), "SELECT COUNT(*) FROM BATCH_JOB_INSTANCE"), 2);
  expect_refused(cli, {"show", "1"}, "No job execution with id=1");
  EXPECT_EQ(rows_of_execution(cli.repository(), 2), rows_of_execution(cli.repository(), 3));

  EXPECT_EQ(cli.run({"prune", "--before", cutoff}).out,
            "nothing to prune: no execution created before " + cutoff.substr(0, 10) + " " + cutoff.substr(11, 8) +
                " UTC\n");

  // Forgotten, the first day's parameters run afresh as a new instance.
  ASSERT_EQ(cli.run({"run", "settlementJob", date_param("2026-05-01"), "count=500,long"}).exit_code, 0);

  Json rest = json_of(cli, {"prune", "--older-than", "0d", "--job", "settlementJob", "--json"});
  EXPECT_EQ(rest["job_executions"], Json::array({2, 3, 4}));
  EXPECT_EQ(json_of(cli, {"executions", "--json"}), Json::array());
  for (const char* table : {"BATCH_JOB_INSTANCE", "BATCH_JOB_EXECUTION", "BATCH_JOB_EXECUTION_PARAMS",
                            "BATCH_JOB_EXECUTION_CONTEXT", "BATCH_STEP_EXECUTION", "BATCH_STEP_EXECUTION_CONTEXT",
                            "BATCH_JOB_EXECUTION_LEASE"}) {
    EXPECT_EQ(count(cli.repository(), std::string("SELECT COUNT(*) FROM ") + table), 0) << table;
  }
}

TEST(OperationsCli, PruneArgumentErrorsExitTwoWithOneLine) {
  TempDir dir("prune-args");
  Cli cli(dir.path());
  expect_refused(cli, {"prune"}, "give either --before DATE or --older-than AGE");
  expect_refused(cli, {"prune", "--before", "2026-13-01"}, "--before takes a UTC date");
  expect_refused(cli, {"prune", "--before", "yesterday"}, "got 'yesterday'");
  expect_refused(cli, {"prune", "--older-than", "30x"}, "--older-than takes a count and a unit");
  expect_refused(cli, {"prune", "--older-than", "d"}, "got 'd'");
  expect_refused(cli, {"prune", "--before", "2026-01-01", "--older-than", "3d"}, "excludes");
  expect_refused(cli, {"prune", "--older-than", "1d", "--job", "nope"}, "no job named 'nope'");
}

}  // namespace
}  // namespace cppbatch::testing::e2e
