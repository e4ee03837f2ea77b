// Reading job files: the YAML form and Spring Batch's XML form, both into
// the same JobFile (job_definition.hpp). Parsing reports every structural
// error it finds — malformed YAML/XML at the parser's line and column,
// unknown keys/elements/attributes, missing required ones, values of the
// wrong type, duplicate keys — and keeps going where it can, so one run
// lists them all. Whether names resolve (steps, components, exception
// kinds) is validation's job (job_file_validator.hpp).
//
//   ParsedJobFile parsed = read_job_file("jobs/players.yaml");
//   for (const DefinitionError& e : parsed.errors) std::cerr << e.to_string() << '\n';
//
// The two schemas are documented in docs/job-files.md.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cppbatch/jobfile/job_definition.hpp"
#include "cppbatch/jobfile/source_location.hpp"

namespace cppbatch {

struct ParsedJobFile {
  JobFile file{};
  std::vector<DefinitionError> errors{};
  bool ok() const { return errors.empty(); }
};

// `path` names the text in locations.
ParsedJobFile parse_yaml_job_file(std::string_view text, std::string path);
ParsedJobFile parse_xml_job_file(std::string_view text, std::string path);

// Reads `path` and parses it by its extension: .yaml/.yml as YAML, .xml as
// XML. A file that cannot be read, or another extension, is one error.
ParsedJobFile read_job_file(const std::string& path);

}  // namespace cppbatch
