#include "cppbatch/infrastructure/sort_key.hpp"

#include <bit>
#include <cmath>
#include <cstdint>
#include <stdexcept>

namespace cppbatch {
namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string key_label(const SortKey& key) {
  return key.field.empty() ? "#" + std::to_string(key.column.value_or(0)) : key.field;
}

}  // namespace

std::vector<SortKey> parse_sort_keys(std::string_view spec) {
  std::vector<SortKey> keys;
  size_t start = 0;
  while (start <= spec.size()) {
    size_t comma = spec.find(',', start);
    std::string_view item = trim(spec.substr(start, comma == std::string_view::npos ? spec.npos : comma - start));
    if (item.empty()) throw std::invalid_argument("sort keys '" + std::string(spec) + "': empty key");
    SortKey key;
    size_t part_start = 0;
    for (int part = 0; part_start <= item.size(); ++part) {
      size_t colon = item.find(':', part_start);
      std::string_view text =
          trim(item.substr(part_start, colon == std::string_view::npos ? item.npos : colon - part_start));
      if (part == 0) {
        if (text.empty()) throw std::invalid_argument("sort keys '" + std::string(spec) + "': key without a field");
        if (all_digits(text)) {
          key.column = static_cast<size_t>(std::stoull(std::string(text)));
        } else {
          key.field = std::string(text);
        }
      } else if (text == "string") {
        key.type = SortKeyType::STRING;
      } else if (text == "numeric") {
        key.type = SortKeyType::NUMERIC;
      } else if (text == "asc") {
        key.order = SortOrder::ASCENDING;
      } else if (text == "desc") {
        key.order = SortOrder::DESCENDING;
      } else {
        throw std::invalid_argument("sort keys '" + std::string(spec) + "': unknown option '" + std::string(text) +
                                    "' (expected string, numeric, asc or desc)");
      }
      if (colon == std::string_view::npos) break;
      part_start = colon + 1;
    }
    keys.push_back(std::move(key));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return keys;
}

std::string describe_sort_keys(const std::vector<SortKey>& keys) {
  std::string out;
  for (const SortKey& k : keys) {
    if (!out.empty()) out += ',';
    out += key_label(k);
    out += k.type == SortKeyType::NUMERIC ? ":numeric" : ":string";
    out += k.order == SortOrder::DESCENDING ? ":desc" : ":asc";
  }
  return out;
}

KeyEncoder::KeyEncoder(std::vector<SortKey> keys) : keys_(std::move(keys)) {
  if (keys_.empty()) throw std::invalid_argument("sort: no key");
  bool by_name = false;
  for (const SortKey& k : keys_) {
    if (k.field.empty() && !k.column) throw std::invalid_argument("sort: a key has neither a field nor a column");
    if (!k.field.empty()) by_name = true;
    columns_.push_back(k.column.value_or(0));
  }
  resolved_ = !by_name;
}

void KeyEncoder::resolve(const FieldNames& names) {
  for (size_t i = 0; i < keys_.size(); ++i) {
    if (keys_[i].field.empty()) continue;
    std::optional<size_t> index = names.index_of(keys_[i].field);
    if (!index) {
      throw std::invalid_argument("sort key '" + keys_[i].field + "' is not a field of the input" +
                                  (names.empty() ? std::string(" (it has no field names: use a header, names or a column)")
                                                 : " (fields: " + names.joined() + ")"));
    }
    columns_[i] = *index;
  }
  resolved_ = true;
}

void KeyEncoder::encode(const FieldSet& fields, std::string& out) const {
  for (size_t i = 0; i < keys_.size(); ++i) {
    const SortKey& key = keys_[i];
    const size_t start = out.size();
    if (key.type == SortKeyType::NUMERIC) {
      double d = fields.read_double(columns_[i]);
      if (d == 0) d = 0;  // -0 sorts as 0
      uint64_t bits = std::bit_cast<uint64_t>(d);
      if (std::isnan(d)) bits = 0x7ff8000000000000ULL;  // every NaN alike, after +inf
      bits = (bits & 0x8000000000000000ULL) != 0 ? ~bits : bits | 0x8000000000000000ULL;
      for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((bits >> shift) & 0xff));
    } else {
      std::string_view text = fields.read_string(columns_[i]);
      for (char c : text) {
        out.push_back(c);
        if (c == '\0') out.push_back('\1');  // a 0 byte inside the text sorts after the terminator
      }
      out.push_back('\0');
      out.push_back('\0');
    }
    if (key.order == SortOrder::DESCENDING) {
      for (size_t b = start; b < out.size(); ++b) out[b] = static_cast<char>(~static_cast<unsigned char>(out[b]));
    }
  }
}

std::string KeyEncoder::describe(const FieldSet& fields) const {
  std::string out;
  for (size_t i = 0; i < keys_.size(); ++i) {
    if (!out.empty()) out += ", ";
    out += key_label(keys_[i]);
    out += '=';
    out += columns_[i] < fields.size() ? std::string(fields[columns_[i]]) : std::string("<missing>");
  }
  return out;
}

}  // namespace cppbatch
