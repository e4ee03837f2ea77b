// parse_job_parameter(s): the CLI form `name=value[,type[,identifying]]`
// (Spring Batch 5's DefaultJobParametersConverter notation, with short type
// names as well as Java class names).
#include "cppbatch/core/job_parameters_parser.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cppbatch {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using namespace std::chrono;

Date ymd(int y, unsigned m, unsigned d) { return Date{year{y}, month{m}, day{d}}; }

TEST(ParseJobParameterTest, NameEqualsValueIsAnIdentifyingString) {
  auto parsed = parse_job_parameter("name=settlement");
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  EXPECT_EQ(parsed->first, "name");
  EXPECT_EQ(parsed->second.type(), ParameterType::STRING);
  EXPECT_EQ(parsed->second.value(), JobParameter::Value{std::string("settlement")});
  EXPECT_TRUE(parsed->second.identifying());
}

TEST(ParseJobParameterTest, EmptyValueIsAnEmptyString) {
  auto parsed = parse_job_parameter("note=");
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  EXPECT_EQ(parsed->second.value(), JobParameter::Value{std::string()});
}

TEST(ParseJobParameterTest, ValueMayContainEqualsSigns) {
  auto parsed = parse_job_parameter("filter=a=b");
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  EXPECT_EQ(parsed->first, "filter");
  EXPECT_EQ(parsed->second.value(), JobParameter::Value{std::string("a=b")});
}

TEST(ParseJobParameterTest, ShortTypeNames) {
  auto count = parse_job_parameter("count=10,long");
  ASSERT_TRUE(count.ok()) << count.error().to_string();
  EXPECT_EQ(count->second.value(), JobParameter::Value{int64_t{10}});
  EXPECT_TRUE(count->second.identifying());

  auto rate = parse_job_parameter("rate=0.5,double");
  ASSERT_TRUE(rate.ok()) << rate.error().to_string();
  EXPECT_EQ(rate->second.value(), JobParameter::Value{0.5});

  auto date = parse_job_parameter("date=2026-01-02,date");
  ASSERT_TRUE(date.ok()) << date.error().to_string();
  EXPECT_EQ(date->second.value(), JobParameter::Value{ymd(2026, 1, 2)});

  auto at = parse_job_parameter("at=2026-01-02T10:00:00,datetime");
  ASSERT_TRUE(at.ok()) << at.error().to_string();
  EXPECT_EQ(at->second.type(), ParameterType::DATE_TIME);
  EXPECT_EQ(at->second.value_text(), "2026-01-02T10:00:00");

  auto text = parse_job_parameter("name=x,string");
  ASSERT_TRUE(text.ok()) << text.error().to_string();
  EXPECT_EQ(text->second.value(), JobParameter::Value{std::string("x")});
}

TEST(ParseJobParameterTest, JavaClassNames) {
  struct Case {
    const char* argument;
    ParameterType type;
    const char* text;
  };
  for (const Case& c : {Case{"n=10,java.lang.Long", ParameterType::LONG, "10"},
                        Case{"d=2026-01-02,java.time.LocalDate", ParameterType::DATE, "2026-01-02"},
                        Case{"t=2026-01-02T10:00:00,java.time.LocalDateTime", ParameterType::DATE_TIME,
                             "2026-01-02T10:00:00"},
                        Case{"r=1.5,java.lang.Double", ParameterType::DOUBLE, "1.5"},
                        Case{"s=hello,java.lang.String", ParameterType::STRING, "hello"}}) {
    auto parsed = parse_job_parameter(c.argument);
    ASSERT_TRUE(parsed.ok()) << c.argument << ": " << parsed.error().to_string();
    EXPECT_EQ(parsed->second.type(), c.type) << c.argument;
    EXPECT_EQ(parsed->second.value_text(), c.text) << c.argument;
    EXPECT_TRUE(parsed->second.identifying()) << c.argument;
  }
}

TEST(ParseJobParameterTest, IdentifyingFlag) {
  auto off = parse_job_parameter("count=10,long,false");
  ASSERT_TRUE(off.ok()) << off.error().to_string();
  EXPECT_FALSE(off->second.identifying());
  EXPECT_EQ(off->second.value(), JobParameter::Value{int64_t{10}});

  auto on = parse_job_parameter("date=2026-01-02,java.time.LocalDate,true");
  ASSERT_TRUE(on.ok()) << on.error().to_string();
  EXPECT_TRUE(on->second.identifying());
  EXPECT_EQ(on->second.type(), ParameterType::DATE);

  auto text = parse_job_parameter("name=x,java.lang.String,false");
  ASSERT_TRUE(text.ok()) << text.error().to_string();
  EXPECT_FALSE(text->second.identifying());
  EXPECT_EQ(text->second.value(), JobParameter::Value{std::string("x")});
}

TEST(ParseJobParameterTest, StringValuesMayContainCommas) {
  auto plain = parse_job_parameter("tags=red,green,blue");
  ASSERT_TRUE(plain.ok()) << plain.error().to_string();
  EXPECT_EQ(plain->second.value(), JobParameter::Value{std::string("red,green,blue")});

  auto typed = parse_job_parameter("tags=red,green,string");
  ASSERT_TRUE(typed.ok()) << typed.error().to_string();
  EXPECT_EQ(typed->second.value(), JobParameter::Value{std::string("red,green")});

  auto flagged = parse_job_parameter("tags=red,green,string,false");
  ASSERT_TRUE(flagged.ok()) << flagged.error().to_string();
  EXPECT_EQ(flagged->second.value(), JobParameter::Value{std::string("red,green")});
  EXPECT_FALSE(flagged->second.identifying());

  auto trailing = parse_job_parameter("csv=a,,b,");
  ASSERT_TRUE(trailing.ok()) << trailing.error().to_string();
  EXPECT_EQ(trailing->second.value(), JobParameter::Value{std::string("a,,b,")});
}

TEST(ParseJobParameterTest, MissingEqualsSignIsRefused) {
  for (const char* argument : {"date", "", "=value", "date:2026-01-02"}) {
    auto parsed = parse_job_parameter(argument);
    ASSERT_FALSE(parsed.ok()) << argument;
    EXPECT_EQ(parsed.error().code(), ErrorCode::INVALID_ARGUMENT);
    EXPECT_THAT(parsed.error().message(), HasSubstr("name=value")) << argument;
  }
}

TEST(ParseJobParameterTest, BadLongIsRefusedNamingArgumentAndType) {
  auto parsed = parse_job_parameter("count=12x,long");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code(), ErrorCode::INVALID_ARGUMENT);
  EXPECT_THAT(parsed.error().message(), AllOf(HasSubstr("count=12x,long"), HasSubstr("'12x'"), HasSubstr("long")));

  EXPECT_FALSE(parse_job_parameter("count=99999999999999999999,long").ok());
  EXPECT_FALSE(parse_job_parameter("count=,long").ok());
  EXPECT_FALSE(parse_job_parameter("count=1.5,java.lang.Long").ok());
}

TEST(ParseJobParameterTest, BadDoubleIsRefused) {
  auto parsed = parse_job_parameter("rate=abc,double");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code(), ErrorCode::INVALID_ARGUMENT);
  EXPECT_THAT(parsed.error().message(), AllOf(HasSubstr("'abc'"), HasSubstr("double")));
}

TEST(ParseJobParameterTest, BadDateIsRefusedWithTheExpectedForm) {
  auto parsed = parse_job_parameter("date=2026-02-30,date");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code(), ErrorCode::INVALID_ARGUMENT);
  EXPECT_THAT(parsed.error().message(), AllOf(HasSubstr("'2026-02-30'"), HasSubstr("YYYY-MM-DD")));

  EXPECT_FALSE(parse_job_parameter("date=02/01/2026,java.time.LocalDate").ok());
  auto at = parse_job_parameter("at=2026-01-02,datetime");
  ASSERT_FALSE(at.ok());
  EXPECT_THAT(at.error().message(), HasSubstr("datetime"));
}

TEST(ParseJobParameterTest, UnknownTypeWithFlagIsRefused) {
  auto parsed = parse_job_parameter("count=10,integer,true");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code(), ErrorCode::INVALID_ARGUMENT);
  EXPECT_THAT(parsed.error().message(), AllOf(HasSubstr("unknown type 'integer'"), HasSubstr("count=10,integer,true")));

  auto java = parse_job_parameter("when=2026-01-02,java.util.Date,false");
  ASSERT_FALSE(java.ok());
  EXPECT_THAT(java.error().message(), HasSubstr("java.util.Date"));
}

TEST(ParseJobParameterTest, FlagWithoutTypeSaysWhatIsExpected) {
  auto parsed = parse_job_parameter("x=a,true");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code(), ErrorCode::INVALID_ARGUMENT);
  EXPECT_THAT(parsed.error().message(), AllOf(HasSubstr("'true' must follow a type"), HasSubstr("name=value,string")));
  auto as_string = parse_job_parameter("x=a,true,string");
  ASSERT_TRUE(as_string.ok()) << as_string.error().to_string();
  EXPECT_EQ(as_string->second.value_text(), "a,true");
}

TEST(ParseJobParametersTest, ParsesEveryArgument) {
  auto parsed = parse_job_parameters({"date=2026-01-02,date", "count=10,long,false", "name=x"});
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  EXPECT_EQ(parsed->parameters().size(), 3u);
  EXPECT_EQ(parsed->get_date("date"), ymd(2026, 1, 2));
  EXPECT_EQ(parsed->get_long("count"), 10);
  EXPECT_FALSE(parsed->find("count")->identifying());
  EXPECT_EQ(parsed->get_string("name"), "x");
}

TEST(ParseJobParametersTest, NoArgumentsAreEmptyParameters) {
  auto parsed = parse_job_parameters({});
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->empty());
}

TEST(ParseJobParametersTest, FirstBadArgumentFails) {
  auto parsed = parse_job_parameters({"ok=1,long", "bad=x,long", "worse"});
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code(), ErrorCode::INVALID_ARGUMENT);
  EXPECT_THAT(parsed.error().message(), HasSubstr("bad=x,long"));
}

TEST(ParseJobParametersTest, DuplicateNameIsRefused) {
  auto parsed = parse_job_parameters({"date=2026-01-02,date", "date=2026-01-03,date"});
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code(), ErrorCode::INVALID_ARGUMENT);
  EXPECT_THAT(parsed.error().message(), AllOf(HasSubstr("'date'"), HasSubstr("twice")));
  // Even when the types differ.
  EXPECT_FALSE(parse_job_parameters({"n=1,long", "n=one"}).ok());
}

TEST(ParseJobParametersTest, SameKeyAsTheBuilder) {
  auto parsed = parse_job_parameters({"date=2026-01-02,java.time.LocalDate", "count=1000,java.lang.Long"});
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  // See job_parameters_test.cpp: Spring Batch's key for these parameters.
  EXPECT_EQ(parsed->job_key(), "e6f78373f8306a28fff5c317578f056a");
}

}  // namespace
}  // namespace cppbatch
