// Helpers shared by the item I/O tests: a scratch directory removed after
// each test, whole-file read/write, and the ItemStream restart contract
// checks run against every reader and writer.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <cstdlib>
#include <string>
#include <vector>

#include "cppbatch/core/execution_context.hpp"

namespace cppbatch::testing {

class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "cppbatch-io-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// What the repository would hand back on restart: the context as persisted.
inline ExecutionContext persisted(const ExecutionContext& context) {
  auto restored = ExecutionContext::from_json(context.to_json());
  EXPECT_TRUE(restored.ok());
  return restored.ok() ? std::move(restored).value() : ExecutionContext{};
}

// The restart contract of a reader: read k items, update(ctx) (commit),
// read a few more (an uncommitted chunk), then "crash" (destroy without
// update). A new instance opened with the committed context must continue
// at item k+1, so that committed + resumed items == an uninterrupted run.
template <class Reader>
void expect_reader_restart(const std::function<std::unique_ptr<Reader>()>& make, size_t k,
                           size_t uncommitted = 3) {
  using T = typename Reader::item_type;
  std::vector<T> all;
  {
    ExecutionContext ctx;
    auto reader = make();
    reader->open(ctx);
    while (auto item = reader->read()) all.push_back(std::move(*item));
    reader->close();
  }
  ASSERT_GT(all.size(), k) << "the input is too small for this k";

  std::vector<T> got;
  ExecutionContext committed;
  {
    ExecutionContext ctx;
    auto reader = make();
    reader->open(ctx);
    for (size_t i = 0; i < k; ++i) {
      auto item = reader->read();
      ASSERT_TRUE(item.has_value());
      got.push_back(std::move(*item));
    }
    reader->update(ctx);
    committed = persisted(ctx);
    for (size_t i = 0; i < uncommitted; ++i) (void)reader->read();  // lost in the crash
  }
  {
    auto reader = make();
    reader->open(committed);
    while (auto item = reader->read()) got.push_back(std::move(*item));
    EXPECT_FALSE(reader->read().has_value()) << "end of input must stay the end";
    reader->close();
  }
  EXPECT_EQ(got.size(), all.size());
  EXPECT_TRUE(got == all) << "restart at item " << k << " did not resume exactly";
}

}  // namespace cppbatch::testing
