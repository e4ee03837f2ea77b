// PgPagingReader<T>: a thread-safe, restartable ItemReader over a
// PostgreSQL SELECT, one keyset page at a time (see
// keyset_paging_reader.hpp for paging, threads and restart).
//
//   PgPagingReader<Game> reader(
//       {.url = "postgresql://batch@db/football",
//        .sql = "SELECT id, player, yards FROM games WHERE year >= :min_year",
//        .sort_key = "id", .page_size = 1000,
//        .parameter_sources = {job_parameter(":min_year", scope)}},
//       [](const PgRow& row) { return Game{row.get_long(0), std::string(row.get_string(1)), row.get_long(2)}; });
//
// `sql` needs no ORDER BY; sort_key is a column of its result. Both page
// statements are prepared once at open(); each page is its own short
// statement in autocommit (no snapshot spans pages), the next one sent as
// soon as a full page arrives (the server produces it while this one is
// mapped). The reader connects at open() and disconnects at close(). Keys
// compare with the column's type and collation, like the ORDER BY.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cppbatch/infrastructure/keyset_paging_reader.hpp"
#include "cppbatch/infrastructure/pg_row.hpp"
#include "cppbatch/infrastructure/sql_parameter_source.hpp"

namespace cppbatch {

struct PgPagingOptions {
  // Connection URL (postgresql://...). Required.
  std::string url{};
  // The SELECT (without ORDER BY / LIMIT). Required.
  std::string sql{};
  // The unique, non-NULL result column pages are ordered and keyed by. Required.
  std::string sort_key{};
  // Rows per page (per query).
  size_t page_size = 1000;
  // Parameters of `sql` (:name or positional $n): fixed, and resolved at open().
  std::vector<SqlBinding> bindings{};
  std::vector<SqlParameterSource> parameter_sources{};
  // Prefix of the context keys <name>.read.count, <name>.last.key.
  std::string name = "pgPagingReader";
  // false (multi-threaded steps): update() saves nothing, open() ignores saved state.
  bool save_state = true;
};

namespace internal {

// The page query of PgPagingReader.
class PgPageQuery {
 public:
  explicit PgPageQuery(PgPagingOptions options);
  ~PgPageQuery();
  void open(const ExecutionContext& context);
  void close();
  void fetch(const std::optional<SqlValue>& after, const std::function<void(const PgRow&, SqlValue&&)>& on_row);

 private:
  struct Impl;
  PgPagingOptions options_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace internal

template <class T>
class PgPagingReader : public KeysetPagingReader<T, PgRow> {
 public:
  PgPagingReader(PgPagingOptions options, typename KeysetPagingReader<T, PgRow>::Mapper mapper)
      : KeysetPagingReader<T, PgRow>(options.name, options.save_state, options.page_size, std::move(mapper)),
        query_(std::move(options)) {}
  ~PgPagingReader() override { query_.close(); }

 protected:
  void open_source(const ExecutionContext& context) override { query_.open(context); }
  void close_source() override { query_.close(); }
  void fetch_page(const std::optional<SqlValue>& after,
                  const std::function<void(const PgRow&, SqlValue&&)>& on_row) override {
    query_.fetch(after, on_row);
  }

 private:
  internal::PgPageQuery query_;
};

}  // namespace cppbatch
