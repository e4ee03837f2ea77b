// SortKey and KeyEncoder: the keys of the sort, merge and split utilities
// (file_sort.hpp, file_merge.hpp), given by field name (records with names,
// e.g. from a header) or by 0-based column, compared as text (byte-wise) or
// as numbers, ascending or descending.
//
// A KeyEncoder turns the key fields of a record into one byte string whose
// byte-wise order (memcmp, shorter first on a tie) is the order the keys
// ask for: text is escaped and terminated, numbers become 8 order-preserving
// bytes, descending keys are bit-inverted. Sorting and merging then compare
// plain bytes, whatever the keys.
//
//   auto keys = parse_sort_keys("year:numeric:desc,team");   // or a vector<SortKey>
//   KeyEncoder encoder(keys);
//   encoder.resolve(reader.names());             // names → columns (once)
//   std::string key;
//   encoder.encode(*fieldset, key);              // ParseError on a bad number
//
// Numbers are read as doubles (FieldSet::read_double: integers beyond 2^53
// lose precision); a blank or non-numeric value is a ParseError naming the
// file, line and field. -0 equals 0; NaN sorts after +inf. Immutable once
// resolved: encode() is const and safe from several threads.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cppbatch/infrastructure/field_set.hpp"

namespace cppbatch {

enum class SortKeyType { STRING, NUMERIC };
enum class SortOrder { ASCENDING, DESCENDING };

struct SortKey {
  // The field's name (needs names: a header or explicit names) ...
  std::string field{};
  // ... or, when `field` is empty, its 0-based column.
  std::optional<size_t> column{};
  SortKeyType type = SortKeyType::STRING;
  SortOrder order = SortOrder::ASCENDING;
};

// "name[:string|numeric][:asc|desc],..." (a name of only digits is a
// 0-based column: "2:numeric"). std::invalid_argument on a bad spec.
std::vector<SortKey> parse_sort_keys(std::string_view spec);
// The spec text of `keys` (for messages): "year:numeric:desc,team:string:asc".
std::string describe_sort_keys(const std::vector<SortKey>& keys);

class KeyEncoder {
 public:
  // std::invalid_argument when `keys` is empty or a key has neither a field
  // nor a column.
  explicit KeyEncoder(std::vector<SortKey> keys);

  // Maps field names to columns. Must be called before encode() when a key
  // names a field; std::invalid_argument naming the field and the known
  // names when one is unknown (or when there are no names).
  void resolve(const FieldNames& names);
  bool resolved() const { return resolved_; }

  // Appends the encoded key of `fields` to `out`. ParseError (file, line,
  // field) when a key column is missing or a numeric key is not a number.
  void encode(const FieldSet& fields, std::string& out) const;
  // "year=1996, team=mia" (for messages).
  std::string describe(const FieldSet& fields) const;

  const std::vector<SortKey>& keys() const { return keys_; }

 private:
  std::vector<SortKey> keys_;
  std::vector<size_t> columns_;
  bool resolved_ = false;
};

}  // namespace cppbatch
