// ExecutionContext: the typed key/value state a step or job saves at each
// checkpoint so a restart resumes exactly where it stopped (reader offsets,
// running totals...). Persisted as JSON (docs/execution-context.md).
//
// Not thread-safe: one context belongs to one step execution; partitions
// and threads get their own. Any put marks it dirty; the repository writes
// it only when dirty and clears the flag after a successful save.
//
//   ctx.put_long("reader.line", 1200);
//   int64_t line = ctx.get_long("reader.line").value_or(0);
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "cppbatch/common/result.hpp"

namespace cppbatch {

class ExecutionContext {
 public:
  using Value = std::variant<bool, int64_t, double, std::string>;

  void put_string(std::string_view key, std::string value) { put(key, Value{std::move(value)}); }
  void put_long(std::string_view key, int64_t value) { put(key, Value{value}); }
  void put_double(std::string_view key, double value) { put(key, Value{value}); }
  void put_bool(std::string_view key, bool value) { put(key, Value{value}); }
  void put(std::string_view key, Value value);
  void remove(std::string_view key);

  bool contains(std::string_view key) const { return values_.find(key) != values_.end(); }
  // nullopt when absent or of another type (a long is readable as double).
  std::optional<std::string> get_string(std::string_view key) const;
  std::optional<int64_t> get_long(std::string_view key) const;
  std::optional<double> get_double(std::string_view key) const;
  std::optional<bool> get_bool(std::string_view key) const;
  const std::map<std::string, Value, std::less<>>& values() const { return values_; }
  size_t size() const { return values_.size(); }
  bool empty() const { return values_.empty(); }

  bool dirty() const { return dirty_; }
  void clear_dirty() { dirty_ = false; }

  // JSON object, keys sorted; longs as JSON integers, doubles always with a
  // fraction or exponent so they read back as doubles. Throws
  // std::invalid_argument if a string value is not valid UTF-8 (the
  // repositories refuse such a context with INVALID_ARGUMENT).
  std::string to_json() const;
  // Parses to_json()'s output; a clean (not dirty) context. Nested values
  // are kept as their JSON text.
  static Result<ExecutionContext> from_json(std::string_view json);

  bool operator==(const ExecutionContext& other) const { return values_ == other.values_; }

 private:
  std::map<std::string, Value, std::less<>> values_;
  bool dirty_ = false;
};

}  // namespace cppbatch
