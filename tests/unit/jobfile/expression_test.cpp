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
              ::testing::ThrowsMessage<ExpressionError>(::testing::HasSubstr("expression 'first + 1', column 1: field 'first': 'Karim' is not a number")));
  EXPECT_THAT([] { (void)eval("nope > 1"); },
              ::testing::ThrowsMessage<ExpressionError>(::testing::HasSubstr("unknown field 'nope'")));
  EXPECT_THROW((void)eval("debut / 0"), ExpressionError);
  // The same errors through the typed paths (a filter's test, a numeric comparison).
  EXPECT_THAT([] { (void)Expression::parse("first >= 1 and born > 0").test(player()); },
              ::testing::ThrowsMessage<ExpressionError>(::testing::HasSubstr(
                  "expression 'first >= 1 and born > 0', column 1: field 'first': 'Karim' is not a number")));
  EXPECT_THAT([] { (void)Expression::parse("born and true").test(player()); },
              ::testing::ThrowsMessage<ExpressionError>(::testing::HasSubstr("column 1: field 'born': '1974' is not true or false")));
  // A literal sub-expression that fails is not folded away: it fails when evaluated, not when parsed.
  auto guarded = Expression::parse("if(debut > 0, 1, 1 / 0)");
  EXPECT_EQ(guarded.evaluate(player()), Value{int64_t{1}});
  EXPECT_THAT([] { (void)eval("1 + 2 / 0"); },
              ::testing::ThrowsMessage<ExpressionError>(::testing::HasSubstr("column 7: division by zero")));
}

TEST(ExpressionTest, TypedPathsAgreeWithValues) {
  // Each condition evaluated as a value and as a test gives the same answer.
  for (const char* text : {"born >= 1974", "born > 1974", "1974 == born", "born != 1974.0", "-born < -1973",
                           "born == null", "born != null", "null != born + 1", "null == born + null", "score * 2 == 5",
                           "debut - born == 22", "not (born < 2000) or first == 'Karim'", "born + 1 > debut"}) {
    SCOPED_TRACE(text);
    const Expression e = Expression::parse(text);
    const Value v = e.evaluate(player());
    ASSERT_TRUE(std::holds_alternative<bool>(v));
    EXPECT_EQ(e.test(player()), std::get<bool>(v));
  }
  EXPECT_FALSE(Expression::parse("born == null").test(player()));
  EXPECT_TRUE(Expression::parse("born + null == null").test(player()));
  EXPECT_FALSE(Expression::parse("born + null != null").test(player()));
  EXPECT_FALSE(Expression::parse("born + null < 3").test(player()));
}

TEST(ExpressionTest, FieldsAreResolvedPerLayoutAndConvertedPerEvaluation) {
  const Expression e = Expression::parse("born * 2 - born");  // `born` read twice per evaluation
  EXPECT_EQ(e.evaluate(player()), Value{int64_t{1974}});
  Record other(make_record_layout({"born"}));  // another layout: born at another place
  other.set("born", "2001");
  EXPECT_EQ(e.evaluate(other), Value{int64_t{2001}});
  other.set("born", "2002");  // same layout, new value: converted again
  EXPECT_EQ(e.evaluate(other), Value{int64_t{2002}});
  Record no_born(make_record_layout({"x"}));
  EXPECT_THAT([&] { (void)e.evaluate(no_born); },
              ::testing::ThrowsMessage<ExpressionError>(::testing::HasSubstr("unknown field 'born' (fields: x)")));
  EXPECT_EQ(e.evaluate(player()), Value{int64_t{1974}});
  // A copy resolves on its own.
  const Expression copy = e;
  EXPECT_EQ(copy.evaluate(other), Value{int64_t{2002}});
  EXPECT_EQ(copy.fields(), (std::vector<std::string>{"born"}));
}

TEST(ExpressionTest, LiteralsAreFolded) {
  // Folded sub-expressions keep their meaning and the expression its fields.
  EXPECT_EQ(eval("born + (60 * 60 * 24)"), Value{int64_t{1974 + 86400}});
  EXPECT_EQ(eval("concat('a', 'b') == 'ab'"), Value{true});
  EXPECT_EQ(eval("-(-7)"), Value{int64_t{7}});
  EXPECT_EQ(Expression::parse("upper('x') == last").fields(), (std::vector<std::string>{"last"}));

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
