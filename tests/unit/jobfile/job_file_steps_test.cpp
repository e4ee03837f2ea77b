// Job files beyond plain steps: a step running another job (JobStep) or a
// top-level flow (FlowStep), the split's task executor, the implicit
// transitions Spring's XML gives a state without transitions, and
// item-level listeners registered by name. Each is run through YAML and XML
// (and, where the C++ form exists, compared with it).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <sstream>
#include <thread>

#include "cppbatch/core/flow_builder.hpp"
#include "cppbatch/core/flow_job_builder.hpp"
#include "cppbatch/core/flow_step.hpp"
#include "cppbatch/core/job_execution_decider.hpp"
#include "cppbatch/core/job_step.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "cppbatch/core/task_executor.hpp"
#include "cppbatch/infrastructure/record_dead_letter_codec.hpp"
#include "cppbatch/jobfile/job_file_assembler.hpp"
#include "cppbatch/jobfile/job_file_parser.hpp"
#include "cppbatch/jobfile/job_file_validator.hpp"
#include "cppbatch/testing/job_test_fixture.hpp"
#include "unit/jobfile/outcome_tasklet.hpp"

namespace cppbatch {
namespace {

using ::testing::HasSubstr;

using testing::OutcomeTasklet;

// Runs every task on the calling thread and counts them.
class CountingExecutor final : public TaskExecutor {
 public:
  explicit CountingExecutor(std::atomic<int>& count) : count_(count) {}
  void execute(std::function<void()> task) override {
    ++count_;
    task();
  }

 private:
  std::atomic<int>& count_;
};

// Records what was skipped, by phase ("process:<id>: <error>").
class RecordingSkipListener final : public SkipListener<Record, Record> {
 public:
  explicit RecordingSkipListener(std::vector<std::string>& out) : out_(out) {}
  void on_skip_in_process(const Record& item, const std::exception_ptr& error) override {
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      out_.push_back("process:" + item.get_string("id") + ": " + e.what());
    }
  }

 private:
  std::vector<std::string>& out_;
};

// Counts the items read and notes the thread reading them (an
// ItemReadListener registered by name).
class CountingReadListener final : public ItemReadListener<Record> {
 public:
  CountingReadListener(int& reads, std::thread::id& thread) : reads_(reads), thread_(thread) {}
  void after_read(const Record&) override {
    ++reads_;
    thread_ = std::this_thread::get_id();
  }

 private:
  int& reads_;
  std::thread::id& thread_;
};

// Gives a fixed list of records.
class ListReader final : public ItemReader<Record> {
 public:
  explicit ListReader(std::vector<Record> items) : items_(std::move(items)) {}
  std::optional<Record> read() override {
    if (next_ >= items_.size()) return std::nullopt;
    return items_[next_++];
  }

 private:
  std::vector<Record> items_;
  size_t next_ = 0;
};

class ListWriter final : public ItemWriter<Record> {
 public:
  explicit ListWriter(std::vector<std::string>& out) : out_(out) {}
  void write(const Chunk<Record>& items) override {
    for (const Record& r : items) out_.push_back(r.get_string("id") + "=" + r.get_string("n"));
  }

 private:
  std::vector<std::string>& out_;
};

// Answers what its property says.
class FixedDecider final : public JobExecutionDecider {
 public:
  explicit FixedDecider(std::string answer) : answer_(std::move(answer)) {}
  FlowExecutionStatus decide(const JobExecution&, const StepExecution*) override { return answer_; }

 private:
  std::string answer_;
};

class JobFileStepsTest : public testing::JobTestFixture {
 protected:
  JobFileStepsTest() {
    components_.add<Tasklet>("outcome", [](PropertyReader& p) -> Creator<Tasklet> {
      std::string result = p.string("result", "COMPLETED");
      return [result] { return std::make_unique<OutcomeTasklet>(result); };
    });
    components_.add_simple<TaskExecutor>("counting", [this] { return std::make_unique<CountingExecutor>(executed_); });
    components_.add_simple<SkipListener<Record, Record>>(
        "recordSkips", [this] { return std::make_unique<RecordingSkipListener>(skipped_); });
    components_.add_simple<ItemReadListener<Record>>("countReads",
                                                     [this] { return std::make_unique<CountingReadListener>(reads_, read_thread_); });
    components_.add_simple<ItemReader<Record>>("numbers", [] {
      auto layout = make_record_layout({"id", "n"});
      std::vector<Record> items;
      for (const char* n : {"1", "2", "x", "4", "y"}) {
        items.emplace_back(layout, std::vector<Value>{Value{std::string("r") + n}, Value{std::string(n)}});
      }
      return std::make_unique<ListReader>(std::move(items));
    });
    components_.add_simple<ItemWriter<Record>>("collect", [this] { return std::make_unique<ListWriter>(written_); });
    components_.add<JobExecutionDecider>("answer", [](PropertyReader& p) -> Creator<JobExecutionDecider> {
      std::string answer = p.required_string("answer");
      return [answer] { return std::make_unique<FixedDecider>(answer); };
    });
  }

  ParsedJobFile parse(const std::string& text, bool xml) {
    return xml ? parse_xml_job_file(text, "t.xml") : parse_yaml_job_file(text, "t.yaml");
  }

  std::unique_ptr<Job> build(const std::string& text, bool xml, const std::string& job) {
    ParsedJobFile parsed = parse(text, xml);
    EXPECT_TRUE(parsed.ok()) << to_string(parsed.errors);
    files_.push_back(std::make_unique<JobFile>(std::move(parsed.file)));
    return build_job(*files_.back(), job, components_, repository_);
  }

  // Validation errors of a file that parses.
  std::string invalid(const std::string& text, bool xml) {
    ParsedJobFile parsed = parse(text, xml);
    EXPECT_TRUE(parsed.ok()) << to_string(parsed.errors);
    return to_string(validate_job_file(parsed.file, components_));
  }

  // "STATUS/EXIT | step:STATUS:EXIT ..."
  static std::string summary(const JobExecution& e) {
    std::ostringstream out;
    out << to_string(e.status) << '/' << e.exit_status.code() << " |";
    for (const auto& s : e.step_executions) out << ' ' << s->step_name << ':' << to_string(s->status) << ':' << s->exit_status.code();
    return out.str();
  }

  std::string child_summary(const std::string& job, const JobParameters& params) {
    auto last = repository_.last_job_execution(job, params);
    if (!last || !*last) return "none";
    return summary(**last);
  }

  ComponentRegistry components_;
  std::vector<std::unique_ptr<JobFile>> files_;
  std::atomic<int> executed_{0};
  std::vector<std::string> skipped_;
  std::vector<std::string> written_;
  int reads_ = 0;
  std::thread::id read_thread_;
};

// --- a step running a job -----------------------------------------------------

constexpr const char* kJobStepYaml = R"Y(jobs:
  - id: parent
    steps:
      - step: prepare
        next: runChild
        tasklet: outcome
      - step: runChild
        next: after
        job: {ref: child, job-parameters-extractor: {type: defaultJobParametersExtractor, keys: [childResult]}}
      - step: after
        tasklet: outcome
  - id: child
    steps:
      - step: work
        tasklet: {type: outcome, result: "#{jobParameters['childResult'] ?: 'COMPLETED'}"}
)Y";

constexpr const char* kJobStepXml = R"X(<beans xmlns="http://www.springframework.org/schema/batch">
  <job id="parent">
    <step id="prepare" next="runChild"><tasklet ref="outcome"/></step>
    <step id="runChild" next="after"><job ref="child" job-parameters-extractor="extractor"/></step>
    <step id="after"><tasklet ref="outcome"/></step>
  </job>
  <job id="child">
    <step id="work">
      <tasklet><bean class="outcome"><property name="result" value="#{jobParameters['childResult'] ?: 'COMPLETED'}"/></bean></tasklet>
    </step>
  </job>
  <bean id="extractor" class="defaultJobParametersExtractor"><property name="keys" value="childResult"/></bean>
</beans>
)X";

std::unique_ptr<Job> job_step_in_cpp(JobRepository& repository) {
  auto outcome = [&](const std::string& name) {
    return std::shared_ptr<Step>(StepBuilder(name, repository).tasklet(std::make_unique<OutcomeTasklet>("COMPLETED")).build());
  };
  auto work = std::shared_ptr<Step>(StepBuilder("work", repository)
                                        .tasklet([](StepContribution& c, ChunkContext& ctx) {
                                          return OutcomeTasklet(ctx.job_parameters().get_string("childResult").value_or("COMPLETED"))
                                              .execute(c, ctx);
                                        })
                                        .build());
  std::shared_ptr<Job> child = FlowJobBuilder("child", repository).start(work).end().build();
  auto run_child = std::shared_ptr<Step>(
      StepBuilder("runChild", repository)
          .job(child)
          .parameters_extractor(std::make_shared<DefaultJobParametersExtractor>(std::vector<std::string>{"childResult"}))
          .build());
  return FlowJobBuilder("parent", repository).start(outcome("prepare")).next(run_child).next(outcome("after")).end().build();
}

TEST_F(JobFileStepsTest, AStepRunsAJobOfTheFileAsItsOwnInstance) {
  int n = 0;
  for (const std::string result : {"COMPLETED", "FAILED"}) {
    SCOPED_TRACE(result);
    std::vector<std::string> forms;
    for (const std::string form : {"cpp", "yaml", "xml"}) {
      auto job = form == "cpp" ? job_step_in_cpp(repository_) : build(form == "xml" ? kJobStepXml : kJobStepYaml, form == "xml", "parent");
      const JobParameters params =
          JobParametersBuilder().add_string("childResult", result).add_long("n", ++n).add_string("form", form).build();
      JobExecution& e = run(*job, params);
      forms.push_back(summary(e) + " || child: " + child_summary("child", params));
    }
    if (result == "COMPLETED") {
      EXPECT_EQ(forms[0],
                "COMPLETED/COMPLETED | prepare:COMPLETED:COMPLETED runChild:COMPLETED:COMPLETED after:COMPLETED:COMPLETED"
                " || child: COMPLETED/COMPLETED | work:COMPLETED:COMPLETED");
    } else {  // the child's failure fails the step running it, and so the parent
      EXPECT_EQ(forms[0],
                "FAILED/FAILED | prepare:COMPLETED:COMPLETED runChild:FAILED:FAILED || child: FAILED/FAILED | work:FAILED:FAILED");
    }
    EXPECT_EQ(forms[1], forms[0]);
    EXPECT_EQ(forms[2], forms[0]);
  }
}

TEST_F(JobFileStepsTest, JobStepReferencesAreValidated) {
  const std::string errors = invalid(R"Y(jobs:
  - id: a
    steps:
      - step: s1
        next: s2
        job: b
      - step: s2
        job: nowhere
  - id: b
    steps:
      - step: t
        job: {ref: a}
)Y", false);
  EXPECT_THAT(errors, HasSubstr("t.yaml:8:14: job 'a': a step runs job 'nowhere', which is not a job of t.yaml (jobs: a, b)"));
  EXPECT_THAT(errors, HasSubstr("job 'a' runs itself (through a step of 'b')"));
  EXPECT_THAT(errors, HasSubstr("job 'b' runs itself (through a step of 'a')"));

  ParsedJobFile both = parse(R"Y(jobs:
  - id: a
    steps:
      - step: s1
        tasklet: outcome
        job: b
)Y", false);
  EXPECT_THAT(to_string(both.errors), HasSubstr("step 's1': a step has exactly one of 'tasklet', 'chunk', 'job' and 'flow'"));
  ParsedJobFile xml = parse(R"X(<job id="a"><step id="s"><tasklet ref="outcome"/><job ref="a"/></step></job>)X", true);
  EXPECT_THAT(to_string(xml.errors), HasSubstr("step 's': a step has one of <tasklet>, <job> and <flow>"));
}

// --- a step running a flow ----------------------------------------------------

constexpr const char* kFlowStepYaml = R"Y(flows:
  - id: extracts
    steps:
      - step: extractA
        next: extractB
        tasklet: outcome
      - step: extractB
        tasklet: {type: outcome, result: "#{jobParameters['b'] ?: 'COMPLETED'}"}
jobs:
  - id: nightly
    steps:
      - step: allExtracts
        next: merge
        flow: {parent: extracts}
      - step: merge
        tasklet: outcome
)Y";

constexpr const char* kFlowStepXml = R"X(<beans>
  <flow id="extracts">
    <step id="extractA" next="extractB"><tasklet ref="outcome"/></step>
    <step id="extractB">
      <tasklet><bean class="outcome"><property name="result" value="#{jobParameters['b'] ?: 'COMPLETED'}"/></bean></tasklet>
    </step>
  </flow>
  <job id="nightly">
    <step id="allExtracts" next="merge"><flow parent="extracts"/></step>
    <step id="merge"><tasklet ref="outcome"/></step>
  </job>
</beans>
)X";

TEST_F(JobFileStepsTest, AStepRunsATopLevelFlowAsOneStep) {
  int n = 0;
  for (const std::string b : {"COMPLETED", "FAILED"}) {
    SCOPED_TRACE(b);
    std::vector<std::string> forms;
    for (const std::string form : {"cpp", "yaml", "xml"}) {
      std::unique_ptr<Job> job;
      if (form == "cpp") {
        auto outcome = [&](const std::string& name, bool from_parameter) {
          return std::shared_ptr<Step>(StepBuilder(name, repository_)
                                           .tasklet([from_parameter](StepContribution& c, ChunkContext& ctx) {
                                             std::string r = "COMPLETED";
                                             if (from_parameter) r = ctx.job_parameters().get_string("b").value_or(r);
                                             return OutcomeTasklet(r).execute(c, ctx);
                                           })
                                           .build());
        };
        auto extracts = FlowBuilder("extracts").start(outcome("extractA", false)).next(outcome("extractB", true)).build();
        auto all = std::shared_ptr<Step>(StepBuilder("allExtracts", repository_).flow(extracts).build());
        job = FlowJobBuilder("nightly", repository_).start(all).next(outcome("merge", false)).end().build();
      } else {
        job = build(form == "xml" ? kFlowStepXml : kFlowStepYaml, form == "xml", "nightly");
      }
      forms.push_back(summary(run(*job, JobParametersBuilder().add_string("b", b).add_long("n", ++n).build())));
    }
    if (b == "COMPLETED") {
      EXPECT_EQ(forms[0],
                "COMPLETED/COMPLETED | allExtracts:COMPLETED:COMPLETED extractA:COMPLETED:COMPLETED "
                "extractB:COMPLETED:COMPLETED merge:COMPLETED:COMPLETED");
    } else {
      EXPECT_EQ(forms[0],
                "FAILED/FAILED | allExtracts:FAILED:FAILED extractA:COMPLETED:COMPLETED extractB:FAILED:FAILED");
    }
    EXPECT_EQ(forms[1], forms[0]);
    EXPECT_EQ(forms[2], forms[0]);
  }
  EXPECT_THAT(invalid(R"Y(jobs: [{id: j, steps: [{step: s, flow: {parent: nothing}}]}])Y", false),
              HasSubstr("step 's': parent 'nothing' is not a top-level flow (flows: none)"));
}

// --- the split's task executor -------------------------------------------------

TEST_F(JobFileStepsTest, ASplitRunsOnItsDeclaredTaskExecutor) {
  const std::string yaml = R"Y(jobs:
  - id: j
    steps:
      - split: both
        task-executor: counting
        next: last
        flows:
          - steps: [{step: a, tasklet: outcome}]
          - steps: [{step: b, tasklet: outcome}]
      - step: last
        tasklet: outcome
)Y";
  const std::string xml = R"X(<job id="j">
  <split id="both" task-executor="counting" next="last">
    <flow><step id="a"><tasklet ref="outcome"/></step></flow>
    <flow><step id="b"><tasklet ref="outcome"/></step></flow>
  </split>
  <step id="last"><tasklet ref="outcome"/></step>
</job>)X";
  int n = 0;
  for (bool as_xml : {false, true}) {
    executed_ = 0;
    auto job = build(as_xml ? xml : yaml, as_xml, "j");
    JobExecution& e = run(*job, JobParametersBuilder().add_long("n", ++n).build());
    EXPECT_EQ(to_string(e.status), "COMPLETED");
    EXPECT_EQ(e.step_executions.size(), 3U);
    EXPECT_EQ(executed_.load(), 2) << "each flow of the split on the declared executor";
  }
  // A pool declared in the file, by its thread count.
  auto pooled = build(R"Y(components:
  pool: {type: threadPoolTaskExecutor, threads: 2}
jobs:
  - id: p
    steps:
      - split: both
        task-executor: pool
        flows:
          - steps: [{step: a, tasklet: outcome}]
          - steps: [{step: b, tasklet: {type: outcome, result: FAILED}}]
)Y", false, "p");
  EXPECT_EQ(summary(run(*pooled)).substr(0, 13), "FAILED/FAILED");
  EXPECT_THAT(invalid(R"Y(jobs: [{id: j, steps: [{split: s, task-executor: {type: threadPoolTaskExecutor, threads: -1},
  flows: [{steps: [{step: a, tasklet: outcome}]}]}]}])Y", false),
              HasSubstr("'threads' must be >= 0"));
  EXPECT_THAT(invalid(R"Y(jobs: [{id: j, steps: [{split: s, task-executor: nope, flows: [{steps: [{step: a, tasklet: outcome}]}]}]}])Y", false),
              HasSubstr("unknown task executor 'nope'"));
}

// --- Spring's implicit transitions (AbstractFlowParser) ------------------------

// One job per rule, YAML and XML: `first` ends with exit code `code`.
std::string implicit_job(bool with_next, const std::string& code, bool xml) {
  if (xml) {
    return std::string("<job id=\"j\"><step id=\"first\"") + (with_next ? " next=\"second\"" : "") +
           "><tasklet><bean class=\"outcome\"><property name=\"result\" value=\"" + code +
           "\"/></bean></tasklet></step>" + (with_next ? "<step id=\"second\"><tasklet ref=\"outcome\"/></step>" : "") +
           "</job>";
  }
  return std::string("jobs:\n  - id: j\n    steps:\n      - step: first\n") + (with_next ? "        next: second\n" : "") +
         "        tasklet: {type: outcome, result: \"" + code + "\"}\n" +
         (with_next ? "      - step: second\n        tasklet: outcome\n" : "");
}

struct ImplicitRule {
  bool with_next;
  std::string code;
  std::string expected;
};

TEST_F(JobFileStepsTest, StatesWithoutTransitionsGetSpringsImplicitOnes) {
  const std::vector<ImplicitRule> rules = {
      // next: * → next
      {true, "COMPLETED", "COMPLETED/COMPLETED | first:COMPLETED:COMPLETED second:COMPLETED:COMPLETED"},
      {true, "NOOP", "COMPLETED/COMPLETED | first:COMPLETED:NOOP second:COMPLETED:COMPLETED"},
      // next: FAILED → fail
      {true, "FAILED", "FAILED/FAILED | first:FAILED:FAILED"},
      // next: UNKNOWN → the flow ends with UNKNOWN (no next)
      {true, "UNKNOWN", "UNKNOWN/UNKNOWN | first:COMPLETED:UNKNOWN"},
      // no next: FAILED → fail, UNKNOWN → ends UNKNOWN, * → end COMPLETED
      {false, "FAILED", "FAILED/FAILED | first:FAILED:FAILED"},
      {false, "UNKNOWN", "UNKNOWN/UNKNOWN | first:COMPLETED:UNKNOWN"},
      {false, "NOOP", "COMPLETED/COMPLETED | first:COMPLETED:NOOP"},
  };
  int n = 0;
  for (const ImplicitRule& rule : rules) {
    for (bool xml : {false, true}) {
      SCOPED_TRACE((rule.with_next ? "next, " : "no next, ") + rule.code + (xml ? " (xml)" : " (yaml)"));
      auto job = build(implicit_job(rule.with_next, rule.code, xml), xml, "j");
      EXPECT_EQ(summary(run(*job, JobParametersBuilder().add_long("n", ++n).build())), rule.expected);
    }
  }
}

// --- placeholders in job-level components -------------------------------------

TEST_F(JobFileStepsTest, DecidersAndValidatorsAreBoundToTheRunsParameters) {
  const std::string yaml = R"Y(jobs:
  - id: j
    validator: {type: defaultValidator, required_keys: "#{jobParameters['must'] ?: 'route'}"}
    steps:
      - decision: pick
        decider: {type: answer, answer: "#{jobParameters['route']}"}
        transitions:
          - next: {on: LEFT, to: left}
          - next: {on: RIGHT, to: right}
      - step: left
        tasklet: outcome
      - step: right
        tasklet: outcome
)Y";
  auto job = build(yaml, false, "j");
  EXPECT_EQ(summary(run(*job, JobParametersBuilder().add_string("route", "LEFT").build())),
            "COMPLETED/COMPLETED | left:COMPLETED:COMPLETED");
  EXPECT_EQ(summary(run(*job, JobParametersBuilder().add_string("route", "RIGHT").build())),
            "COMPLETED/COMPLETED | right:COMPLETED:COMPLETED");
  // The validator's required key comes from the parameters being validated.
  auto refused = launch(*job, JobParametersBuilder().add_string("route", "LEFT").add_string("must", "other").build());
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().to_string(), HasSubstr("other"));
}

// --- item-level listeners by name ----------------------------------------------

// Job "j": step "load" reads `numbers`, computes n = int(n) * 10 (which
// throws ExpressionError on "x" and "y", skipped up to 5) and writes to
// `collect`. `step_yaml` / `chunk_yaml` add lines to the step / the chunk;
// `listeners_xml` goes into <tasklet>, `chunk_attributes_xml` into <chunk>.
std::string skipping_job_yaml(const std::string& step_yaml, const std::string& chunk_yaml) {
  return R"Y(jobs:
  - id: j
    steps:
      - step: load
)Y" + step_yaml + R"Y(        chunk:
          commit-interval: 2
          reader: numbers
          processor: {type: compute, fields: {n: "int(n) * 10"}}
          writer: collect
          skip-limit: 5
          skippable-exception-classes: [ExpressionError]
)Y" + chunk_yaml;
}

std::string skipping_job_xml(const std::string& listeners_xml, const std::string& chunk_attributes_xml) {
  return R"X(<job id="j">
  <step id="load">
    <tasklet>
      <chunk reader="numbers" writer="collect" commit-interval="2" skip-limit="5")X" + chunk_attributes_xml + R"X(>
        <processor><bean class="compute"><property name="fields"><map><entry key="n" value="int(n) * 10"/></map></property></bean></processor>
        <skippable-exception-classes><include class="ExpressionError"/></skippable-exception-classes>
      </chunk>
      )X" + listeners_xml + R"X(
    </tasklet>
  </step>
</job>)X";
}

TEST_F(JobFileStepsTest, ARegisteredSkipListenerSeesTheSkippedRecords) {
  const std::string yaml = skipping_job_yaml("        listeners: [recordSkips, countReads]\n", "");
  const std::string xml =
      skipping_job_xml(R"X(<listeners><listener ref="recordSkips"/><listener ref="countReads"/></listeners>)X", "");
  int n = 0;
  for (bool as_xml : {false, true}) {
    SCOPED_TRACE(as_xml ? "xml" : "yaml");
    skipped_.clear();
    written_.clear();
    reads_ = 0;
    auto job = build(as_xml ? xml : yaml, as_xml, "j");
    JobExecution& e = run(*job, JobParametersBuilder().add_long("n", ++n).build());
    EXPECT_EQ(to_string(e.status), "COMPLETED");
    EXPECT_EQ(written_, (std::vector<std::string>{"r1=10", "r2=20", "r4=40"}));
    ASSERT_EQ(skipped_.size(), 2U);
    EXPECT_THAT(skipped_[0], HasSubstr("process:rx: expression 'int(n) * 10', column 5: field 'n': 'x' is not a number"));
    EXPECT_THAT(skipped_[1], HasSubstr("process:ry:"));
    EXPECT_EQ(reads_, 5);
  }
  // A skip listener needs a fault-tolerant chunk step.
  EXPECT_THAT(invalid(R"Y(jobs: [{id: j, steps: [{step: s, listeners: [recordSkips],
  chunk: {commit-interval: 1, reader: numbers, writer: collect}}]}])Y", false),
              HasSubstr("step 's': a skip listener needs a fault-tolerant chunk"));
  EXPECT_THAT(invalid(R"Y(jobs: [{id: j, steps: [{step: s, listeners: [countReads], tasklet: outcome}]}])Y", false),
              HasSubstr("step 's': listener 'countReads' is an item read listener, which needs a chunk step"));
}

TEST_F(JobFileStepsTest, DeadLettersKeepEverySkippedRecordInTheRepository) {
  const std::string yaml = skipping_job_yaml("", "          dead-letters: true\n");
  const std::string xml = skipping_job_xml("", R"X( dead-letters="true")X");
  int n = 0;
  for (bool as_xml : {false, true}) {
    SCOPED_TRACE(as_xml ? "xml" : "yaml");
    written_.clear();
    auto job = build(as_xml ? xml : yaml, as_xml, "j");
    JobExecution& e = run(*job, JobParametersBuilder().add_long("n", ++n).build());
    EXPECT_EQ(to_string(e.status), "COMPLETED");
    EXPECT_EQ(written_, (std::vector<std::string>{"r1=10", "r2=20", "r4=40"}));
    DeadLetterQuery query;
    query.job_name = "j";
    auto letters = repository_.dead_letters().find(query);
    ASSERT_TRUE(letters.ok()) << letters.error().to_string();
    std::vector<std::string> mine;
    for (const DeadLetter& letter : letters.value()) {
      if (letter.job_execution_id != e.id) continue;
      EXPECT_EQ(letter.phase, SkipPhase::PROCESS);
      EXPECT_EQ(letter.step_name, "load");
      EXPECT_THAT(letter.error_message, HasSubstr("is not a number"));
      mine.push_back(record_dead_letter_codec().deserialize(letter.payload).get_string("id"));
    }
    EXPECT_EQ(mine, (std::vector<std::string>{"rx", "ry"})) << "the skipped records, readable back";
  }
  EXPECT_THAT(invalid(R"Y(jobs: [{id: j, steps: [{step: s,
  chunk: {commit-interval: 1, reader: numbers, writer: collect, dead-letters: true}}]}])Y", false),
              HasSubstr("step 's': dead-letters needs a fault-tolerant chunk"));
}

TEST_F(JobFileStepsTest, ReadAheadReadsOnASecondThreadAndWritesTheSameRecords) {
  const std::string yaml = R"Y(jobs:
  - id: j
    steps:
      - step: load
        listeners: [countReads]
        chunk: {commit-interval: 2, reader: numbers, writer: collect, read-ahead: true}
)Y";
  const std::string xml = R"X(<job id="j">
  <step id="load">
    <tasklet>
      <chunk reader="numbers" writer="collect" commit-interval="2" read-ahead="true"/>
      <listeners><listener ref="countReads"/></listeners>
    </tasklet>
  </step>
</job>)X";
  int n = 0;
  for (bool as_xml : {false, true}) {
    SCOPED_TRACE(as_xml ? "xml" : "yaml");
    written_.clear();
    reads_ = 0;
    read_thread_ = std::this_thread::get_id();
    auto job = build(as_xml ? xml : yaml, as_xml, "j");
    JobExecution& e = run(*job, JobParametersBuilder().add_long("n", ++n).build());
    EXPECT_EQ(to_string(e.status), "COMPLETED");
    EXPECT_EQ(written_, (std::vector<std::string>{"r1=1", "r2=2", "rx=x", "r4=4", "ry=y"}));
    EXPECT_EQ(reads_, 5);
    EXPECT_NE(read_thread_, std::this_thread::get_id()) << "the records were read on the read-ahead thread";
  }
  EXPECT_THAT(invalid(skipping_job_yaml("", "          read-ahead: true\n"), false),
              HasSubstr("step 'load': read-ahead is not available on a fault-tolerant chunk"));
  EXPECT_THAT(invalid(skipping_job_xml("", R"X( read-ahead="true")X"), true),
              HasSubstr("step 'load': read-ahead is not available on a fault-tolerant chunk"));
}

}  // namespace
}  // namespace cppbatch
