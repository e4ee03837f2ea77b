// ExecutionContext: typed values, dirty tracking (what the repository uses
// to decide whether to write the context) and the JSON form it is stored in.
#include "cppbatch/core/execution_context.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace cppbatch {
namespace {

using ::testing::HasSubstr;

TEST(ExecutionContextTest, TypedPutAndGet) {
  ExecutionContext ctx;
  ctx.put_string("s", "text");
  ctx.put_long("l", 42);
  ctx.put_double("d", 2.5);
  ctx.put_bool("b", true);
  EXPECT_EQ(ctx.get_string("s"), "text");
  EXPECT_EQ(ctx.get_long("l"), 42);
  EXPECT_EQ(ctx.get_double("d"), 2.5);
  EXPECT_EQ(ctx.get_bool("b"), true);
  EXPECT_EQ(ctx.size(), 4u);
  EXPECT_FALSE(ctx.empty());
  EXPECT_TRUE(ctx.contains("s"));
  EXPECT_FALSE(ctx.contains("x"));
}

TEST(ExecutionContextTest, AbsentKeysAreEmpty) {
  ExecutionContext ctx;
  EXPECT_TRUE(ctx.empty());
  EXPECT_FALSE(ctx.get_string("x"));
  EXPECT_FALSE(ctx.get_long("x"));
  EXPECT_FALSE(ctx.get_double("x"));
  EXPECT_FALSE(ctx.get_bool("x"));
}

TEST(ExecutionContextTest, GettersOfAnotherTypeAreEmptyExceptLongAsDouble) {
  ExecutionContext ctx;
  ctx.put_long("l", 3);
  ctx.put_double("d", 1.5);
  ctx.put_string("s", "7");
  ctx.put_bool("b", false);
  EXPECT_EQ(ctx.get_double("l"), 3.0);  // a long is readable as double
  EXPECT_FALSE(ctx.get_long("d"));
  EXPECT_FALSE(ctx.get_long("s"));
  EXPECT_FALSE(ctx.get_string("l"));
  EXPECT_FALSE(ctx.get_bool("l"));
  EXPECT_FALSE(ctx.get_long("b"));
}

TEST(ExecutionContextTest, PutReplacesTheValueAndItsType) {
  ExecutionContext ctx;
  ctx.put_long("k", 1);
  ctx.put_string("k", "now text");
  EXPECT_FALSE(ctx.get_long("k"));
  EXPECT_EQ(ctx.get_string("k"), "now text");
  EXPECT_EQ(ctx.size(), 1u);
}

TEST(ExecutionContextTest, Remove) {
  ExecutionContext ctx;
  ctx.put_long("k", 1);
  ctx.remove("k");
  EXPECT_FALSE(ctx.contains("k"));
  EXPECT_TRUE(ctx.empty());
}

// ----------------------------------------------------------- dirty flag

TEST(ExecutionContextDirtyTest, NewContextIsClean) { EXPECT_FALSE(ExecutionContext().dirty()); }

TEST(ExecutionContextDirtyTest, PutMakesItDirtyUntilCleared) {
  ExecutionContext ctx;
  ctx.put_long("k", 1);
  EXPECT_TRUE(ctx.dirty());
  ctx.clear_dirty();
  EXPECT_FALSE(ctx.dirty());
  EXPECT_EQ(ctx.get_long("k"), 1);  // clearing the flag keeps the values
}

TEST(ExecutionContextDirtyTest, PuttingTheSameValueAgainIsNotAChange) {
  ExecutionContext ctx;
  ctx.put_long("k", 1);
  ctx.put_string("s", "x");
  ctx.clear_dirty();
  ctx.put_long("k", 1);
  ctx.put_string("s", "x");
  EXPECT_FALSE(ctx.dirty());
  ctx.put_long("k", 2);
  EXPECT_TRUE(ctx.dirty());
}

TEST(ExecutionContextDirtyTest, SameNumberOfAnotherTypeIsAChange) {
  ExecutionContext ctx;
  ctx.put_long("k", 1);
  ctx.clear_dirty();
  ctx.put_double("k", 1.0);
  EXPECT_TRUE(ctx.dirty());
  EXPECT_FALSE(ctx.get_long("k"));
}

TEST(ExecutionContextDirtyTest, RemoveIsAChangeOnlyIfTheKeyExisted) {
  ExecutionContext ctx;
  ctx.put_long("k", 1);
  ctx.clear_dirty();
  ctx.remove("absent");
  EXPECT_FALSE(ctx.dirty());
  ctx.remove("k");
  EXPECT_TRUE(ctx.dirty());
}

TEST(ExecutionContextDirtyTest, EqualityIgnoresTheFlag) {
  ExecutionContext a;
  a.put_long("k", 1);
  ExecutionContext b = a;
  b.clear_dirty();
  EXPECT_EQ(a, b);
  b.put_long("k", 2);
  EXPECT_NE(a, b);
}

// ------------------------------------------------------------------ JSON

ExecutionContext round_trip(const ExecutionContext& ctx) {
  auto parsed = ExecutionContext::from_json(ctx.to_json());
  EXPECT_TRUE(parsed.ok()) << ctx.to_json();
  return parsed.ok() ? std::move(parsed).value() : ExecutionContext();
}

TEST(ExecutionContextJsonTest, EmptyContextIsAnEmptyObject) {
  EXPECT_EQ(ExecutionContext().to_json(), "{}");
  auto parsed = ExecutionContext::from_json("{}");
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->empty());
}

TEST(ExecutionContextJsonTest, KeysAreSortedAndTypesAreJsonTypes) {
  ExecutionContext ctx;
  ctx.put_string("z", "text");
  ctx.put_long("a", 42);
  ctx.put_bool("m", true);
  ctx.put_double("d", 2.5);
  EXPECT_EQ(ctx.to_json(), R"({"a":42,"d":2.5,"m":true,"z":"text"})");
}

TEST(ExecutionContextJsonTest, DoublesKeepAFractionSoTheyReadBackAsDoubles) {
  ExecutionContext ctx;
  ctx.put_double("two", 2.0);
  ctx.put_long("two_long", 2);
  std::string json = ctx.to_json();
  EXPECT_THAT(json, HasSubstr(R"("two":2.0)"));
  EXPECT_THAT(json, HasSubstr(R"("two_long":2)"));

  ExecutionContext back = round_trip(ctx);
  EXPECT_EQ(back.get_double("two"), 2.0);
  EXPECT_FALSE(back.get_long("two")) << "2.0 must stay a double";
  EXPECT_EQ(back.get_long("two_long"), 2);
  EXPECT_EQ(back, ctx);
}

TEST(ExecutionContextJsonTest, RoundTripsEveryType) {
  ExecutionContext ctx;
  ctx.put_long("max", std::numeric_limits<int64_t>::max());
  ctx.put_long("min", std::numeric_limits<int64_t>::min());
  ctx.put_long("zero", 0);
  ctx.put_long("negative", -17);
  ctx.put_double("tiny", 1e-300);
  ctx.put_double("huge", 1e300);
  ctx.put_double("third", 1.0 / 3.0);
  ctx.put_double("negative_double", -0.5);
  ctx.put_double("zero_double", 0.0);
  ctx.put_bool("yes", true);
  ctx.put_bool("no", false);
  ctx.put_string("empty", "");
  ExecutionContext back = round_trip(ctx);
  EXPECT_EQ(back, ctx);
  EXPECT_EQ(back.get_long("max"), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(back.get_long("min"), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(back.get_double("third"), 1.0 / 3.0);
  EXPECT_EQ(back.get_double("zero_double"), 0.0);
  EXPECT_FALSE(back.get_long("zero_double"));
  EXPECT_EQ(back.get_bool("no"), false);
  EXPECT_FALSE(back.get_long("yes")) << "a bool must not read back as a number";
}

TEST(ExecutionContextJsonTest, StringsWithQuotesControlCharactersAndUnicode) {
  ExecutionContext ctx;
  ctx.put_string("quotes", R"(say "hi" \ bye)");
  ctx.put_string("control", "line1\nline2\ttab\r\x01");
  ctx.put_string("unicode", "Z\xc3\xbcrich \xe2\x82\xac \xf0\x9f\x98\x80");  // Zürich € 😀
  ctx.put_string("json_like", R"({"not":"nested"})");
  ctx.put_string("k\"ey with \"quotes\"", "v");
  ExecutionContext back = round_trip(ctx);
  EXPECT_EQ(back, ctx);
  EXPECT_EQ(back.get_string("unicode"), "Z\xc3\xbcrich \xe2\x82\xac \xf0\x9f\x98\x80");
  EXPECT_EQ(back.get_string("json_like"), R"({"not":"nested"})");
}

TEST(ExecutionContextJsonTest, ParsedContextIsClean) {
  auto parsed = ExecutionContext::from_json(R"({"a":1})");
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(parsed->dirty());
  EXPECT_EQ(parsed->get_long("a"), 1);
}

TEST(ExecutionContextJsonTest, EmptyTextIsAnEmptyContext) {
  auto parsed = ExecutionContext::from_json("");
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->empty());
}

TEST(ExecutionContextJsonTest, JsonWrittenByOthersReadsAsTheClosestType) {
  auto parsed = ExecutionContext::from_json(R"({"i":7,"f":7.25,"e":1e3,"t":true,"s":"x","u":"\u00e9"})");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->get_long("i"), 7);
  EXPECT_EQ(parsed->get_double("f"), 7.25);
  EXPECT_EQ(parsed->get_double("e"), 1000.0);
  EXPECT_FALSE(parsed->get_long("e"));
  EXPECT_EQ(parsed->get_bool("t"), true);
  EXPECT_EQ(parsed->get_string("s"), "x");
  EXPECT_EQ(parsed->get_string("u"), "\xc3\xa9");
}

TEST(ExecutionContextJsonTest, NestedValuesAreKeptAsJsonText) {
  auto parsed = ExecutionContext::from_json(R"({"obj":{"b":1},"arr":[1,2],"nil":null})");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->get_string("obj"), R"({"b":1})");
  EXPECT_EQ(parsed->get_string("arr"), "[1,2]");
  EXPECT_EQ(parsed->get_string("nil"), "null");
}

// The JSON contract: "doubles ... read back as doubles" — including NaN and
// ±Infinity, which JSON cannot spell. (Regression: they were written as
// null and came back as the string "null".)
TEST(ExecutionContextJsonTest, NonFiniteDoublesReadBackAsDoubles) {
  ExecutionContext ctx;
  ctx.put_double("nan", std::numeric_limits<double>::quiet_NaN());
  ctx.put_double("inf", std::numeric_limits<double>::infinity());
  ctx.put_double("minus_inf", -std::numeric_limits<double>::infinity());
  auto parsed = ExecutionContext::from_json(ctx.to_json());
  ASSERT_TRUE(parsed.ok()) << ctx.to_json();
  ASSERT_TRUE(parsed->get_double("nan").has_value()) << ctx.to_json();
  EXPECT_TRUE(std::isnan(*parsed->get_double("nan")));
  EXPECT_EQ(parsed->get_double("inf"), std::numeric_limits<double>::infinity()) << ctx.to_json();
  EXPECT_EQ(parsed->get_double("minus_inf"), -std::numeric_limits<double>::infinity()) << ctx.to_json();
}

TEST(ExecutionContextJsonTest, InvalidJsonIsAnError) {
  for (const char* json : {"not json", "{", R"({"a":})", "[1,2,3]", "42", R"("text")", "null", "{} trailing"}) {
    auto parsed = ExecutionContext::from_json(json);
    ASSERT_FALSE(parsed.ok()) << json;
    EXPECT_THAT(parsed.error().message(), HasSubstr("execution context")) << json;
  }
}

}  // namespace
}  // namespace cppbatch
