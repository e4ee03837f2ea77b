#include "cppbatch/infrastructure/sql_binding.hpp"

#include <stdexcept>
#include <type_traits>

namespace cppbatch {

void bind_parameters(sqlite3_stmt* statement, const std::vector<SqlBinding>& bindings) {
  const int count = sqlite3_bind_parameter_count(statement);
  for (size_t i = 0; i < bindings.size(); ++i) {
    const SqlBinding& b = bindings[i];
    int index = static_cast<int>(i) + 1;
    std::string label = "?" + std::to_string(index);
    if (!b.name.empty()) {
      label = b.name;
      char first = label.front();
      if (first != ':' && first != '@' && first != '$') label.insert(0, 1, ':');
      index = sqlite3_bind_parameter_index(statement, label.c_str());
    }
    if (index <= 0 || index > count) {
      throw std::invalid_argument("SQL parameter " + label + " does not exist in: " +
                                  sqlite3_sql(statement));
    }
    int rc = std::visit(
        [&](const auto& v) {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, std::nullptr_t>) {
            return sqlite3_bind_null(statement, index);
          } else if constexpr (std::is_same_v<V, int64_t>) {
            return sqlite3_bind_int64(statement, index, v);
          } else if constexpr (std::is_same_v<V, double>) {
            return sqlite3_bind_double(statement, index, v);
          } else {
            return sqlite3_bind_text(statement, index, v.data(), static_cast<int>(v.size()),
                                     SQLITE_TRANSIENT);
          }
        },
        b.value);
    if (rc != SQLITE_OK) {
      throw std::runtime_error("binding SQL parameter " + label + ": " + sqlite3_errstr(rc));
    }
  }
}

}  // namespace cppbatch
