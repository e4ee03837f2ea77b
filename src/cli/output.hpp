// How the CLI shows executions and jobs to people (tables and blocks) and
// to machines (JSON). Internal to src/cli; the JSON shapes of executions
// come from cppbatch/operations/execution_json.hpp.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/cli_context.hpp"
#include "cppbatch/core/dead_letter.hpp"
#include "cppbatch/core/job_execution.hpp"

namespace cppbatch::internal {

// One line of `cppbatch jobs`.
struct JobRow {
  std::string name;
  std::string description;
  bool registered = true;  // false: known only from the repository
  int64_t instances = 0;
  const JobExecution* last = nullptr;  // newest execution; null if none
};

// One row of `cppbatch instances`.
struct InstanceRow {
  JobInstance instance;
  std::vector<std::unique_ptr<JobExecution>> executions;  // newest first
};

// After run/restart: the outcome, each step's counters, and how to resume
// when it did not complete.
void print_run_summary(const CliContext& context, const JobExecution& execution, Timestamp now);
// `executions`: one row per execution.
void print_executions_table(std::ostream& out, const std::vector<std::unique_ptr<JobExecution>>& executions,
                            Timestamp now);
// `show`: the execution, then a block per step with every counter.
void print_execution_detail(std::ostream& out, const JobExecution& execution, Timestamp now);
// `instances`: one row per instance, with its identifying parameters.
void print_instances_table(std::ostream& out, const std::vector<InstanceRow>& instances);
nlohmann::json instances_to_json(const std::vector<InstanceRow>& instances);
// `dlq list`: one row per letter, its error (the last reprocessing error
// once there is one) cut to one short line, then the count per status of
// the listed letters.
void print_dead_letters_table(std::ostream& out, const std::vector<DeadLetter>& letters);
// `dlq show`: every field, then the payload as stored.
void print_dead_letter_detail(std::ostream& out, const DeadLetter& letter);
// `jobs`.
void print_jobs_table(std::ostream& out, const std::vector<JobRow>& jobs);
nlohmann::json jobs_to_json(const std::vector<JobRow>& jobs);

}  // namespace cppbatch::internal
