// FlowJobBuilder: the fluent way to define a job as a flow (Spring Batch's
// JobBuilder.start(...).on(...)...end().build()). Every flow call of
// FlowBuilderBase (flow_builder.hpp) and every job setting of JobBuilder.
//
//   auto job = FlowJobBuilder("nightly", repo)
//       .start(load)
//           .on("FAILED").to(report)
//       .from(load).on("COMPLETED WITH SKIPS").to(cleanup)
//       .from(load).on("*").to(publish)
//       .from(report).on("*").end()            // load failed → report → job COMPLETED
//       .end()
//       .incrementer(std::make_shared<RunIdIncrementer>())
//       .build();
//
// Steps, flows and deciders are passed as std::shared_ptr (a
// std::unique_ptr<Step> from StepBuilder converts), so that from(x) can name
// the same object again. build() throws std::invalid_argument as
// FlowBuilder::build does, and when two different steps of the job (nested
// flows included) share a name.
#pragma once

#include <memory>
#include <string>

#include "cppbatch/core/flow_builder.hpp"
#include "cppbatch/core/flow_job.hpp"
#include "cppbatch/core/job_builder.hpp"

namespace cppbatch {

class FlowJobBuilder : public JobBuilderBase<FlowJobBuilder>, public FlowBuilderBase<FlowJobBuilder> {
 public:
  // `repository` must outlive the built job.
  FlowJobBuilder(std::string name, JobRepository& repository)
      : JobBuilderBase(name, repository), FlowBuilderBase(std::move(name)) {}

  // Spring's JobFlowBuilder.end(): closes the flow definition; then build().
  FlowJobBuilder& end() { return *this; }
  std::unique_ptr<Job> build() { return std::make_unique<FlowJob>(std::move(settings_), build_flow()); }
};

}  // namespace cppbatch
