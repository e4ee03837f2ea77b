// The two local JobRepository backends the step tests run on, one test
// parameter each: in memory, and SQLite in a file of the test's own that is
// removed afterwards.
//
//   class MyTest : public ::testing::TestWithParam<RepositoryBackend> {
//     void SetUp() override { repository_ = open_test_repository(GetParam(), clock_, "my"); }
//   };
//   INSTANTIATE_TEST_SUITE_P(Repositories, MyTest, kRepositoryBackends, repository_backend_name);
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "cppbatch/repository/in_memory_job_repository.hpp"
#include "cppbatch/repository/sqlite_job_repository.hpp"

namespace cppbatch::testing {

enum class RepositoryBackend { IN_MEMORY, SQLITE };

inline const auto kRepositoryBackends = ::testing::Values(RepositoryBackend::IN_MEMORY, RepositoryBackend::SQLITE);

inline std::string repository_backend_name(const ::testing::TestParamInfo<RepositoryBackend>& info) {
  return info.param == RepositoryBackend::SQLITE ? "Sqlite" : "InMemory";
}

// A fresh repository of `backend` for the running test, on `clock`; a
// SQLite file (named after `tag` and the test) is deleted with the object.
inline std::shared_ptr<JobRepository> open_test_repository(RepositoryBackend backend, Clock& clock,
                                                           const std::string& tag) {
  if (backend == RepositoryBackend::IN_MEMORY) return std::make_shared<InMemoryJobRepository>(LeaseOptions{}, clock);
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = tag + "_" + info->test_suite_name() + "_" + info->name();
  for (char& ch : name) {
    if (ch == '/') ch = '_';
  }
  std::filesystem::path path = std::filesystem::path(::testing::TempDir()) / (name + ".db");
  for (const char* suffix : {"", "-wal", "-shm", "-lock"}) std::filesystem::remove(path.string() + suffix);
  SqliteRepositoryOptions options;
  options.path = path.string();
  options.clock = &clock;
  auto opened = SqliteJobRepository::open(options);
  if (!opened.ok()) throw std::runtime_error(opened.error().to_string());
  return std::shared_ptr<JobRepository>(std::move(opened).value().release(), [path](JobRepository* repository) {
    delete repository;
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm", "-lock"}) std::filesystem::remove(path.string() + suffix, ignored);
  });
}

}  // namespace cppbatch::testing
