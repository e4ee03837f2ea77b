// Parsing of job parameters in the CLI form `name=value[,type[,identifying]]`.
//
// type: string|long|double|date|datetime or a Java FQCN (java.lang.Long...),
// default string; identifying: true|false, default true.
//   parse_job_parameters({"date=2026-01-02,date", "count=10,long,false"})
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cppbatch/common/result.hpp"
#include "cppbatch/core/job_parameters.hpp"

namespace cppbatch {

// One argument; INVALID_ARGUMENT naming the argument and the reason.
Result<std::pair<std::string, JobParameter>> parse_job_parameter(std::string_view argument);
// All arguments; fails on the first bad one; a repeated name also fails.
Result<JobParameters> parse_job_parameters(const std::vector<std::string>& arguments);

}  // namespace cppbatch
