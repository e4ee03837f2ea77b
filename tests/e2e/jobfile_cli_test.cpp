// Job files through the real `cppbatch` binary: validate (every error with
// line and column, exit 2; a summary and exit 0 when valid), run --file on
// the example job over Spring Batch's football players, in YAML and XML.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "e2e/e2e_support.hpp"

namespace cppbatch::testing::e2e {
namespace {

using ::testing::HasSubstr;

const std::string kPlayers = std::string(CPPBATCH_REFERENCE_DATA) + "/spring-batch-samples/football/player.csv";
const std::string kExamples = std::string(CPPBATCH_SOURCE_DIR) + "/examples/jobfiles/";

// Players whose debut year (6th column) is >= since, counted directly.
int64_t players_since(int64_t since) {
  std::ifstream in(kPlayers);
  std::string line;
  int64_t n = 0;
  while (std::getline(in, line)) {
    if (std::stoll(line.substr(line.rfind(',') + 1)) >= since) ++n;
  }
  return n;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(JobFileCliTest, ValidateReportsEveryErrorWithLineAndColumn) {
  TempDir dir("jobfile-validate");
  const fs::path file = dir.path() / "bad.yaml";
  std::ofstream(file) << R"(jobs:
  - id: broken
    steps:
      - step: load
        next: nowhere
        chunk:
          commit-interval: 10
          reader: {type: delimitedFileReader}
          writer: {type: noSuchWriter}
      - step: orphan
        tasklet: {type: sortFile, input: a, output: b, keys: id}
)";
  Cli cli(dir.path());
  RunResult r = cli.run({"validate", file.string()});
  EXPECT_EQ(r.exit_code, 2);
  const std::string f = file.string();
  EXPECT_THAT(lines(r.err),
              ::testing::ElementsAre(
                  f + ":5:15: step 'load': next 'nowhere' is not a step of job 'broken' (states: load, orphan)",
                  f + ":10:9: step 'orphan' is unreachable: no next or transition of job 'broken' leads to it from its first state 'load'",
                  f + ":8:19: reader 'load.reader' (delimitedFileReader): missing required property 'path'",
                  HasSubstr(f + ":9:19: unknown writer type 'noSuchWriter' (known: "),
                  "cppbatch: " + f + ": 4 error(s); nothing ran"));
  // Nothing ran: run --file refuses the same file with the same errors.
  RunResult run = cli.run({"run", "--file", file.string(), "broken"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr(":5:15: step 'load': next 'nowhere'"));
}

TEST(JobFileCliTest, ValidateSummarisesAValidFile) {
  TempDir dir("jobfile-valid");
  RunResult r = Cli(dir.path()).run({"validate", kExamples + "players.xml"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("players.xml: valid, 1 job(s)\n  playersJob: 2 state(s), 2 step(s)\n"));
}

TEST(JobFileCliTest, RunsTheExampleJobInYamlAndXmlWithTheSameResult) {
  TempDir dir("jobfile-run");
  Cli cli(dir.path());
  const int64_t expected = players_since(1995);
  ASSERT_GT(expected, 0);
  for (const std::string form : {"yaml", "xml"}) {
    SCOPED_TRACE(form);
    RunResult r = cli.run({"run", "--file", kExamples + "players." + form, "playersJob", "input=" + kPlayers,
                           "output=" + form + ".csv", "since=1995"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("ended COMPLETED"));
    const std::vector<std::string> out = lines(read_file(dir.path() / (form + ".csv")));
    ASSERT_EQ(static_cast<int64_t>(out.size()), expected + 1);  // + header
    EXPECT_EQ(out[0], "id,last_name,first_name,position,birth_year,debut_year,debut_age");
    EXPECT_EQ(lines(read_file(dir.path() / (form + ".csv.by-position"))).size(), out.size());
  }
  EXPECT_EQ(read_file(dir.path() / "yaml.csv"), read_file(dir.path() / "xml.csv"));
  // A missing required parameter is refused by the file's validator (exit 2).
  RunResult missing = cli.run({"run", "--file", kExamples + "players.yaml", "playersJob", "input=" + kPlayers});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("output"));
}

}  // namespace
}  // namespace cppbatch::testing::e2e
