#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cppbatch/jobfile/expression.hpp"
#include "cppbatch/jobfile/record_processors.hpp"

namespace cppbatch {
namespace {

Record player() {
  Record r(make_record_layout({"id", "last", "first", "born", "debut", "score"}));
  r.set("id", "AbduKa00");
  r.set("last", "Abdul-Jabbar");
  r.set("first", "Karim");
  r.set("born", "1974");
  r.set("debut", int64_t{1996});
  r.set("score", 2.5);
  return r;
}

Value eval(std::string_view text) { return Expression::parse(text).evaluate(player()); }

TEST(ExpressionTest, ArithmeticComparisonAndLogic) {
  EXPECT_EQ(eval("debut - born"), Value{int64_t{22}});  // "1974" reads as a number
  EXPECT_EQ(eval("7 / 2"), Value{int64_t{3}});
  EXPECT_EQ(eval("7 / 2.0"), Value{3.5});
  EXPECT_EQ(eval("score * 2 + 1"), Value{6.0});
  EXPECT_EQ(eval("-(born % 100)"), Value{int64_t{-74}});
  EXPECT_EQ(eval("born >= 1970 and not (debut > 2000) || false"), Value{true});
  EXPECT_EQ(eval("last == 'Abdul-Jabbar' && first != \"Kareem\""), Value{true});
  EXPECT_EQ(eval("null == null"), Value{true});
  EXPECT_EQ(eval("born + null"), Value{});
  EXPECT_EQ(eval("null > 1"), Value{false});
}

TEST(ExpressionTest, Functions) {
  EXPECT_EQ(eval("concat(upper(last), ', ', first)"), Value{std::string("ABDUL-JABBAR, Karim")});
  EXPECT_EQ(eval("substr(id, 1, 4)"), Value{std::string("Abdu")});
  EXPECT_EQ(eval("length(trim('  ab '))"), Value{int64_t{2}});
  EXPECT_EQ(eval("replace(last, '-', ' ')"), Value{std::string("Abdul Jabbar")});
  EXPECT_EQ(eval("if(starts_with(id, 'Ab'), 'yes', 'no')"), Value{std::string("yes")});
  EXPECT_EQ(eval("coalesce(null, lower(first))"), Value{std::string("karim")});
  EXPECT_EQ(eval("round(score / 3, 2)"), Value{0.83});
  EXPECT_EQ(eval("max(int('12'), 3)"), Value{int64_t{12}});
}

TEST(ExpressionTest, EvaluateValueLeavesTheExpressionReusable) {
  auto e = Expression::parse("coalesce(null, 'constant')");
  auto up = Expression::parse("upper(first)");
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(e.evaluate_value(player()), Value{std::string("constant")});
    EXPECT_EQ(up.evaluate_value(player()), Value{std::string("KARIM")});
  }
}

TEST(ExpressionTest, ParseErrorsGiveTheColumn) {
  auto column_of = [](std::string_view text) {
    try {
      (void)Expression::parse(text);
    } catch (const ExpressionError& e) {
      return e.column();
    }
    return size_t{0};
  };
  EXPECT_EQ(column_of("born >= "), 9u);
  EXPECT_EQ(column_of("born = 1"), 6u);
  EXPECT_EQ(column_of("upper(a, b)"), 1u);
  EXPECT_EQ(column_of("nosuch(a)"), 1u);
  EXPECT_EQ(column_of("'open"), 1u);
  EXPECT_EQ(column_of("(a + b"), 7u);
  EXPECT_THROW((void)Expression::parse("a # b"), ExpressionError);
}

TEST(ExpressionTest, EvaluationErrorsNameTheExpression) {
  EXPECT_THAT([] { (void)eval("first + 1"); },
              ::testing::ThrowsMessage<ExpressionError>(::testing::HasSubstr("expression 'first + 1', column 1: 'Karim' is not a number")));
  EXPECT_THAT([] { (void)eval("nope > 1"); },
              ::testing::ThrowsMessage<ExpressionError>(::testing::HasSubstr("unknown field 'nope'")));
  EXPECT_THROW((void)eval("debut / 0"), ExpressionError);
}

TEST(RecordProcessorsTest, FilterComputeAndMap) {
  FilterRecordProcessor recent(Expression::parse("debut >= 1995"));
  FilterRecordProcessor old(Expression::parse("debut < 1995"));
  EXPECT_TRUE(recent.process(player()).has_value());
  EXPECT_FALSE(old.process(player()).has_value());

  ComputeFieldsProcessor compute({{"age", Expression::parse("debut - born")},
                                  {"label", Expression::parse("concat(id, ':', age)")},
                                  {"last", Expression::parse("upper(last)")}});
  const Record in = player();
  auto out = compute.process(in);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->layout()->joined(), "id, last, first, born, debut, score, age, label");
  EXPECT_EQ(out->get("label"), Value{std::string("AbduKa00:22")});
  EXPECT_EQ(out->get("last"), Value{std::string("ABDUL-JABBAR")});
  auto again = compute.process(in);  // same input layout: the cached output layout is shared
  EXPECT_EQ(again->layout(), out->layout());

  MapFieldsProcessor map({.select = {"id", "debut"}, .rename = {{"id", "player"}}});
  auto mapped = map.process(player());
  EXPECT_EQ(mapped->layout()->joined(), "player, debut");
  EXPECT_EQ(mapped->get("debut"), Value{int64_t{1996}});
  MapFieldsProcessor missing({.select = {"nope"}});
  EXPECT_THROW((void)missing.process(player()), RecordError);
}

}  // namespace
}  // namespace cppbatch
