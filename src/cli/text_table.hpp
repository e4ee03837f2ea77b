// TextTable: the plain, aligned tables the CLI prints for people (the
// --json forms are for machines). Columns are separated by two spaces;
// numeric columns are right-aligned. Internal to src/cli.
//
//   TextTable table({{"ID", Align::RIGHT}, {"JOB"}, {"STATUS"}});
//   table.add_row({"12", "settlementJob", "COMPLETED"});
//   table.print(out, "  ");
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace cppbatch::internal {

enum class Align { LEFT, RIGHT };

struct Column {
  std::string header;
  Align align = Align::LEFT;
};

class TextTable {
 public:
  explicit TextTable(std::vector<Column> columns) : columns_(std::move(columns)) {}
  // Missing trailing cells print empty; extra cells are ignored.
  void add_row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  bool empty() const { return rows_.empty(); }
  // Header and rows, each line starting with `indent`; trailing spaces
  // trimmed.
  void print(std::ostream& out, std::string_view indent = "") const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace cppbatch::internal
