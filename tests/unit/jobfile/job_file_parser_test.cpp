// The YAML and XML front ends: the same model from both, and every
// structural error at its exact line and column.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cppbatch/jobfile/job_file_parser.hpp"

namespace cppbatch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> messages(const ParsedJobFile& parsed) {
  std::vector<std::string> out;
  for (const auto& e : parsed.errors) out.push_back(e.to_string());
  return out;
}

constexpr const char* kYaml = R"(jobs:
  - id: job1
    restartable: false
    incrementer: runId
    steps:
      - step: load
        chunk:
          commit-interval: 5
          reader: {type: delimitedFileReader, path: in.csv}
          processor: [{type: filter, expression: "a > 1"}]
          writer: out
          skip-limit: 3
          skippable-exception-classes: {include: [ParseError], exclude: [RecordError]}
        transitions:
          - next: {on: FAILED, to: report}
          - stop: {on: PAUSE, restart: report}
          - end: {on: "*", exit-code: DONE}
      - step: report
        tasklet: reportTasklet
)";

constexpr const char* kXml = R"(<beans>
  <job id="job1" restartable="false" incrementer="runId">
    <step id="load">
      <tasklet>
        <chunk writer="out" commit-interval="5" skip-limit="3">
          <reader><bean class="delimitedFileReader"><property name="path" value="in.csv"/></bean></reader>
          <processor><bean class="filter"><property name="expression" value="a > 1"/></bean></processor>
          <skippable-exception-classes>
            <include class="ParseError"/>
            <exclude class="RecordError"/>
          </skippable-exception-classes>
        </chunk>
      </tasklet>
      <next on="FAILED" to="report"/>
      <stop on="PAUSE" restart="report"/>
      <end on="*" exit-code="DONE"/>
    </step>
    <step id="report"><tasklet ref="reportTasklet"/></step>
  </job>
</beans>
)";

// The parts of the model both forms must agree on.
void expect_job1(const ParsedJobFile& parsed) {
  ASSERT_TRUE(parsed.ok()) << ::testing::PrintToString(messages(parsed));
  ASSERT_EQ(parsed.file.jobs.size(), 1u);
  const JobDefinition& job = parsed.file.jobs[0];
  EXPECT_EQ(job.id, "job1");
  EXPECT_FALSE(job.restartable);
  ASSERT_TRUE(job.incrementer);
  EXPECT_EQ(job.incrementer->ref, "runId");
  ASSERT_EQ(job.flow.states.size(), 2u);
  const StateDefinition& load = job.flow.states[0];
  EXPECT_EQ(load.id, "load");
  ASSERT_TRUE(load.chunk);
  EXPECT_EQ(load.chunk->commit_interval, 5);
  EXPECT_EQ(load.chunk->reader->type, "delimitedFileReader");
  EXPECT_EQ(load.chunk->reader->properties.find("path")->text(), "in.csv");
  ASSERT_EQ(load.chunk->processors.size(), 1u);
  EXPECT_EQ(load.chunk->processors[0].properties.find("expression")->text(), "a > 1");
  EXPECT_EQ(load.chunk->writer->ref, "out");
  EXPECT_EQ(load.chunk->skip_limit, 3);
  ASSERT_EQ(load.chunk->skippable.include.size(), 1u);
  EXPECT_EQ(load.chunk->skippable.include[0].name, "ParseError");
  EXPECT_EQ(load.chunk->skippable.exclude[0].name, "RecordError");
  ASSERT_EQ(load.transitions.size(), 3u);
  EXPECT_EQ(load.transitions[0].kind, TransitionDefinition::Kind::NEXT);
  EXPECT_EQ(load.transitions[0].on, "FAILED");
  EXPECT_EQ(load.transitions[0].to.name, "report");
  EXPECT_EQ(load.transitions[1].kind, TransitionDefinition::Kind::STOP);
  EXPECT_EQ(load.transitions[1].to.name, "report");
  EXPECT_EQ(load.transitions[2].kind, TransitionDefinition::Kind::END);
  EXPECT_EQ(load.transitions[2].exit_code, "DONE");
  EXPECT_EQ(job.flow.states[1].tasklet->ref, "reportTasklet");
}

TEST(JobFileParserTest, YamlAndXmlGiveTheSameModel) {
  expect_job1(parse_yaml_job_file(kYaml, "j.yaml"));
  expect_job1(parse_xml_job_file(kXml, "j.xml"));
}

TEST(JobFileParserTest, LocationsPointAtTheElements) {
  auto yaml = parse_yaml_job_file(kYaml, "j.yaml");
  const StateDefinition& load = yaml.file.jobs[0].flow.states[0];
  EXPECT_EQ(load.transitions[0].to.location, (SourceLocation{"j.yaml", 15, 36}));
  EXPECT_EQ(load.chunk->writer->location, (SourceLocation{"j.yaml", 11, 19}));
  auto xml = parse_xml_job_file(kXml, "j.xml");
  const StateDefinition& xload = xml.file.jobs[0].flow.states[0];
  EXPECT_EQ(xload.location, (SourceLocation{"j.xml", 3, 5}));
  EXPECT_EQ(xload.transitions[0].to.location, (SourceLocation{"j.xml", 14, 25}));
  EXPECT_EQ(xload.chunk->writer->location, (SourceLocation{"j.xml", 5, 16}));
}

TEST(JobFileParserTest, MalformedYamlIsReportedAtTheParsersPosition) {
  auto parsed = parse_yaml_job_file("jobs:\n  - id: a\n    steps: [\n", "bad.yaml");
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_EQ(parsed.errors[0].location.file, "bad.yaml");
  EXPECT_EQ(parsed.errors[0].location.line, 4);
  EXPECT_THAT(parsed.errors[0].message, HasSubstr("malformed YAML"));
}

TEST(JobFileParserTest, MalformedXmlIsReportedAtTheParsersPosition) {
  auto parsed = parse_xml_job_file("<beans>\n  <job id=\"a\">\n  </jobb>\n</beans>\n", "bad.xml");
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_EQ(parsed.errors[0].location.line, 3);
  EXPECT_GT(parsed.errors[0].location.column, 0);
  EXPECT_THAT(parsed.errors[0].message, HasSubstr("malformed XML"));
}

TEST(JobFileParserTest, EveryYamlStructureErrorIsReported) {
  auto parsed = parse_yaml_job_file(R"(jobs:
  - id: a
    restartable: maybe
    stepz: []
    steps:
      - step: s1
        chunk:
          commit-interval: ten
          reader: r
      - step: s2
        tasklet: t
        transitions:
          - jump: {on: "*", to: s1}
)", "e.yaml");
  EXPECT_THAT(messages(parsed),
              ElementsAre("e.yaml:4:5: unknown key 'stepz' in a job (allowed: id, restartable, incrementer, validator, listeners, steps)",
                          "e.yaml:3:18: job 'a': 'restartable' must be true or false, not 'maybe'",
                          "e.yaml:8:11: step 's1': chunk: missing required key 'writer'",
                          "e.yaml:8:28: step 's1': chunk: 'commit-interval' must be an integer, not 'ten'",
                          "e.yaml:13:13: step 's2': unknown transition 'jump' (allowed: next, end, fail, stop)"));
}

TEST(JobFileParserTest, EveryXmlStructureErrorIsReported) {
  auto parsed = parse_xml_job_file(R"(<beans>
  <job id="a">
    <step id="s1" nxt="s2">
      <tasklet><chunk reader="r" writer="w" commit-interval="0"/></tasklet>
    </step>
    <step id="s2"><tasklet ref="t"/><jump on="*"/></step>
    <decision id="d"/>
  </job>
</beans>
)", "e.xml");
  EXPECT_THAT(messages(parsed),
              ElementsAre("e.xml:3:19: unknown attribute 'nxt' of <step> (allowed: id, next)",
                          "e.xml:4:45: step 's1': chunk: 'commit-interval' must be > 0",
                          "e.xml:6:37: unknown element <jump> in <step> (allowed: tasklet, job, flow, next, end, fail, stop)",
                          "e.xml:7:5: decision 'd': missing required attribute 'decider'"));
}

TEST(JobFileParserTest, DuplicateYamlKeysAreErrors) {
  auto parsed = parse_yaml_job_file("jobs:\n  - id: a\n    id: b\n    steps: [{step: s, tasklet: t}]\n", "d.yaml");
  EXPECT_THAT(messages(parsed), ElementsAre("d.yaml:3:5: duplicate key 'id'"));
}

TEST(JobFileParserTest, UnknownExtensionAndMissingFile) {
  EXPECT_THAT(messages(read_job_file("/nonexistent/job.toml")),
              ElementsAre("/nonexistent/job.toml: unknown job file format (expected .yaml, .yml or .xml)"));
  EXPECT_THAT(messages(read_job_file("/nonexistent/job.yaml")),
              ElementsAre("/nonexistent/job.yaml: cannot read the job file"));
}

}  // namespace
}  // namespace cppbatch
