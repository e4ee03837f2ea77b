// The same jobs declared in YAML, in Spring Batch's XML and with the C++
// builders give the same executions: job status and exit code, the steps
// run in order with their statuses, exit codes and counters, and the same
// output.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cppbatch/core/flow_job_builder.hpp"
#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/deferred_item_io.hpp"
#include "cppbatch/core/job_execution_decider.hpp"
#include "cppbatch/core/job_parameters_scope.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "cppbatch/infrastructure/delimited_file_reader.hpp"
#include "cppbatch/infrastructure/delimited_file_writer.hpp"
#include "cppbatch/jobfile/job_file_assembler.hpp"
#include "cppbatch/jobfile/job_file_parser.hpp"
#include "cppbatch/jobfile/record_processors.hpp"
#include "cppbatch/testing/job_test_fixture.hpp"
#include "unit/jobfile/outcome_tasklet.hpp"

namespace cppbatch {
namespace {

using testing::OutcomeTasklet;

// Answers the job parameter `parameter` (default NONE).
class ParameterDecider final : public JobExecutionDecider {
 public:
  explicit ParameterDecider(std::string parameter) : parameter_(std::move(parameter)) {}
  FlowExecutionStatus decide(const JobExecution& job, const StepExecution*) override {
    return job.job_parameters.get_string(parameter_).value_or("NONE");
  }

 private:
  std::string parameter_;
};

void register_test_components(ComponentRegistry& components) {
  components.add<Tasklet>("outcome", [](PropertyReader& p) -> Creator<Tasklet> {
    std::string result = p.string("result", "COMPLETED");
    return [result] { return std::make_unique<OutcomeTasklet>(result); };
  });
  components.add<JobExecutionDecider>("parameterDecider", [](PropertyReader& p) -> Creator<JobExecutionDecider> {
    std::string parameter = p.required_string("parameter");
    return [parameter] { return std::make_unique<ParameterDecider>(parameter); };
  });
}

constexpr const char* kFlowYaml = R"Y(jobs:
  - id: flowJob
    steps:
      - step: load
        tasklet: {type: outcome, result: "#{jobParameters['load'] ?: 'COMPLETED'}"}
        transitions:
          - next: {on: FAILED, to: report}
          - next: {on: "COMPLETED*", to: route}
          - fail: {on: "*"}
      - decision: route
        decider: {type: parameterDecider, parameter: route}
        transitions:
          - next: {on: EVEN, to: even}
          - stop: {on: PAUSE, restart: even}
          - end: {on: "*", exit-code: NO_ROUTE}
      - step: even
        tasklet: {type: outcome}
      - step: report
        tasklet: {type: outcome}
        transitions:
          - end: {on: "*"}
)Y";

constexpr const char* kFlowXml = R"Y(<beans xmlns="http://www.springframework.org/schema/batch">
  <job id="flowJob">
    <step id="load">
      <tasklet>
        <bean class="outcome"><property name="result" value="#{jobParameters['load'] ?: 'COMPLETED'}"/></bean>
      </tasklet>
      <next on="FAILED" to="report"/>
      <next on="COMPLETED*" to="route"/>
      <fail on="*"/>
    </step>
    <decision id="route" decider="routeDecider">
      <next on="EVEN" to="even"/>
      <stop on="PAUSE" restart="even"/>
      <end on="*" exit-code="NO_ROUTE"/>
    </decision>
    <step id="even"><tasklet ref="outcome"/></step>
    <step id="report">
      <tasklet ref="outcome"/>
      <end on="*"/>
    </step>
  </job>
  <bean id="routeDecider" class="parameterDecider"><property name="parameter" value="route"/></bean>
</beans>
)Y";

class JobFileEquivalenceTest : public testing::JobTestFixture {
 protected:
  JobFileEquivalenceTest() { register_test_components(components_); }

  std::unique_ptr<Job> from_text(const char* text, bool xml, const std::string& job) {
    ParsedJobFile parsed = xml ? parse_xml_job_file(text, "t.xml") : parse_yaml_job_file(text, "t.yaml");
    EXPECT_TRUE(parsed.ok()) << to_string(parsed.errors);
    files_.push_back(std::make_unique<JobFile>(std::move(parsed.file)));
    return build_job(*files_.back(), job, components_, repository_);
  }

  std::unique_ptr<Job> flow_in_cpp() {
    auto outcome_step = [&](const std::string& name, std::string result_parameter) {
      return std::shared_ptr<Step>(StepBuilder(name, repository_)
                                       .tasklet([result_parameter](StepContribution& c, ChunkContext& ctx) {
                                         std::string result = "COMPLETED";
                                         if (!result_parameter.empty()) {
                                           result = ctx.job_parameters().get_string(result_parameter).value_or("COMPLETED");
                                         }
                                         return OutcomeTasklet(result).execute(c, ctx);
                                       })
                                       .build());
    };
    auto load = outcome_step("load", "load");
    auto even = outcome_step("even", "");
    auto report = outcome_step("report", "");
    std::shared_ptr<JobExecutionDecider> route = std::make_shared<ParameterDecider>("route");
    return FlowJobBuilder("flowJob", repository_)
        .start(load).on("FAILED").to(report)
        .from(load).on("COMPLETED*").to(route)
        .from(load).on("*").fail()
        .from(route).on("EVEN").to(even)
        .from(route).on("PAUSE").stop_and_restart(even)
        .from(route).on("*").end("NO_ROUTE")
        .from(report).on("*").end()
        .end()
        .build();
  }

  // "STATUS/EXIT | step:STATUS:EXIT:read/write/filter ..."
  static std::string summary(const JobExecution& e) {
    std::ostringstream out;
    out << to_string(e.status) << '/' << e.exit_status.code() << " |";
    for (const auto& s : e.step_executions) {
      out << ' ' << s->step_name << ':' << to_string(s->status) << ':' << s->exit_status.code() << ':'
          << s->read_count << '/' << s->write_count << '/' << s->filter_count;
    }
    return out.str();
  }

  std::string run_form(Job& job, const std::string& form, JobParametersBuilder params) {
    return summary(run(job, params.add_string("form", form).build()));
  }

  ComponentRegistry components_;
  std::vector<std::unique_ptr<JobFile>> files_;
};

struct FlowScenario {
  std::string load;
  std::string route;
  std::string expected;
};

TEST_F(JobFileEquivalenceTest, FlowWithTransitionsAndADecision) {
  const std::vector<FlowScenario> scenarios = {
      {"COMPLETED", "EVEN", "COMPLETED/COMPLETED | load:COMPLETED:COMPLETED:0/0/0 even:COMPLETED:COMPLETED:0/0/0"},
      {"FAILED", "EVEN", "COMPLETED/COMPLETED | load:FAILED:FAILED:0/0/0 report:COMPLETED:COMPLETED:0/0/0"},
      {"COMPLETED WITH SKIPS", "ODD", "COMPLETED/NO_ROUTE | load:COMPLETED:COMPLETED WITH SKIPS:0/0/0"},
      {"WEIRD", "EVEN", "FAILED/FAILED | load:COMPLETED:WEIRD:0/0/0"},
      {"COMPLETED", "PAUSE", "STOPPED/STOPPED | load:COMPLETED:COMPLETED:0/0/0"},
  };
  int n = 0;
  for (const FlowScenario& s : scenarios) {
    SCOPED_TRACE("load=" + s.load + " route=" + s.route);
    auto params = JobParametersBuilder().add_string("load", s.load).add_string("route", s.route).add_long("n", ++n);
    auto cpp = flow_in_cpp();
    auto yaml = from_text(kFlowYaml, false, "flowJob");
    auto xml = from_text(kFlowXml, true, "flowJob");
    const std::string expected_cpp = run_form(*cpp, "cpp", params);
    EXPECT_EQ(expected_cpp, s.expected);
    EXPECT_EQ(run_form(*yaml, "yaml", params), expected_cpp);
    EXPECT_EQ(run_form(*xml, "xml", params), expected_cpp);
  }
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST_F(JobFileEquivalenceTest, ChunkJobOverTheFootballPlayers) {
  const std::string input = std::string(CPPBATCH_REFERENCE_DATA) + "/spring-batch-samples/football/player.csv";
  const auto dir = std::filesystem::temp_directory_path() / ("jobfile-eq-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string names = "id,last,first,position,born,debut";
  const std::string yaml = R"Y(jobs:
  - id: players
    steps:
      - step: load
        next: done
        chunk:
          commit-interval: 50
          reader: {type: delimitedFileReader, path: "#{jobParameters['input']}", names: ")Y" + names + R"Y("}
          processor:
            - {type: filter, expression: "debut >= 1995 and position == 'qb'"}
            - type: compute
              fields: {age: "debut - born", last: "upper(last)"}
          writer: {type: delimitedFileWriter, path: "#{jobParameters['output']}"}
      - step: done
        tasklet: {type: outcome}
)Y";
  const std::string xml = R"Y(<beans>
  <job id="players">
    <step id="load" next="done">
      <tasklet>
        <chunk commit-interval="50">
          <reader><bean class="delimitedFileReader">
            <property name="path" value="#{jobParameters['input']}"/>
            <property name="names" value=")Y" + names + R"Y("/>
          </bean></reader>
          <processor>
            <bean class="filter"><property name="expression" value="debut &gt;= 1995 and position == 'qb'"/></bean>
            <bean class="compute"><property name="fields"><map>
              <entry key="age" value="debut - born"/><entry key="last" value="upper(last)"/>
            </map></property></bean>
          </processor>
          <writer><bean class="delimitedFileWriter"><property name="path" value="#{jobParameters['output']}"/></bean></writer>
        </chunk>
      </tasklet>
    </step>
    <step id="done"><tasklet ref="outcome"/></step>
  </job>
</beans>
)Y";
  auto scope = std::make_shared<JobParametersScope>();
  auto cpp_load = StepBuilder("load", repository_)
                      .chunk<Record>(50)
                      .listener(scope)
                      .reader(std::make_unique<DeferredItemReader<Record>>([scope] {
                        return std::make_unique<DelimitedFileReader<Record>>(
                            DelimitedReaderOptions{.path = *scope->get().get_string("input"),
                                                   .names = {"id", "last", "first", "position", "born", "debut"}},
                            RecordMapper());
                      }))
                      .processor([filter = FilterRecordProcessor(Expression::parse("debut >= 1995 and position == 'qb'")),
                                  compute = ComputeFieldsProcessor({{"age", Expression::parse("debut - born")},
                                                                    {"last", Expression::parse("upper(last)")}})](
                                     const Record& r) mutable -> std::optional<Record> {
                        auto kept = filter.process(r);
                        if (!kept) return std::nullopt;
                        return compute.process(*kept);
                      })
                      .writer(std::make_unique<DeferredItemWriter<Record>>([scope] {
                        return std::make_unique<DelimitedFileWriter<Record>>(
                            DelimitedWriterOptions{.path = *scope->get().get_string("output")},
                            [](const Record& r, FieldWriter& out) { write_record(r, out); });
                      }))
                      .build();
  auto cpp = JobBuilder("players", repository_)
                 .start(std::move(cpp_load))
                 .next(StepBuilder("done", repository_).tasklet(std::make_unique<OutcomeTasklet>("COMPLETED")).build())
                 .build();
  auto params = [&](const std::string& form) {
    return JobParametersBuilder().add_string("input", input).add_string("output", (dir / (form + ".csv")).string());
  };
  const std::string expected = run_form(*cpp, "cpp", params("cpp"));
  EXPECT_EQ(expected, "COMPLETED/COMPLETED | load:COMPLETED:COMPLETED:4320/183/4137 done:COMPLETED:COMPLETED:0/0/0");
  auto from_yaml = from_text(yaml.c_str(), false, "players");
  auto from_xml = from_text(xml.c_str(), true, "players");
  EXPECT_EQ(run_form(*from_yaml, "yaml", params("yaml")), expected);
  EXPECT_EQ(run_form(*from_xml, "xml", params("xml")), expected);
  const std::string cpp_output = read_file(dir / "cpp.csv");
  EXPECT_THAT(cpp_output, ::testing::HasSubstr(",qb,"));
  EXPECT_EQ(read_file(dir / "yaml.csv"), cpp_output);
  EXPECT_EQ(read_file(dir / "xml.csv"), cpp_output);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cppbatch
