#include "cppbatch/core/execution_context.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

namespace cppbatch {
namespace {
constexpr const char* kNonFiniteDoubleKey = "$double";

// {"$double": "NaN" | "Infinity" | "-Infinity"} → the double, else nullopt.
std::optional<double> non_finite_double(const nlohmann::json& value) {
  if (!value.is_object() || value.size() != 1 || !value.contains(kNonFiniteDoubleKey)) return std::nullopt;
  const auto& text = value[kNonFiniteDoubleKey];
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "Infinity") return std::numeric_limits<double>::infinity();
  if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
  return std::nullopt;
}
}  // namespace

void ExecutionContext::put(std::string_view key, Value value) {
  auto it = values_.find(key);
  if (it == values_.end()) {
    values_.emplace(std::string(key), std::move(value));
    dirty_ = true;
  } else if (!(it->second == value)) {
    it->second = std::move(value);
    dirty_ = true;
  }
}

void ExecutionContext::remove(std::string_view key) {
  auto it = values_.find(key);
  if (it != values_.end()) {
    values_.erase(it);
    dirty_ = true;
  }
}

std::optional<std::string> ExecutionContext::get_string(std::string_view key) const {
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  if (auto* v = std::get_if<std::string>(&it->second)) return *v;
  return std::nullopt;
}

std::optional<int64_t> ExecutionContext::get_long(std::string_view key) const {
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  if (auto* v = std::get_if<int64_t>(&it->second)) return *v;
  return std::nullopt;
}

std::optional<double> ExecutionContext::get_double(std::string_view key) const {
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  if (auto* v = std::get_if<double>(&it->second)) return *v;
  if (auto* v = std::get_if<int64_t>(&it->second)) return static_cast<double>(*v);
  return std::nullopt;
}

std::optional<bool> ExecutionContext::get_bool(std::string_view key) const {
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  if (auto* v = std::get_if<bool>(&it->second)) return *v;
  return std::nullopt;
}

std::string ExecutionContext::to_json() const {
  nlohmann::json object = nlohmann::json::object();
  for (const auto& [key, value] : values_) {
    if (const double* d = std::get_if<double>(&value); d && !std::isfinite(*d)) {
      // JSON has no NaN/Infinity: a one-key object keeps the type.
      object[key] = {{kNonFiniteDoubleKey, std::isnan(*d) ? "NaN" : (*d > 0 ? "Infinity" : "-Infinity")}};
      continue;
    }
    std::visit([&, k = &key](const auto& v) { object[*k] = v; }, value);
  }
  return object.dump();
}

Result<ExecutionContext> ExecutionContext::from_json(std::string_view json) {
  ExecutionContext context;
  if (json.empty()) return context;
  nlohmann::json object = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (object.is_discarded() || !object.is_object()) {
    return Error(ErrorCode::STORAGE, "execution context is not a JSON object: " +
                                         std::string(json.substr(0, 200)));
  }
  for (auto& [key, value] : object.items()) {
    if (value.is_boolean()) {
      context.values_.emplace(key, value.get<bool>());
    } else if (value.is_number_integer()) {
      context.values_.emplace(key, value.get<int64_t>());
    } else if (value.is_number_float()) {
      context.values_.emplace(key, value.get<double>());
    } else if (auto special = non_finite_double(value)) {
      context.values_.emplace(key, *special);
    } else if (value.is_string()) {
      context.values_.emplace(key, value.get<std::string>());
    } else {
      context.values_.emplace(key, value.dump());
    }
  }
  return context;
}

}  // namespace cppbatch
