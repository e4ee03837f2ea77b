// Calendar values and their text forms: ISO dates, local date-times (with
// java.time.LocalDateTime.toString() rules for the job key) and UTC
// timestamps as stored in the repository.
#include "cppbatch/common/time_format.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cppbatch {
namespace {

using namespace std::chrono;

Date ymd(int y, unsigned m, unsigned d) { return Date{year{y}, month{m}, day{d}}; }

DateTime at(Date date, int h, int mi, int s = 0, long micros = 0) {
  return DateTime{local_days{date}.time_since_epoch() + hours{h} + minutes{mi} + seconds{s} + microseconds{micros}};
}

// ---------------------------------------------------------------- dates

TEST(ParseDateTest, AcceptsIsoCalendarDates) {
  EXPECT_EQ(parse_date("2026-01-02"), ymd(2026, 1, 2));
  EXPECT_EQ(parse_date("1999-12-31"), ymd(1999, 12, 31));
  EXPECT_EQ(parse_date("0001-01-01"), ymd(1, 1, 1));
}

TEST(ParseDateTest, LeapYearRules) {
  EXPECT_EQ(parse_date("2024-02-29"), ymd(2024, 2, 29));  // divisible by 4
  EXPECT_EQ(parse_date("2000-02-29"), ymd(2000, 2, 29));  // divisible by 400
  EXPECT_FALSE(parse_date("2100-02-29"));                 // divisible by 100 only
  EXPECT_FALSE(parse_date("2026-02-29"));
}

TEST(ParseDateTest, RejectsDaysThatDoNotExist) {
  for (const char* text : {"2026-02-30", "2026-02-31", "2026-04-31", "2026-06-31", "2026-09-31", "2026-11-31",
                           "2026-01-32", "2026-01-00", "2026-00-10", "2026-13-01"}) {
    EXPECT_FALSE(parse_date(text)) << text;
  }
}

TEST(ParseDateTest, RejectsMalformedText) {
  for (const char* text : {"", "2026", "2026-01", "2026-1-02", "2026-01-2", "26-01-02", "2026/01/02", "2026.01.02",
                           "20260102", " 2026-01-02", "2026-01-02 ", "2026-01-02T00:00", "+2026-01-02",
                           "-2026-01-02", "abcd-ef-gh", "2026-0a-02", "2026-01-02x"}) {
    EXPECT_FALSE(parse_date(text)) << "'" << text << "'";
  }
}

TEST(FormatDateTest, ZeroPadsEveryField) {
  EXPECT_EQ(format_date(ymd(2026, 1, 2)), "2026-01-02");
  EXPECT_EQ(format_date(ymd(2026, 12, 31)), "2026-12-31");
  EXPECT_EQ(format_date(ymd(5, 3, 4)), "0005-03-04");  // LocalDate.toString pads the year to 4 digits
}

TEST(FormatDateTest, RoundTripsThroughParse) {
  for (const char* text : {"2026-01-02", "2024-02-29", "1970-01-01", "9999-12-31"}) {
    auto parsed = parse_date(text);
    ASSERT_TRUE(parsed) << text;
    EXPECT_EQ(format_date(*parsed), text);
  }
}

// ----------------------------------------------------------- date-times

TEST(ParseDateTimeTest, AcceptsMinutesSecondsAndFractions) {
  EXPECT_EQ(parse_date_time("2026-01-02T10:00"), at(ymd(2026, 1, 2), 10, 0));
  EXPECT_EQ(parse_date_time("2026-01-02T10:00:05"), at(ymd(2026, 1, 2), 10, 0, 5));
  EXPECT_EQ(parse_date_time("2026-01-02T23:59:59"), at(ymd(2026, 1, 2), 23, 59, 59));
  EXPECT_EQ(parse_date_time("2026-01-02T10:00:00.5"), at(ymd(2026, 1, 2), 10, 0, 0, 500'000));
  EXPECT_EQ(parse_date_time("2026-01-02T10:00:00.123"), at(ymd(2026, 1, 2), 10, 0, 0, 123'000));
  EXPECT_EQ(parse_date_time("2026-01-02T10:00:00.000001"), at(ymd(2026, 1, 2), 10, 0, 0, 1));
  EXPECT_EQ(parse_date_time("2026-01-02T10:00:00.123456"), at(ymd(2026, 1, 2), 10, 0, 0, 123'456));
}

TEST(ParseDateTimeTest, DropsDigitsBelowMicroseconds) {
  EXPECT_EQ(parse_date_time("2026-01-02T10:00:00.123456789"), at(ymd(2026, 1, 2), 10, 0, 0, 123'456));
  EXPECT_EQ(parse_date_time("2026-01-02T10:00:00.0000009"), at(ymd(2026, 1, 2), 10, 0, 0, 0));
}

TEST(ParseDateTimeTest, AcceptsASpaceInsteadOfT) {
  EXPECT_EQ(parse_date_time("2026-01-02 10:00:05"), at(ymd(2026, 1, 2), 10, 0, 5));
}

TEST(ParseDateTimeTest, RejectsInvalidDatesAndTimes) {
  for (const char* text : {"2026-02-30T10:00", "2026-02-29T00:00", "2026-01-02T24:00", "2026-01-02T23:60",
                           "2026-01-02T23:59:60", "2026-01-02T-1:00"}) {
    EXPECT_FALSE(parse_date_time(text)) << text;
  }
}

TEST(ParseDateTimeTest, RejectsMalformedText) {
  for (const char* text : {"", "2026-01-02", "2026-01-02T", "2026-01-02T10", "2026-01-02T10:0", "2026-01-02T1:00",
                           "2026-01-02T10:00:5", "2026-01-02T10:00:00.", "2026-01-02T10:00:00.1234567890",
                           "2026-01-02T10:00.5", "2026-01-02T10:00:00Z", "2026-01-02T10:00:00+01:00",
                           "2026-01-02t10:00", "2026-01-02_10:00", "2026-01-02T10:00:00 ", "2026-01-02T10:00:00.5x"}) {
    EXPECT_FALSE(parse_date_time(text)) << "'" << text << "'";
  }
}

TEST(FormatDateTimeTest, IsoLocalDateTimeAlwaysHasSeconds) {
  EXPECT_EQ(format_date_time(at(ymd(2026, 1, 2), 10, 0)), "2026-01-02T10:00:00");
  EXPECT_EQ(format_date_time(at(ymd(2026, 1, 2), 0, 0)), "2026-01-02T00:00:00");
  EXPECT_EQ(format_date_time(at(ymd(2026, 1, 2), 23, 59, 59)), "2026-01-02T23:59:59");
}

TEST(FormatDateTimeTest, FractionOnlyWhenNonZeroAndItRoundTrips) {
  std::string text = format_date_time(at(ymd(2026, 1, 2), 10, 0, 0, 500'000));
  EXPECT_EQ(text.rfind("2026-01-02T10:00:00.5", 0), 0u) << text;
  EXPECT_EQ(parse_date_time(text), at(ymd(2026, 1, 2), 10, 0, 0, 500'000));
  EXPECT_EQ(format_date_time(at(ymd(2026, 1, 2), 10, 0, 0, 123'456)), "2026-01-02T10:00:00.123456");
  for (long micros : {1L, 10L, 999L, 1000L, 120'000L, 999'999L}) {
    DateTime value = at(ymd(2026, 7, 8), 9, 10, 11, micros);
    EXPECT_EQ(parse_date_time(format_date_time(value)), value) << micros;
  }
}

// java.time.LocalTime.toString(): "HH:mm" when seconds and nanos are zero,
// else "HH:mm:ss", plus ".SSS", ".SSSSSS" or ".SSSSSSSSS" — whichever is the
// shortest exact group of three digits.
TEST(FormatDateTimeJavaTest, OmitsSecondsWhenZero) {
  EXPECT_EQ(format_date_time_java(at(ymd(2026, 1, 2), 10, 0)), "2026-01-02T10:00");
  EXPECT_EQ(format_date_time_java(at(ymd(2026, 1, 2), 0, 0)), "2026-01-02T00:00");
  EXPECT_EQ(format_date_time_java(at(ymd(2026, 1, 2), 23, 59)), "2026-01-02T23:59");
}

TEST(FormatDateTimeJavaTest, KeepsSecondsWhenNonZero) {
  EXPECT_EQ(format_date_time_java(at(ymd(2026, 1, 2), 10, 0, 5)), "2026-01-02T10:00:05");
  EXPECT_EQ(format_date_time_java(at(ymd(2026, 1, 2), 10, 30, 59)), "2026-01-02T10:30:59");
}

TEST(FormatDateTimeJavaTest, FractionInGroupsOfThree) {
  EXPECT_EQ(format_date_time_java(at(ymd(2026, 1, 2), 10, 0, 0, 500'000)), "2026-01-02T10:00:00.500");
  EXPECT_EQ(format_date_time_java(at(ymd(2026, 1, 2), 10, 0, 0, 1'000)), "2026-01-02T10:00:00.001");
  EXPECT_EQ(format_date_time_java(at(ymd(2026, 1, 2), 10, 0, 5, 120'000)), "2026-01-02T10:00:05.120");
  EXPECT_EQ(format_date_time_java(at(ymd(2026, 1, 2), 10, 0, 0, 123)), "2026-01-02T10:00:00.000123");
  EXPECT_EQ(format_date_time_java(at(ymd(2026, 1, 2), 10, 0, 0, 123'456)), "2026-01-02T10:00:00.123456");
  EXPECT_EQ(format_date_time_java(at(ymd(2026, 1, 2), 10, 0, 0, 100'001)), "2026-01-02T10:00:00.100001");
}

// ----------------------------------------------------------- timestamps

TEST(TimestampTest, FormatsUtcWithMicroseconds) {
  EXPECT_EQ(format_timestamp(Timestamp{}), "1970-01-01 00:00:00.000000");
  EXPECT_EQ(format_timestamp(Timestamp{seconds{1'800'000'000}}), "2027-01-15 08:00:00.000000");
  EXPECT_EQ(format_timestamp(Timestamp{seconds{1'767'348'000}} + microseconds{123'456}),
            "2026-01-02 10:00:00.123456");
}

TEST(TimestampTest, FormatTruncatesBelowMicroseconds) {
  Timestamp value = Timestamp{seconds{1'767'348'000}} + duration_cast<Timestamp::duration>(nanoseconds{1'999});
  EXPECT_EQ(format_timestamp(value), "2026-01-02 10:00:00.000001");
}

TEST(TimestampTest, InstantsBeforeTheEpochFloorCorrectly) {
  EXPECT_EQ(format_timestamp(Timestamp{} - microseconds{1}), "1969-12-31 23:59:59.999999");
}

TEST(TimestampTest, ParsesWhatItFormats) {
  std::vector<Timestamp> values = {Timestamp{}, Timestamp{seconds{1'800'000'000}},
                                   Timestamp{seconds{1'767'348'000}} + microseconds{1},
                                   Timestamp{seconds{1'767'348'000}} + microseconds{999'999}};
  for (Timestamp value : values) {
    std::string text = format_timestamp(value);
    auto parsed = parse_timestamp(text);
    ASSERT_TRUE(parsed) << text;
    EXPECT_EQ(*parsed, value) << text;
  }
}

TEST(TimestampTest, ParseAcceptsIsoFormsAndRejectsGarbage) {
  EXPECT_EQ(parse_timestamp("2026-01-02T10:00:00"), Timestamp{seconds{1'767'348'000}});
  EXPECT_EQ(parse_timestamp("2026-01-02 10:00"), Timestamp{seconds{1'767'348'000}});
  EXPECT_FALSE(parse_timestamp("2026-02-30 10:00:00.000000"));
  EXPECT_FALSE(parse_timestamp("yesterday"));
  EXPECT_FALSE(parse_timestamp(""));
}

}  // namespace
}  // namespace cppbatch
