// Validation of a parsed job file against a ComponentRegistry, before
// anything runs. Every error is reported (not only the first), each at the
// file:line:column of the offending element:
//   - duplicate ids (jobs, declared components, top-level flows, states of
//     a flow, step names within a job);
//   - a `next`/`to`/`restart` naming no state of its flow, a flow `parent`
//     naming no top-level flow, flows that include themselves;
//   - unreachable states (not reachable from the flow's first state);
//   - cycles with no exit (states from which no end of the flow can be
//     reached: every path loops);
//   - components: an unknown type or reference (listing the known ones),
//     and each component's properties (unknown, missing, wrong type,
//     malformed #{...} placeholder or expression) checked by running its
//     factory in validation mode;
//   - exception kinds not registered, a retry-limit without retryable kinds.
//
//   ParsedJobFile parsed = read_job_file(path);
//   std::vector<DefinitionError> errors = parsed.errors;
//   if (parsed.ok()) errors = validate_job_file(parsed.file, components);
#pragma once

#include <vector>

#include "cppbatch/jobfile/component_registry.hpp"
#include "cppbatch/jobfile/job_definition.hpp"
#include "cppbatch/jobfile/source_location.hpp"

namespace cppbatch {

std::vector<DefinitionError> validate_job_file(const JobFile& file, const ComponentRegistry& registry);

}  // namespace cppbatch
