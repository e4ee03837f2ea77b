// Validation before anything runs: each rejection the job-file format
// promises, at its exact location, all of them in one pass.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cppbatch/jobfile/job_file_parser.hpp"
#include "cppbatch/jobfile/job_file_validator.hpp"

namespace cppbatch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> validate_yaml(const std::string& text) {
  static const ComponentRegistry components;
  auto parsed = parse_yaml_job_file(text, "v.yaml");
  std::vector<std::string> out;
  for (const auto& e : parsed.errors) out.push_back("parse: " + e.to_string());
  for (const auto& e : validate_job_file(parsed.file, components)) out.push_back(e.to_string());
  return out;
}

constexpr const char* kTasklet = "tasklet: {type: sortFile, input: a.csv, output: b.csv, keys: id}";

TEST(JobFileValidatorTest, AValidFileHasNoError) {
  EXPECT_THAT(validate_yaml(std::string(R"(jobs:
  - id: j
    steps:
      - step: a
        next: b
        )") + kTasklet + R"(
      - step: b
        )" + kTasklet + "\n"),
              ElementsAre());
}

TEST(JobFileValidatorTest, ANextToAMissingStep) {
  EXPECT_THAT(validate_yaml(std::string(R"(jobs:
  - id: j
    steps:
      - step: a
        next: nowhere
        )") + kTasklet + "\n"),
              ElementsAre("v.yaml:5:15: step 'a': next 'nowhere' is not a step of job 'j' (states: a)"));
}

TEST(JobFileValidatorTest, AnUnreachableStep) {
  EXPECT_THAT(validate_yaml(std::string(R"(jobs:
  - id: j
    steps:
      - step: a
        )") + kTasklet + R"(
      - step: orphan
        )" + kTasklet + "\n"),
              ElementsAre("v.yaml:6:9: step 'orphan' is unreachable: no next or transition of job 'j' leads to it from "
                          "its first state 'a'"));
}

TEST(JobFileValidatorTest, ACycleWithoutExit) {
  auto errors = validate_yaml(std::string(R"(jobs:
  - id: j
    steps:
      - step: a
        next: b
        )") + kTasklet + R"(
      - step: b
        transitions:
          - next: {on: "*", to: a}
        )" + kTasklet + "\n");
  EXPECT_THAT(errors, ElementsAre(HasSubstr("v.yaml:4:9: step 'a' is in a cycle with no exit"),
                                  HasSubstr("v.yaml:7:9: step 'b' is in a cycle with no exit")));
}

TEST(JobFileValidatorTest, ACycleWithAnExitIsAccepted) {
  EXPECT_THAT(validate_yaml(std::string(R"(jobs:
  - id: j
    steps:
      - step: a
        next: b
        )") + kTasklet + R"(
      - step: b
        transitions:
          - next: {on: RETRY, to: a}
          - end: {on: "*"}
        )" + kTasklet + "\n"),
              ElementsAre());
}

TEST(JobFileValidatorTest, UnknownComponentsListTheKnownOnes) {
  auto errors = validate_yaml(R"(jobs:
  - id: j
    steps:
      - step: a
        chunk:
          commit-interval: 2
          reader: {type: csvReader, path: x}
          writer: missingWriter
          skippable-exception-classes: [NoSuchError]
)");
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_THAT(errors[0], HasSubstr("v.yaml:7:19: unknown reader type 'csvReader' (known: delimitedFileReader,"));
  EXPECT_THAT(errors[1], HasSubstr("v.yaml:8:19: unknown writer 'missingWriter' (declared components: none; "
                                   "registered writers: delimitedFileWriter,"));
  EXPECT_THAT(errors[2], HasSubstr("v.yaml:9:41: step 'a': unknown exception kind 'NoSuchError' (registered: "));
}

TEST(JobFileValidatorTest, ComponentPropertiesAreChecked) {
  auto errors = validate_yaml(R"(jobs:
  - id: j
    steps:
      - step: a
        chunk:
          commit-interval: 2
          reader:
            type: delimitedFileReader
            delimiter: ";;"
            pathh: in.csv
          processor:
            - {type: filter, expression: "a >= "}
          writer: {type: delimitedFileWriter, path: "#{jobParams['out']}"}
)");
  EXPECT_THAT(errors,
              ElementsAre(HasSubstr("v.yaml:9:24: reader 'a.reader' (delimitedFileReader): property 'delimiter': "
                                    "expected one character, got ';;'"),
                          "v.yaml:8:13: reader 'a.reader' (delimitedFileReader): missing required property 'path'",
                          HasSubstr("v.yaml:10:13: reader 'a.reader' (delimitedFileReader): unknown property 'pathh' (known: "),
                          "v.yaml:12:42: processor 'a.processor' (filter): property 'expression': column 6: expected "
                          "an operand but found 'end of expression'",
                          HasSubstr("v.yaml:13:53: writer 'a.writer' (delimitedFileWriter): placeholder at offset 11: "
                                    "unknown source 'jobParams'")));
}

TEST(JobFileValidatorTest, DuplicateIds) {
  auto errors = validate_yaml(std::string(R"(jobs:
  - id: j
    steps:
      - step: a
        next: a2
        )") + kTasklet + R"(
      - step: a2
        next: a
        transitions: [{end: {on: "*"}}]
        )" + kTasklet + R"(
  - id: j
    steps:
      - step: x
        )" + kTasklet + "\n");
  EXPECT_THAT(errors, ElementsAre(HasSubstr("v.yaml:11:5: duplicate job id 'j' (first at v.yaml:2:5)"),
                                  HasSubstr("v.yaml:8:15: step 'a2' has both a next and transitions")));
}

TEST(JobFileValidatorTest, RetryLimitNeedsRetryableKinds) {
  EXPECT_THAT(validate_yaml(R"(jobs:
  - id: j
    steps:
      - step: a
        chunk:
          commit-interval: 2
          reader: {type: delimitedFileReader, path: in.csv}
          writer: {type: delimitedFileWriter, path: out.csv}
          retry-limit: 3
)"),
              ElementsAre("v.yaml:6:11: step 'a': retry-limit needs retryable-exception-classes"));
}

TEST(JobFileValidatorTest, AFlowReferenceToAMissingFlow) {
  EXPECT_THAT(validate_yaml(R"(jobs:
  - id: j
    steps:
      - flow: f
        parent: nope
)"),
              ElementsAre("v.yaml:5:17: flow 'f': parent 'nope' is not a top-level flow (flows: none)"));
}

}  // namespace
}  // namespace cppbatch
