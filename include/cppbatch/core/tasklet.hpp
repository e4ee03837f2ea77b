// Tasklet: the work of a TaskletStep. execute() is called repeatedly, each
// call in its own transaction, until it returns FINISHED (or throws, which
// fails the step). Use the contribution to report counts and the chunk
// context to reach the step/job execution and parameters.
//
//   StepBuilder("report", repo).tasklet([](StepContribution&, ChunkContext&) {
//     write_report();
//     return RepeatStatus::FINISHED;
//   }).build();
#pragma once

#include "cppbatch/core/chunk_context.hpp"
#include "cppbatch/core/step_contribution.hpp"

namespace cppbatch {

enum class RepeatStatus { CONTINUABLE, FINISHED };

class Tasklet {
 public:
  virtual ~Tasklet() = default;
  virtual RepeatStatus execute(StepContribution& contribution, ChunkContext& context) = 0;
};

}  // namespace cppbatch
