#include <fstream>
#include <sstream>

#include "cppbatch/jobfile/job_file_parser.hpp"

namespace cppbatch {

ParsedJobFile read_job_file(const std::string& path) {
  auto ends_with = [&](std::string_view suffix) { return path.size() >= suffix.size() && path.ends_with(suffix); };
  const bool yaml = ends_with(".yaml") || ends_with(".yml");
  const bool xml = ends_with(".xml");
  if (!yaml && !xml) {
    ParsedJobFile parsed;
    parsed.file.path = path;
    parsed.errors.push_back({{path, 0, 0}, "unknown job file format (expected .yaml, .yml or .xml)"});
    return parsed;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ParsedJobFile parsed;
    parsed.file.path = path;
    parsed.errors.push_back({{path, 0, 0}, "cannot read the job file"});
    return parsed;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return yaml ? parse_yaml_job_file(text.str(), path) : parse_xml_job_file(text.str(), path);
}

}  // namespace cppbatch
