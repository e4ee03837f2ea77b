// JobParameters: typed values, the identifying subset, and the job key,
// which must equal Spring Batch 5's DefaultJobKeyGenerator so that a Spring
// Batch and a cppbatch repository agree on what a JobInstance is:
//
//   for each identifying parameter, sorted by name:
//     NAME={value=VALUE, type=class FQCN, identifying=true};
//   key = lower-case hex MD5 of the UTF-8 bytes of that string
//
// where VALUE is Java's toString of the value (Double.toString,
// LocalDate.toString, LocalDateTime.toString).
#include "cppbatch/core/job_parameters.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "cppbatch/common/hashing.hpp"

namespace cppbatch {
namespace {

using namespace std::chrono;

Date ymd(int y, unsigned m, unsigned d) { return Date{year{y}, month{m}, day{d}}; }
DateTime at(Date date, int h, int mi, int s = 0, long micros = 0) {
  return DateTime{local_days{date}.time_since_epoch() + hours{h} + minutes{mi} + seconds{s} + microseconds{micros}};
}

// One entry of Spring's key string, built by hand.
std::string spring_entry(const std::string& name, const std::string& value, const std::string& fqcn) {
  return name + "={value=" + value + ", type=class " + fqcn + ", identifying=true};";
}

// ------------------------------------------------------------ the model

TEST(JobParameterTest, TypeFollowsTheValue) {
  EXPECT_EQ(JobParameter(std::string("x")).type(), ParameterType::STRING);
  EXPECT_EQ(JobParameter(int64_t{1}).type(), ParameterType::LONG);
  EXPECT_EQ(JobParameter(1.5).type(), ParameterType::DOUBLE);
  EXPECT_EQ(JobParameter(ymd(2026, 1, 2)).type(), ParameterType::DATE);
  EXPECT_EQ(JobParameter(at(ymd(2026, 1, 2), 10, 0)).type(), ParameterType::DATE_TIME);
}

TEST(JobParameterTest, IdentifyingByDefault) {
  EXPECT_TRUE(JobParameter(int64_t{1}).identifying());
  EXPECT_FALSE(JobParameter(int64_t{1}, false).identifying());
}

TEST(JobParameterTest, JavaTypeNames) {
  EXPECT_EQ(JobParameter(std::string("x")).type_name(), "java.lang.String");
  EXPECT_EQ(JobParameter(int64_t{1}).type_name(), "java.lang.Long");
  EXPECT_EQ(JobParameter(1.5).type_name(), "java.lang.Double");
  EXPECT_EQ(JobParameter(ymd(2026, 1, 2)).type_name(), "java.time.LocalDate");
  EXPECT_EQ(JobParameter(at(ymd(2026, 1, 2), 10, 0)).type_name(), "java.time.LocalDateTime");
}

TEST(JobParameterTest, ValueTextAsStored) {
  EXPECT_EQ(JobParameter(std::string("a b,c")).value_text(), "a b,c");
  EXPECT_EQ(JobParameter(int64_t{42}).value_text(), "42");
  EXPECT_EQ(JobParameter(int64_t{-7}).value_text(), "-7");
  EXPECT_EQ(JobParameter(ymd(2026, 1, 2)).value_text(), "2026-01-02");
  EXPECT_EQ(JobParameter(at(ymd(2026, 1, 2), 10, 0)).value_text(), "2026-01-02T10:00:00");
}

TEST(JobParameterTest, StoredTextParsesBackToTheSameValue) {
  for (const JobParameter& p :
       {JobParameter(std::string("hello")), JobParameter(int64_t{std::numeric_limits<int64_t>::min()}),
        JobParameter(0.1), JobParameter(1e300), JobParameter(-2.5e-9), JobParameter(ymd(2024, 2, 29)),
        JobParameter(at(ymd(2026, 1, 2), 10, 0, 0, 120'000))}) {
    auto parsed = parse_parameter_value(p.type(), p.value_text());
    ASSERT_TRUE(parsed) << p.value_text();
    EXPECT_EQ(*parsed, p.value()) << p.value_text();
  }
}

TEST(JobParameterTest, JavaDoubleToString) {
  auto java = [](double v) { return JobParameter(v).value_java_text(); };
  EXPECT_EQ(java(1.0), "1.0");
  EXPECT_EQ(java(1.5), "1.5");
  EXPECT_EQ(java(-1.5), "-1.5");
  EXPECT_EQ(java(100.0), "100.0");
  EXPECT_EQ(java(0.0), "0.0");
  EXPECT_EQ(java(0.1), "0.1");
  EXPECT_EQ(java(0.30000000000000004), "0.30000000000000004");
  EXPECT_EQ(java(0.001), "0.001");         // lower bound of decimal notation
  EXPECT_EQ(java(1.0e-4), "1.0E-4");       // below it: computerized scientific notation
  EXPECT_EQ(java(1.25e-5), "1.25E-5");
  EXPECT_EQ(java(1234567.0), "1234567.0");  // just below 10^7
  EXPECT_EQ(java(9999999.5), "9999999.5");
  EXPECT_EQ(java(1.0e7), "1.0E7");         // 10^7 and above: scientific
  EXPECT_EQ(java(12345678.9), "1.23456789E7");
  EXPECT_EQ(java(-3.0e10), "-3.0E10");
  EXPECT_EQ(java(1.0e300), "1.0E300");
}

TEST(JobParameterTest, JavaTextOfOtherTypes) {
  EXPECT_EQ(JobParameter(std::string("x y")).value_java_text(), "x y");
  EXPECT_EQ(JobParameter(int64_t{1000}).value_java_text(), "1000");
  EXPECT_EQ(JobParameter(ymd(2026, 1, 2)).value_java_text(), "2026-01-02");
  EXPECT_EQ(JobParameter(at(ymd(2026, 1, 2), 10, 0)).value_java_text(), "2026-01-02T10:00");
  EXPECT_EQ(JobParameter(at(ymd(2026, 1, 2), 10, 0, 30)).value_java_text(), "2026-01-02T10:00:30");
  EXPECT_EQ(JobParameter(at(ymd(2026, 1, 2), 10, 0, 0, 500'000)).value_java_text(), "2026-01-02T10:00:00.500");
}

TEST(ParameterTypeTest, ParsesShortNamesAndJavaClassNames) {
  EXPECT_EQ(parse_parameter_type("string"), ParameterType::STRING);
  EXPECT_EQ(parse_parameter_type("java.lang.String"), ParameterType::STRING);
  EXPECT_EQ(parse_parameter_type("long"), ParameterType::LONG);
  EXPECT_EQ(parse_parameter_type("java.lang.Long"), ParameterType::LONG);
  EXPECT_EQ(parse_parameter_type("double"), ParameterType::DOUBLE);
  EXPECT_EQ(parse_parameter_type("java.lang.Double"), ParameterType::DOUBLE);
  EXPECT_EQ(parse_parameter_type("date"), ParameterType::DATE);
  EXPECT_EQ(parse_parameter_type("java.time.LocalDate"), ParameterType::DATE);
  EXPECT_EQ(parse_parameter_type("datetime"), ParameterType::DATE_TIME);
  EXPECT_EQ(parse_parameter_type("java.time.LocalDateTime"), ParameterType::DATE_TIME);
  EXPECT_FALSE(parse_parameter_type(""));
  EXPECT_FALSE(parse_parameter_type("int"));
  EXPECT_FALSE(parse_parameter_type("java.util.Date"));
}

TEST(ParameterValueTest, RejectsTextOfTheWrongShape) {
  EXPECT_FALSE(parse_parameter_value(ParameterType::LONG, ""));
  EXPECT_FALSE(parse_parameter_value(ParameterType::LONG, "12x"));
  EXPECT_FALSE(parse_parameter_value(ParameterType::LONG, "1.5"));
  EXPECT_FALSE(parse_parameter_value(ParameterType::LONG, "99999999999999999999"));  // overflows int64
  EXPECT_FALSE(parse_parameter_value(ParameterType::DOUBLE, ""));
  EXPECT_FALSE(parse_parameter_value(ParameterType::DOUBLE, "abc"));
  EXPECT_FALSE(parse_parameter_value(ParameterType::DOUBLE, "1.5.2"));
  EXPECT_FALSE(parse_parameter_value(ParameterType::DATE, "2026-02-30"));
  EXPECT_FALSE(parse_parameter_value(ParameterType::DATE_TIME, "2026-01-02"));
  EXPECT_EQ(parse_parameter_value(ParameterType::STRING, ""), JobParameter::Value{std::string()});
  EXPECT_EQ(parse_parameter_value(ParameterType::LONG, "-42"), JobParameter::Value{int64_t{-42}});
  EXPECT_EQ(parse_parameter_value(ParameterType::DOUBLE, "2.5e3"), JobParameter::Value{2500.0});
}

// -------------------------------------------------------------- getters

JobParameters sample() {
  return JobParametersBuilder()
      .add_string("name", "settlement")
      .add_long("count", 1000, false)
      .add_double("rate", 0.25)
      .add_date("date", ymd(2026, 1, 2))
      .add_date_time("at", at(ymd(2026, 1, 2), 10, 30))
      .build();
}

TEST(JobParametersTest, TypedGetters) {
  JobParameters p = sample();
  EXPECT_EQ(p.get_string("name"), "settlement");
  EXPECT_EQ(p.get_long("count"), 1000);
  EXPECT_EQ(p.get_double("rate"), 0.25);
  EXPECT_EQ(p.get_date("date"), ymd(2026, 1, 2));
  EXPECT_EQ(p.get_date_time("at"), at(ymd(2026, 1, 2), 10, 30));
}

TEST(JobParametersTest, GettersOfAbsentNamesAreEmpty) {
  JobParameters p = sample();
  EXPECT_FALSE(p.get_string("nope"));
  EXPECT_FALSE(p.get_long("nope"));
  EXPECT_FALSE(p.get_double("nope"));
  EXPECT_FALSE(p.get_date("nope"));
  EXPECT_FALSE(p.get_date_time("nope"));
  EXPECT_EQ(p.find("nope"), nullptr);
  EXPECT_FALSE(p.contains("nope"));
}

TEST(JobParametersTest, TypedGettersDoNotConvertBetweenTypes) {
  JobParameters p = sample();
  EXPECT_FALSE(p.get_long("rate"));
  EXPECT_FALSE(p.get_long("name"));
  EXPECT_FALSE(p.get_double("count"));
  EXPECT_FALSE(p.get_date("at"));
  EXPECT_FALSE(p.get_date_time("date"));
}

TEST(JobParametersTest, FindContainsAndSize) {
  JobParameters p = sample();
  EXPECT_FALSE(p.empty());
  EXPECT_EQ(p.parameters().size(), 5u);
  ASSERT_NE(p.find("count"), nullptr);
  EXPECT_FALSE(p.find("count")->identifying());
  EXPECT_TRUE(p.contains("date"));
  EXPECT_TRUE(JobParameters().empty());
}

TEST(JobParametersTest, IdentifyingKeepsOnlyIdentifyingParameters) {
  JobParameters ids = sample().identifying();
  EXPECT_EQ(ids.parameters().size(), 4u);
  EXPECT_FALSE(ids.contains("count"));
  EXPECT_TRUE(ids.contains("name"));
  EXPECT_TRUE(ids.contains("rate"));
  EXPECT_TRUE(ids.contains("date"));
  EXPECT_TRUE(ids.contains("at"));
}

TEST(JobParametersTest, ToStringForLogs) {
  JobParameters p = JobParametersBuilder().add_date("date", ymd(2026, 1, 2)).add_long("count", 1000).build();
  EXPECT_EQ(p.to_string(), "{count=1000, date=2026-01-02}");
  EXPECT_EQ(JobParameters().to_string(), "{}");
}

TEST(JobParametersBuilderTest, LaterAddReplacesAndRemoveDeletes) {
  JobParameters p = JobParametersBuilder().add_long("n", 1).add_long("n", 2, false).add_string("gone", "x")
                        .remove("gone")
                        .build();
  EXPECT_EQ(p.get_long("n"), 2);
  EXPECT_FALSE(p.find("n")->identifying());
  EXPECT_FALSE(p.contains("gone"));
}

TEST(JobParametersBuilderTest, StartsFromExistingParameters) {
  JobParameters p = JobParametersBuilder(sample()).add_long("extra", 5).build();
  EXPECT_EQ(p.parameters().size(), 6u);
  EXPECT_EQ(p.get_string("name"), "settlement");
}

TEST(JobParametersTest, EqualityConsidersValueTypeAndIdentifyingFlag) {
  EXPECT_EQ(sample(), sample());
  EXPECT_NE(JobParametersBuilder().add_long("n", 1).build(), JobParametersBuilder().add_long("n", 1, false).build());
  EXPECT_NE(JobParametersBuilder().add_long("n", 1).build(), JobParametersBuilder().add_double("n", 1.0).build());
  EXPECT_NE(JobParametersBuilder().add_long("n", 1).build(), JobParametersBuilder().add_string("n", "1").build());
}

// -------------------------------------------------------------- job key

TEST(JobKeyTest, NoIdentifyingParametersHashesTheEmptyString) {
  EXPECT_EQ(JobParameters().job_key(), md5_hex(""));
  EXPECT_EQ(JobParameters().job_key(), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(JobParametersBuilder().add_string("name", "foo", false).build().job_key(), md5_hex(""));
}

TEST(JobKeyTest, IsLowerCaseHexOf32Characters) {
  std::string key = sample().job_key();
  ASSERT_EQ(key.size(), 32u);
  EXPECT_EQ(key.find_first_not_of("0123456789abcdef"), std::string::npos) << key;
}

TEST(JobKeyTest, StringParameter) {
  JobParameters p = JobParametersBuilder().add_string("name", "settlement").build();
  EXPECT_EQ(p.job_key(), md5_hex(spring_entry("name", "settlement", "java.lang.String")));
}

TEST(JobKeyTest, LongParameter) {
  JobParameters p = JobParametersBuilder().add_long("run.id", 1).build();
  EXPECT_EQ(p.job_key(), md5_hex(spring_entry("run.id", "1", "java.lang.Long")));
  // printf '%s' 'run.id={value=1, type=class java.lang.Long, identifying=true};' | md5sum
  EXPECT_EQ(p.job_key(), "947cce338b790a4bb6cf8425e98bcf94");
  JobParameters negative = JobParametersBuilder().add_long("offset", -12).build();
  EXPECT_EQ(negative.job_key(), md5_hex(spring_entry("offset", "-12", "java.lang.Long")));
}

TEST(JobKeyTest, DoubleParameterUsesJavaDoubleToString) {
  for (auto [value, java] : {std::pair{1.0, "1.0"}, std::pair{1.5, "1.5"}, std::pair{1.0e7, "1.0E7"},
                             std::pair{1.0e-4, "1.0E-4"}, std::pair{250.0, "250.0"}}) {
    JobParameters p = JobParametersBuilder().add_double("rate", value).build();
    EXPECT_EQ(p.job_key(), md5_hex(spring_entry("rate", java, "java.lang.Double"))) << java;
  }
}

TEST(JobKeyTest, DateParameter) {
  JobParameters p = JobParametersBuilder().add_date("date", ymd(2026, 1, 2)).build();
  EXPECT_EQ(p.job_key(), md5_hex(spring_entry("date", "2026-01-02", "java.time.LocalDate")));
  // printf '%s' 'date={value=2026-01-02, type=class java.time.LocalDate, identifying=true};' | md5sum
  EXPECT_EQ(p.job_key(), "416f958d39984a310ae033c43e37f63e");
}

TEST(JobKeyTest, DateTimeParameterUsesLocalDateTimeToString) {
  JobParameters whole_minute = JobParametersBuilder().add_date_time("at", at(ymd(2026, 1, 2), 10, 0)).build();
  EXPECT_EQ(whole_minute.job_key(), md5_hex(spring_entry("at", "2026-01-02T10:00", "java.time.LocalDateTime")));
  JobParameters with_seconds = JobParametersBuilder().add_date_time("at", at(ymd(2026, 1, 2), 10, 0, 7)).build();
  EXPECT_EQ(with_seconds.job_key(), md5_hex(spring_entry("at", "2026-01-02T10:00:07", "java.time.LocalDateTime")));
  JobParameters with_millis =
      JobParametersBuilder().add_date_time("at", at(ymd(2026, 1, 2), 10, 0, 7, 250'000)).build();
  EXPECT_EQ(with_millis.job_key(),
            md5_hex(spring_entry("at", "2026-01-02T10:00:07.250", "java.time.LocalDateTime")));
}

TEST(JobKeyTest, AllFiveTypesSortedByName) {
  JobParameters p = JobParametersBuilder()
                        .add_string("name", "settlement")
                        .add_date_time("at", at(ymd(2026, 1, 2), 10, 0))
                        .add_double("amount", 1.5)
                        .add_long("count", 1000)
                        .add_date("date", ymd(2026, 1, 2))
                        .build();
  std::string expected = spring_entry("amount", "1.5", "java.lang.Double") +
                         spring_entry("at", "2026-01-02T10:00", "java.time.LocalDateTime") +
                         spring_entry("count", "1000", "java.lang.Long") +
                         spring_entry("date", "2026-01-02", "java.time.LocalDate") +
                         spring_entry("name", "settlement", "java.lang.String");
  EXPECT_EQ(p.job_key(), md5_hex(expected));
}

TEST(JobKeyTest, LiteralSpringKeysForMultipleParameters) {
  // printf '%s' 'amount={value=1.5, type=class java.lang.Double, identifying=true};at={value=2026-01-02T10:00,
  //   type=class java.time.LocalDateTime, identifying=true};name={value=settlement, type=class java.lang.String,
  //   identifying=true};' | md5sum   (one line, no breaks)
  JobParameters three = JobParametersBuilder()
                            .add_string("name", "settlement")
                            .add_double("amount", 1.5)
                            .add_date_time("at", at(ymd(2026, 1, 2), 10, 0))
                            .build();
  EXPECT_EQ(three.job_key(), "417cca1f4ba2a1f0543d31e3a6bd9920");
  // printf '%s' 'count={value=1000, type=class java.lang.Long, identifying=true};date={value=2026-01-02,
  //   type=class java.time.LocalDate, identifying=true};' | md5sum
  JobParameters two = JobParametersBuilder().add_date("date", ymd(2026, 1, 2)).add_long("count", 1000).build();
  EXPECT_EQ(two.job_key(), "e6f78373f8306a28fff5c317578f056a");
}

TEST(JobKeyTest, SortsByNameNotInsertionOrder) {
  JobParameters a = JobParametersBuilder().add_string("foo", "bar").add_string("bar", "foo").build();
  JobParameters b = JobParametersBuilder().add_string("bar", "foo").add_string("foo", "bar").build();
  EXPECT_EQ(a.job_key(), b.job_key());
  EXPECT_EQ(a.job_key(), md5_hex(spring_entry("bar", "foo", "java.lang.String") +
                                 spring_entry("foo", "bar", "java.lang.String")));
}

TEST(JobKeyTest, SortIsByteOrderOfNames) {
  // Java's String.compareTo orders by UTF-16 code unit: upper case before
  // lower case, '.' before letters.
  JobParameters p =
      JobParametersBuilder().add_long("b", 1).add_long("B", 2).add_long("a.x", 3).add_long("a", 4).build();
  std::string expected = spring_entry("B", "2", "java.lang.Long") + spring_entry("a", "4", "java.lang.Long") +
                         spring_entry("a.x", "3", "java.lang.Long") + spring_entry("b", "1", "java.lang.Long");
  EXPECT_EQ(p.job_key(), md5_hex(expected));
}

TEST(JobKeyTest, NonIdentifyingParametersDoNotChangeTheKey) {
  JobParameters base = JobParametersBuilder().add_string("foo", "bar").add_string("bar", "foo").build();
  JobParameters more = JobParametersBuilder(base)
                           .add_string("ignoreMe", "irrelevant", false)
                           .add_long("count", 5, false)
                           .add_date("d", ymd(2026, 1, 2), false)
                           .build();
  EXPECT_EQ(base.job_key(), more.job_key());
  EXPECT_EQ(base.job_key(), base.identifying().job_key());
}

TEST(JobKeyTest, TypeAndValueChangeTheKey) {
  JobParameters as_long = JobParametersBuilder().add_long("n", 1).build();
  JobParameters as_string = JobParametersBuilder().add_string("n", "1").build();
  JobParameters as_double = JobParametersBuilder().add_double("n", 1.0).build();
  JobParameters other = JobParametersBuilder().add_long("n", 2).build();
  EXPECT_NE(as_long.job_key(), as_string.job_key());
  EXPECT_NE(as_long.job_key(), as_double.job_key());
  EXPECT_NE(as_long.job_key(), other.job_key());
}

TEST(JobKeyTest, NonAsciiValuesAreHashedAsUtf8) {
  JobParameters p = JobParametersBuilder().add_string("city", "Z\xc3\xbcrich").build();
  EXPECT_EQ(p.job_key(), md5_hex(spring_entry("city", "Z\xc3\xbcrich", "java.lang.String")));
}

}  // namespace
}  // namespace cppbatch
