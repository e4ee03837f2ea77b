#include "repository/sqlite_schema.hpp"

#include <cctype>

namespace cppbatch::internal {
namespace {

// The file's text as a raw string literal: the .sql file is written so that
// including it yields one (see its header comment). The literal starts with
// the end of that comment ("\n*/\n"), which kSchema skips.
constexpr std::string_view kSchemaFile =
#include "repository/sql/schema-sqlite.sql"
    ;

constexpr std::string_view kPlaceholder = "BATCH_";

bool identifier_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string_view schema_ddl() {
  size_t start = kSchemaFile.find("*/");
  return start == std::string_view::npos ? kSchemaFile : kSchemaFile.substr(start + 2);
}

}  // namespace

bool valid_table_prefix(std::string_view prefix) {
  if (prefix.empty()) return false;
  for (char c : prefix) {
    if (!identifier_char(c)) return false;
  }
  return true;
}

std::string sqlite_schema(std::string_view prefix) {
  std::string_view ddl = schema_ddl();
  std::string out;
  out.reserve(ddl.size() + 256);
  size_t pos = 0;
  while (pos < ddl.size()) {
    size_t found = ddl.find(kPlaceholder, pos);
    if (found == std::string_view::npos) {
      out += ddl.substr(pos);
      break;
    }
    out += ddl.substr(pos, found - pos);
    bool starts_identifier = found == 0 || !identifier_char(ddl[found - 1]);
    out += starts_identifier ? prefix : kPlaceholder;
    pos = found + kPlaceholder.size();
  }
  return out;
}

std::vector<std::string> sqlite_schema_objects(std::string_view prefix) {
  constexpr std::string_view kMarker = "IF NOT EXISTS ";
  std::string ddl = sqlite_schema(prefix);
  std::vector<std::string> names;
  for (size_t pos = ddl.find(kMarker); pos != std::string::npos; pos = ddl.find(kMarker, pos)) {
    pos += kMarker.size();
    size_t end = pos;
    while (end < ddl.size() && identifier_char(ddl[end])) ++end;
    names.push_back(ddl.substr(pos, end - pos));
  }
  return names;
}

}  // namespace cppbatch::internal
