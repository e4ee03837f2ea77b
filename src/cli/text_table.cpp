#include "cli/text_table.hpp"

#include <algorithm>

namespace cppbatch::internal {

namespace {

// Display width: counts UTF-8 code points, not bytes.
size_t display_width(std::string_view text) {
  return static_cast<size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

void TextTable::print(std::ostream& out, std::string_view indent) const {
  std::vector<size_t> widths;
  for (const auto& column : columns_) widths.push_back(display_width(column.header));
  for (const auto& row : rows_) {
    for (size_t i = 0; i < widths.size() && i < row.size(); ++i) widths[i] = std::max(widths[i], display_width(row[i]));
  }
  auto print_line = [&](auto cell_at) {
    std::string line(indent);
    for (size_t i = 0; i < columns_.size(); ++i) {
      std::string_view cell = cell_at(i);
      std::string padding(widths[i] - display_width(cell), ' ');
      if (i > 0) line += "  ";
      if (columns_[i].align == Align::RIGHT) {
        line += padding;
        line += cell;
      } else {
        line += cell;
        line += padding;
      }
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << '\n';
  };
  print_line([&](size_t i) { return std::string_view(columns_[i].header); });
  for (const auto& row : rows_) {
    print_line([&](size_t i) { return i < row.size() ? std::string_view(row[i]) : std::string_view(); });
  }
}

}  // namespace cppbatch::internal
