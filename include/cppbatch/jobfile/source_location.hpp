// SourceLocation: where an element of a job file is — file, 1-based line
// and column — and DefinitionError: one thing wrong with a job file at a
// location. Every element of a JobDefinition carries its location, so
// validation and the components' property checks can point at the exact
// place ("jobs/players.yaml:12:7: step 'load': unknown reader type 'csv'").
//
//   SourceLocation at{"job.xml", 12, 7};
//   DefinitionError e{at, "unknown attribute 'comit-interval'"};
//   e.to_string();   // "job.xml:12:7: unknown attribute 'comit-interval'"
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cppbatch {

struct SourceLocation {
  std::string file{};
  int64_t line = 0;    // 1-based; 0 = unknown
  int64_t column = 0;  // 1-based; 0 = unknown
  // "file:line:column" ("file:line" without a column, "file" without a line).
  std::string to_string() const;
  friend bool operator==(const SourceLocation&, const SourceLocation&) = default;
};

struct DefinitionError {
  SourceLocation location{};
  std::string message{};
  // "file:line:column: message".
  std::string to_string() const;
  friend bool operator==(const DefinitionError&, const DefinitionError&) = default;
};

// Every error, one per line, in order.
std::string to_string(const std::vector<DefinitionError>& errors);

}  // namespace cppbatch
