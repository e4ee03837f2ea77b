// Result<T> / Error: the typed refusal every framework operation returns.
#include "cppbatch/common/result.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace cppbatch {
namespace {

TEST(ErrorCodeTest, EveryCodeHasItsName) {
  EXPECT_EQ(to_string(ErrorCode::INVALID_ARGUMENT), "INVALID_ARGUMENT");
  EXPECT_EQ(to_string(ErrorCode::NOT_FOUND), "NOT_FOUND");
  EXPECT_EQ(to_string(ErrorCode::ALREADY_COMPLETE), "ALREADY_COMPLETE");
  EXPECT_EQ(to_string(ErrorCode::ALREADY_RUNNING), "ALREADY_RUNNING");
  EXPECT_EQ(to_string(ErrorCode::NOT_RESTARTABLE), "NOT_RESTARTABLE");
  EXPECT_EQ(to_string(ErrorCode::ILLEGAL_STATE), "ILLEGAL_STATE");
  EXPECT_EQ(to_string(ErrorCode::CONFLICT), "CONFLICT");
  EXPECT_EQ(to_string(ErrorCode::STORAGE), "STORAGE");
  EXPECT_EQ(to_string(ErrorCode::IO), "IO");
  EXPECT_EQ(to_string(ErrorCode::INTERNAL), "INTERNAL");
}

TEST(ErrorTest, CarriesCodeAndMessage) {
  Error error(ErrorCode::NOT_FOUND, "no job named 'x'");
  EXPECT_EQ(error.code(), ErrorCode::NOT_FOUND);
  EXPECT_EQ(error.message(), "no job named 'x'");
  EXPECT_EQ(error.to_string(), "NOT_FOUND: no job named 'x'");
}

TEST(ResultTest, HoldsAValue) {
  Result<int> result = 42;
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(static_cast<bool>(result));
  EXPECT_EQ(result.value(), 42);
  EXPECT_EQ(*result, 42);
}

TEST(ResultTest, HoldsAnError) {
  Result<int> result = Error(ErrorCode::CONFLICT, "stale version");
  ASSERT_FALSE(result.ok());
  EXPECT_FALSE(static_cast<bool>(result));
  EXPECT_EQ(result.error().code(), ErrorCode::CONFLICT);
  EXPECT_EQ(result.error().message(), "stale version");
}

TEST(ResultTest, ArrowReachesTheValue) {
  Result<std::string> result = std::string("hello");
  EXPECT_EQ(result->size(), 5u);
  const Result<std::string>& view = result;
  EXPECT_EQ(view->front(), 'h');
  result.value() += "!";
  EXPECT_EQ(*result, "hello!");
}

TEST(ResultTest, MoveOnlyValuesCanBeTakenOut) {
  Result<std::unique_ptr<int>> result = std::make_unique<int>(7);
  ASSERT_TRUE(result.ok());
  std::unique_ptr<int> owned = std::move(result).value();
  ASSERT_NE(owned, nullptr);
  EXPECT_EQ(*owned, 7);
}

TEST(ResultTest, StringValueIsNotMistakenForAnError) {
  Result<std::vector<std::string>> result = std::vector<std::string>{"a", "b"};
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->size(), 2u);
}

TEST(ResultVoidTest, DefaultIsOk) {
  Result<void> result;
  EXPECT_TRUE(result.ok());
  EXPECT_TRUE(static_cast<bool>(result));
  EXPECT_TRUE(ok_result().ok());
}

TEST(ResultVoidTest, HoldsAnError) {
  Result<void> result = Error(ErrorCode::ILLEGAL_STATE, "not running");
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::ILLEGAL_STATE);
  EXPECT_EQ(result.error().to_string(), "ILLEGAL_STATE: not running");
}

Result<int> half(int n) {
  if (n % 2 != 0) return Error(ErrorCode::INVALID_ARGUMENT, std::to_string(n) + " is odd");
  return n / 2;
}

Result<void> check_even(int n) {
  if (n % 2 != 0) return Error(ErrorCode::INVALID_ARGUMENT, "odd");
  return {};
}

Result<int> quarter(int n) {
  auto h = half(n);
  if (!h) return h.error();
  return half(*h);
}

Result<int> checked_double(int n) {
  CPPBATCH_RETURN_IF_ERROR(check_even(n));
  CPPBATCH_RETURN_IF_ERROR(half(n));
  return n * 2;
}

TEST(ResultTest, ErrorsPropagate) {
  EXPECT_EQ(quarter(8).value(), 2);
  auto failed = quarter(6);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message(), "3 is odd");
}

TEST(ResultTest, ReturnIfErrorMacroReturnsTheFirstError) {
  EXPECT_EQ(checked_double(4).value(), 8);
  auto failed = checked_double(3);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code(), ErrorCode::INVALID_ARGUMENT);
  EXPECT_EQ(failed.error().message(), "odd");
}

}  // namespace
}  // namespace cppbatch
