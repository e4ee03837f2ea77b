#include "cppbatch/infrastructure/xml_writer.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace cppbatch {
namespace {

bool name_start(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || c >= 0x80;
}
bool name_char(unsigned char c) {
  return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

}  // namespace

bool XmlWriter::is_name(std::string_view name) {
  if (name.empty() || !name_start(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (!name_char(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

void XmlWriter::escape(std::string& out, std::string_view value, bool attribute) {
  size_t run = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    const char* replacement = nullptr;
    switch (c) {
      case '&': replacement = "&amp;"; break;
      case '<': replacement = "&lt;"; break;
      case '>': replacement = "&gt;"; break;
      case '\r': replacement = "&#13;"; break;
      case '"': replacement = attribute ? "&quot;" : nullptr; break;
      case '\n': replacement = attribute ? "&#10;" : nullptr; break;
      case '\t': replacement = attribute ? "&#9;" : nullptr; break;
      default:
        if (c < 0x20) {
          throw std::invalid_argument("XmlWriter: character U+00" + std::string(1, "0123456789ABCDEF"[c >> 4]) +
                                      "0123456789ABCDEF"[c & 0xF] + " cannot appear in XML 1.0");
        }
    }
    if (replacement == nullptr) continue;
    out.append(value.data() + run, i - run);
    out += replacement;
    run = i + 1;
  }
  out.append(value.data() + run, value.size() - run);
}

void XmlWriter::close_tag() {
  if (tag_open_) {
    *out_ += '>';
    tag_open_ = false;
  }
}

XmlWriter& XmlWriter::start(std::string_view name) {
  if (!is_name(name)) throw std::invalid_argument("XmlWriter: '" + std::string(name) + "' is not an XML name");
  close_tag();
  *out_ += '<';
  *out_ += name;
  if (depth_used_ == open_.size()) open_.emplace_back();
  open_[depth_used_++].assign(name);
  tag_open_ = true;
  return *this;
}

XmlWriter& XmlWriter::attribute(std::string_view name, std::string_view value) {
  if (!tag_open_) throw std::logic_error("XmlWriter: attribute '" + std::string(name) + "' after content");
  if (!is_name(name)) throw std::invalid_argument("XmlWriter: '" + std::string(name) + "' is not an XML name");
  *out_ += ' ';
  *out_ += name;
  *out_ += "=\"";
  escape(*out_, value, true);
  *out_ += '"';
  return *this;
}

XmlWriter& XmlWriter::text(std::string_view value) {
  close_tag();
  escape(*out_, value, false);
  return *this;
}

XmlWriter& XmlWriter::end() {
  if (depth_used_ == 0) throw std::logic_error("XmlWriter: end() with no open element");
  const std::string& name = open_[--depth_used_];
  if (tag_open_) {
    *out_ += "/>";
    tag_open_ = false;
  } else {
    *out_ += "</";
    *out_ += name;
    *out_ += '>';
  }
  return *this;
}

XmlWriter& XmlWriter::element(std::string_view name, std::string_view text) {
  start(name);
  if (!text.empty()) this->text(text);
  return end();
}

XmlWriter& XmlWriter::element(std::string_view name, double value) {
  if (std::isnan(value)) return element(name, std::string_view("NaN"));
  if (std::isinf(value)) return element(name, std::string_view(value < 0 ? "-INF" : "INF"));
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  (void)ec;
  return element(name, std::string_view(buffer, static_cast<size_t>(end - buffer)));
}

XmlWriter& XmlWriter::raw(std::string_view xml) {
  close_tag();
  *out_ += xml;
  return *this;
}

}  // namespace cppbatch
