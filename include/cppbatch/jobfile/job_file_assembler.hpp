// From a job file to Jobs: load (read + parse + validate, every error
// reported), then build Jobs through the step, job and flow builders, or
// register every job of the file in a JobRegistry so the CLI and the
// operator launch them like jobs written in C++.
//
//   ComponentRegistry components;                  // built-ins + your own
//   LoadedJobFile loaded = load_job_file("jobs/players.yaml", components);
//   if (!loaded.ok()) { std::cerr << to_string(loaded.errors); return 2; }
//   JobRegistry jobs;
//   (void)register_job_file(loaded.file, components, jobs);
//
// Every job becomes a FlowJob built with FlowJobBuilder's data form, with
// the implicit transitions of Spring's XML for states without any. A step
// may run another job of the file (JobStep) or a top-level flow
// (FlowStep); a split runs on its declared task executor or on a pool its
// job's splits share. Readers, processors, writers and tasklets are
// step-scoped: each is built when its step opens, with the running
// execution's #{...} values bound (late_binding.hpp); deciders, job
// listeners, validators and incrementers are built when used, bound to the
// job's parameters; step and item listeners are built with the job.
// `components` must outlive every Job built from it.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cppbatch/common/result.hpp"
#include "cppbatch/core/job.hpp"
#include "cppbatch/core/job_registry.hpp"
#include "cppbatch/core/job_repository.hpp"
#include "cppbatch/jobfile/component_registry.hpp"
#include "cppbatch/jobfile/job_definition.hpp"

namespace cppbatch {

struct LoadedJobFile {
  std::shared_ptr<const JobFile> file{};  // null when it could not be parsed
  std::vector<DefinitionError> errors{};  // parse and validation errors, in file order
  bool ok() const { return file != nullptr && errors.empty(); }
};

// read_job_file + validate_job_file.
LoadedJobFile load_job_file(const std::string& path, const ComponentRegistry& components);

// Job `job_id` of a valid `file`. Throws std::invalid_argument for an
// unknown job or a file that does not validate (listing the errors).
std::unique_ptr<Job> build_job(const JobFile& file, std::string_view job_id, const ComponentRegistry& components,
                               JobRepository& repository);

// Registers every job of `file` (a factory per job, sharing the file).
// INVALID_ARGUMENT when a job name is already registered.
Result<void> register_job_file(std::shared_ptr<const JobFile> file, const ComponentRegistry& components,
                               JobRegistry& jobs);

}  // namespace cppbatch
