#include "cppbatch/jobfile/source_location.hpp"

namespace cppbatch {

std::string SourceLocation::to_string() const {
  std::string text = file.empty() ? "<job file>" : file;
  if (line > 0) {
    text += ':' + std::to_string(line);
    if (column > 0) text += ':' + std::to_string(column);
  }
  return text;
}

std::string DefinitionError::to_string() const { return location.to_string() + ": " + message; }

std::string to_string(const std::vector<DefinitionError>& errors) {
  std::string text;
  for (const auto& e : errors) {
    if (!text.empty()) text += '\n';
    text += e.to_string();
  }
  return text;
}

}  // namespace cppbatch
