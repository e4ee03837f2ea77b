// Helpers of the PostgreSQL tests: the test server's URL (started by CTest's
// postgres_server_start fixture, scripts/postgres-test-server.sh), one schema
// per test so tests run in parallel, and a small chunk loop that plays the
// step engine's part for restart tests.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "cppbatch/core/chunk.hpp"
#include "cppbatch/core/execution_context.hpp"
#include "cppbatch/core/item_reader.hpp"
#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/core/item_writer.hpp"
#include "cppbatch/infrastructure/pg_connection.hpp"

namespace cppbatch::testing {

inline std::string read_state_file(const std::string& name) {
  const std::string path = std::string(CPPBATCH_PG_STATE_DIR) + "/" + name;
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line) || line.empty()) {
    throw std::runtime_error("no PostgreSQL test server: " + path +
                             " is missing (ctest starts one; by hand: scripts/postgres-test-server.sh start " +
                             CPPBATCH_PG_STATE_DIR + ")");
  }
  return line;
}

// postgresql://cppbatch@127.0.0.1:PORT/cppbatch_test (trust authentication)
inline std::string pg_url() { return read_state_file("url"); }

// A test in a schema of its own: url() connects with search_path set to
// it, so unqualified tables are the test's. The schema is dropped after.
class PgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    // Unique per test and process, within PostgreSQL's 63-byte identifiers:
    // a readable prefix, a hash of the full name, the pid.
    const std::string full = std::string(info->test_suite_name()) + "." + info->name();
    std::string readable = full.substr(0, 30);
    std::transform(readable.begin(), readable.end(), readable.begin(), [](unsigned char c) {
      return std::isalnum(c) ? static_cast<char>(std::tolower(c)) : '_';
    });
    char hash[17];
    std::snprintf(hash, sizeof hash, "%08zx", std::hash<std::string>{}(full) & 0xffffffffu);
    schema_ = "t_" + readable + "_" + hash + "_" + std::to_string(::getpid());
    base_url_ = pg_url();
    db_ = std::make_unique<PgConnection>(base_url_);
    db_->execute("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE; CREATE SCHEMA " + schema_);
    db_->execute("SET search_path TO " + schema_);
  }
  void TearDown() override {
    if (db_) db_->execute("SET search_path TO public; DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
  }

  // The server's URL with search_path set to this test's schema.
  std::string url() const { return base_url_ + "?options=-csearch_path%3D" + schema_; }
  int64_t count(const std::string& table, const std::string& where = "true") {
    return db_->query_long("SELECT count(*) FROM " + table + " WHERE " + where).value_or(-1);
  }
  // The rows of `sql` as text lines "a|b|c" (NULL as ""), in the query's order.
  std::vector<std::string> rows(const std::string& sql) {
    std::vector<std::string> out;
    auto all = db_->query_string(
        "SELECT coalesce(string_agg(line, E'\\n' ORDER BY n), '') FROM (SELECT row_number() OVER () AS n, "
        "(SELECT string_agg(coalesce(f.value, ''), '|' ORDER BY f.i) FROM json_each_text(row_to_json(q)) "
        "WITH ORDINALITY AS f(key, value, i)) AS line FROM (" + sql + ") q) r");
    std::string text = all.value_or("");
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      out.push_back(text.substr(start, end - start));
      start = end + 1;
    }
    return out;
  }

  std::string schema_;
  std::string base_url_;
  std::unique_ptr<PgConnection> db_;
};

// What the repository hands back on restart: the context as persisted.
inline ExecutionContext persisted(const ExecutionContext& context) {
  auto restored = ExecutionContext::from_json(context.to_json());
  EXPECT_TRUE(restored.ok());
  return restored.ok() ? std::move(restored).value() : ExecutionContext{};
}

// The chunk loop of a step without fault tolerance: open the streams with
// `committed`, then per chunk read up to `chunk_size` items, write them,
// update the streams and "commit" (committed = the persisted context).
// An exception ends the run (the chunk is lost, `committed` keeps the last
// checkpoint) and is returned as its message; "" when the run completed.
template <class T>
std::string run_chunks(ItemReader<T>& reader, ItemWriter<T>& writer, ExecutionContext& committed, size_t chunk_size) {
  auto* reader_stream = dynamic_cast<ItemStream*>(&reader);
  auto* writer_stream = dynamic_cast<ItemStream*>(&writer);
  ExecutionContext ctx = committed;
  std::string failure;
  try {
    if (reader_stream != nullptr) reader_stream->open(ctx);
    if (writer_stream != nullptr) writer_stream->open(ctx);
    for (;;) {
      Chunk<T> chunk;
      while (chunk.size() < chunk_size) {
        auto item = reader.read();
        if (!item) break;
        chunk.add(std::move(*item));
      }
      if (chunk.empty()) break;
      writer.write(chunk);
      if (reader_stream != nullptr) reader_stream->update(ctx);
      if (writer_stream != nullptr) writer_stream->update(ctx);
      committed = persisted(ctx);
      if (chunk.size() < chunk_size) break;
    }
  } catch (const std::exception& e) {
    failure = e.what();
  }
  if (reader_stream != nullptr) reader_stream->close();
  if (writer_stream != nullptr) writer_stream->close();
  return failure;
}

}  // namespace cppbatch::testing
