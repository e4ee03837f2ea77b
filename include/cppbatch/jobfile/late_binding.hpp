// Late binding: Spring's #{...} placeholders in job-file property values,
// resolved when the step that uses the component starts (every component
// of a job file is step-scoped: built when its step opens, from the
// running execution).
//
//   path: "#{jobParameters['input']}"                 the job parameter 'input'
//   path: "out/#{jobParameters['date']}.csv"          inside a text
//   limit: "#{jobParameters['limit'] ?: '100'}"       with a default when missing
//   team: "#{stepExecutionContext['partition.team']}" the step's ExecutionContext
//   last: "#{jobExecutionContext['lastId']}"          the job's ExecutionContext
//
// A placeholder whose value is missing (and has no default) is an error
// naming it. Values are their text form (dates ISO, numbers decimal).
#pragma once

#include <string>
#include <string_view>

namespace cppbatch {

class JobParameters;
class ExecutionContext;

// What placeholders are resolved against. A null source resolves nothing of
// its kind (a placeholder naming it is then an error).
struct LateBindingContext {
  const JobParameters* job_parameters = nullptr;
  const ExecutionContext* step_context = nullptr;
  const ExecutionContext* job_context = nullptr;
};

// Whether `text` holds a #{ placeholder.
bool has_placeholder(std::string_view text);

// Checks the placeholders of `text` without resolving them: "" when every
// one is well formed, else the reason (unknown source, missing quote...).
std::string check_placeholders(std::string_view text);

// `text` with every placeholder replaced by its value. Throws
// std::invalid_argument with the reason for a malformed placeholder or a
// missing value.
std::string resolve_placeholders(std::string_view text, const LateBindingContext& context);

}  // namespace cppbatch
