#include "cppbatch/jobfile/property_reader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <stdexcept>

namespace cppbatch {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

PropertyReader::PropertyReader(const PropertyNode& properties, std::vector<DefinitionError>& errors, std::string what,
                               const LateBindingContext* binding, std::string default_name)
    : properties_(properties),
      errors_(errors),
      what_(std::move(what)),
      binding_(binding),
      default_name_(std::move(default_name)),
      first_error_(errors.size()) {}

const PropertyNode* PropertyReader::lookup(std::string_view key) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.emplace_back(key);
  return properties_.find(key);
}

void PropertyReader::error(std::string_view key, std::string message) {
  const PropertyNode* node = properties_.find(key);
  const SourceLocation& at = node != nullptr ? node->location() : properties_.location();
  errors_.push_back({at, what_ + ": " + message});
}

std::optional<std::string> PropertyReader::text_of(const PropertyNode& node) {
  if (!node.is_scalar()) return std::nullopt;
  const std::string& text = node.text();
  if (!has_placeholder(text)) return text;
  if (binding_ == nullptr) {
    if (std::string reason = check_placeholders(text); !reason.empty()) {
      errors_.push_back({node.location(), what_ + ": " + reason});
    }
    return std::nullopt;
  }
  try {
    return resolve_placeholders(text, *binding_);
  } catch (const std::invalid_argument& e) {
    errors_.push_back({node.location(), what_ + ": " + e.what()});
    return std::nullopt;
  }
}

std::optional<std::string> PropertyReader::scalar(std::string_view key) {
  const PropertyNode* node = lookup(key);
  if (node == nullptr) return std::nullopt;
  if (!node->is_scalar()) {
    error(key, "property '" + std::string(key) + "' must be a value, not " + std::string(node->kind_name()));
    return std::nullopt;
  }
  return text_of(*node);
}

bool PropertyReader::has(std::string_view key) { return lookup(key) != nullptr; }

std::string PropertyReader::string(std::string_view key, std::string_view if_missing) {
  auto text = scalar(key);
  return text ? *text : std::string(if_missing);
}

std::optional<std::string> PropertyReader::optional_string(std::string_view key) { return scalar(key); }

std::string PropertyReader::required_string(std::string_view key) {
  if (properties_.find(key) == nullptr) {
    lookup(key);
    errors_.push_back({properties_.location(), what_ + ": missing required property '" + std::string(key) + "'"});
    return {};
  }
  return string(key);
}

std::optional<int64_t> PropertyReader::optional_integer(std::string_view key) {
  auto text = scalar(key);
  if (!text) return std::nullopt;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || text->empty()) {
    error(key, "property '" + std::string(key) + "': expected an integer, got '" + *text + "'");
    return std::nullopt;
  }
  return value;
}

int64_t PropertyReader::integer(std::string_view key, int64_t if_missing) {
  return optional_integer(key).value_or(if_missing);
}

double PropertyReader::number(std::string_view key, double if_missing) {
  auto text = scalar(key);
  if (!text) return if_missing;
  double value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || text->empty()) {
    error(key, "property '" + std::string(key) + "': expected a number, got '" + *text + "'");
    return if_missing;
  }
  return value;
}

bool PropertyReader::boolean(std::string_view key, bool if_missing) {
  auto text = scalar(key);
  if (!text) return if_missing;
  const std::string v = lower(*text);
  if (v == "true" || v == "yes" || v == "on") return true;
  if (v == "false" || v == "no" || v == "off") return false;
  error(key, "property '" + std::string(key) + "': expected true or false, got '" + *text + "'");
  return if_missing;
}

char PropertyReader::character(std::string_view key, char if_missing) {
  auto text = scalar(key);
  if (!text) return if_missing;
  if (text->size() == 1) return (*text)[0];
  const std::string v = lower(*text);
  if (v == "\\t" || v == "tab") return '\t';
  if (v.empty() || v == "none") return '\0';
  error(key, "property '" + std::string(key) + "': expected one character, got '" + *text + "'");
  return if_missing;
}

std::vector<std::string> PropertyReader::strings(std::string_view key) {
  const PropertyNode* node = lookup(key);
  std::vector<std::string> out;
  if (node == nullptr) return out;
  if (node->is_scalar()) {
    auto text = text_of(*node);
    if (!text) return out;
    size_t start = 0;
    while (start <= text->size()) {
      size_t comma = text->find(',', start);
      if (comma == std::string::npos) comma = text->size();
      std::string part = text->substr(start, comma - start);
      part.erase(0, part.find_first_not_of(" \t"));
      part.erase(part.find_last_not_of(" \t") + 1);
      if (!part.empty()) out.push_back(std::move(part));
      start = comma + 1;
    }
    return out;
  }
  if (!node->is_list()) {
    error(key, "property '" + std::string(key) + "' must be a list, not " + std::string(node->kind_name()));
    return out;
  }
  for (const PropertyNode& item : node->items()) {
    if (!item.is_scalar()) {
      errors_.push_back({item.location(), what_ + ": property '" + std::string(key) + "': items must be values, not " +
                                              std::string(item.kind_name())});
      continue;
    }
    if (auto text = text_of(item)) out.push_back(std::move(*text));
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> PropertyReader::string_map(std::string_view key) {
  const PropertyNode* node = lookup(key);
  std::vector<std::pair<std::string, std::string>> out;
  if (node == nullptr) return out;
  if (!node->is_map()) {
    error(key, "property '" + std::string(key) + "' must be a map, not " + std::string(node->kind_name()));
    return out;
  }
  for (const auto& entry : node->entries()) {
    if (!entry.value.is_scalar()) {
      errors_.push_back({entry.value.location(), what_ + ": property '" + std::string(key) + "': '" + entry.key +
                                                     "' must be a value, not " + std::string(entry.value.kind_name())});
      continue;
    }
    if (auto text = text_of(entry.value)) out.emplace_back(entry.key, std::move(*text));
  }
  return out;
}

size_t PropertyReader::choice_index(std::string_view key, const std::vector<std::string_view>& names) {
  auto text = scalar(key);
  if (!text) return names.size();
  const std::string v = lower(*text);
  for (size_t i = 0; i < names.size(); ++i) {
    if (lower(names[i]) == v) return i;
  }
  std::string known;
  for (auto n : names) known += (known.empty() ? "" : ", ") + std::string(n);
  error(key, "property '" + std::string(key) + "': '" + *text + "' is not one of " + known);
  return names.size();
}

const PropertyNode* PropertyReader::node(std::string_view key) { return lookup(key); }

std::string PropertyReader::name() {
  auto text = scalar("name");
  return text && !text->empty() ? *text : default_name_;
}

void PropertyReader::finish() {
  for (const auto& entry : properties_.entries()) {
    if (std::find(known_.begin(), known_.end(), entry.key) != known_.end()) continue;
    std::vector<std::string> sorted = known_;
    std::sort(sorted.begin(), sorted.end());
    errors_.push_back({entry.key_location, what_ + ": unknown property '" + entry.key + "'" +
                                               (sorted.empty() ? " (it takes none)" : " (known: " + join(sorted) + ")")});
  }
}

}  // namespace cppbatch
