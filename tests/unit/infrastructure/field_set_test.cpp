#include "cppbatch/infrastructure/field_set.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <span>
#include <string_view>
#include <vector>

namespace cppbatch {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

class FieldSetTest : public ::testing::Test {
 protected:
  FieldNames names_{{"id", "qty", "price", "day", "flag", "empty"}};
  std::string raw_ = "A1, 42 ,3.5,2026-01-02,yes,";
  FieldSet fs_{{"A1", " 42 ", "3.5", "2026-01-02", "yes", ""}, &names_, "in.csv", 7, raw_};
};

TEST_F(FieldSetTest, TypedAccessorsByIndexAndName) {
  EXPECT_EQ(fs_.size(), 6u);
  EXPECT_TRUE(fs_.has_names());
  EXPECT_EQ(fs_.read_string(0), "A1");
  EXPECT_EQ(fs_.read_string("id"), "A1");
  EXPECT_EQ(fs_.read_string("qty"), " 42 ");  // strings are not trimmed
  EXPECT_EQ(fs_.read_long(1), 42);             // numbers are
  EXPECT_EQ(fs_.read_long("qty"), 42);
  EXPECT_DOUBLE_EQ(fs_.read_double("price"), 3.5);
  EXPECT_EQ(fs_.read_date("day"), (Date{year{2026}, month{1}, day{2}}));
  EXPECT_TRUE(fs_.read_bool("flag"));
  EXPECT_TRUE(fs_.is_blank("empty"));
  EXPECT_EQ(fs_.read_long("empty", -1), -1);
  EXPECT_DOUBLE_EQ(fs_.read_double(5, 9.5), 9.5);
  EXPECT_EQ(fs_.index_of("price"), 2u);
  EXPECT_FALSE(fs_.index_of("nope").has_value());
}

TEST_F(FieldSetTest, NumberForms) {
  FieldSet fs({"+7", "-9223372036854775808", "1e3", "-0.25", "inf", "TRUE", "n", "0"});
  EXPECT_EQ(fs.read_long(0), 7);
  EXPECT_EQ(fs.read_long(1), INT64_MIN);
  EXPECT_DOUBLE_EQ(fs.read_double(2), 1000.0);
  EXPECT_DOUBLE_EQ(fs.read_double(3), -0.25);
  EXPECT_TRUE(std::isinf(fs.read_double(4)));
  EXPECT_TRUE(fs.read_bool(5));
  EXPECT_FALSE(fs.read_bool(6));
  EXPECT_FALSE(fs.read_bool(7));
}

TEST_F(FieldSetTest, BadLongNamesFileLineColumnFieldAndRawLine) {
  FieldNames names({"id", "qty"});
  FieldSet fs({"A1", "4x2"}, &names, "data/in.csv", 12, "A1,4x2");
  try {
    (void)fs.read_long("qty");
    FAIL() << "expected ParseError";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.resource(), "data/in.csv");
    EXPECT_EQ(e.line(), 12);
    EXPECT_EQ(e.column(), 0);  // a standalone set has no columns
    EXPECT_EQ(e.field(), "qty");
    EXPECT_EQ(e.raw_line(), "A1,4x2");
    EXPECT_STREQ(e.what(), "data/in.csv:12: field 'qty': '4x2' is not an integer — line: A1,4x2");
  }
}

TEST_F(FieldSetTest, BadValuesThrowParseError) {
  FieldSet fs({"", "99999999999999999999", "2026-02-30", "maybe", "1.5.2", "2026-1-2"});
  EXPECT_THROW((void)fs.read_long(0), ParseError);
  EXPECT_THROW((void)fs.read_long(1), ParseError);
  EXPECT_THROW((void)fs.read_date(2), ParseError);
  EXPECT_THROW((void)fs.read_bool(3), ParseError);
  EXPECT_THROW((void)fs.read_double(4), ParseError);
  EXPECT_THROW((void)fs.read_date(5), ParseError);
  try {
    (void)fs.read_long(1);
  } catch (const ParseError& e) {
    EXPECT_EQ(e.field(), "#2");  // unnamed: 1-based index
    EXPECT_NE(e.reason().find("out of range"), std::string::npos);
  }
}

TEST_F(FieldSetTest, UnknownNameAndIndexThrowParseError) {
  try {
    (void)fs_.read_string("missing");
    FAIL();
  } catch (const ParseError& e) {
    EXPECT_EQ(e.field(), "missing");
    EXPECT_NE(e.reason().find("id, qty, price"), std::string::npos) << e.reason();
  }
  try {
    (void)fs_.read_string(6);
    FAIL();
  } catch (const ParseError& e) {
    EXPECT_EQ(e.field(), "#7");
    EXPECT_EQ(e.line(), 7);
  }
  FieldSet unnamed({"x"});
  EXPECT_THROW((void)unnamed.read_long("x"), ParseError);
}

TEST_F(FieldSetTest, MapperValidationUsesFail) {
  try {
    fs_.fail(2, "price must be positive");
  } catch (const ParseError& e) {
    EXPECT_EQ(e.field(), "price");
    EXPECT_EQ(e.reason(), "price must be positive");
  }
}

TEST(FieldNamesTest, DuplicateNamesRejected) {
  EXPECT_THROW(FieldNames({"a", "b", "a"}), std::invalid_argument);
}

TEST(ParseErrorTest, MessageFormatAndShortening) {
  ParseError e("f.csv", 3, 9, "amount", "a,b,xyz", "'xyz' is not a number");
  EXPECT_STREQ(e.what(), "f.csv:3:9: field 'amount': 'xyz' is not a number — line: a,b,xyz");

  std::string longline(500, 'x');
  ParseError shortened("f.csv", 1, 0, "", longline + "\r\nmore", "bad");
  std::string what = shortened.what();
  EXPECT_EQ(what.rfind("f.csv:1: bad — line: ", 0), 0u) << what;
  EXPECT_LT(what.size(), 260u);
  EXPECT_NE(what.find("…"), std::string::npos);
  EXPECT_EQ(shortened.raw_line().size(), 506u);  // the full record is kept

  ParseError multiline("f.csv", 1, 2, "", "a,\"b\r\nc\"", "bad");
  EXPECT_NE(std::string(multiline.what()).find("a,\"b\\r\\nc\""), std::string::npos);

  // A multi-byte character at the cut is not split.
  std::string utf8(199, 'a');
  utf8 += "é";
  utf8 += std::string(10, 'b');
  ParseError cut("f", 1, 0, "", utf8, "r");
  std::string cut_what = cut.what();
  EXPECT_NE(cut_what.find(std::string(199, 'a') + "…"), std::string::npos);
}


TEST(FieldSetLayoutTest, LayoutColumnsLocateValuesAddedWithoutAColumn) {
  const std::vector<int64_t> columns = {1, 5, 9};
  FieldNames names({"a", "b", "c"});
  FieldSet fs;
  fs.set_location("f.txt", 3, "abc x   12x");
  fs.set_names(&names);
  fs.set_layout_columns(columns);
  fs.add("abc");
  fs.add("x");
  fs.add("12x");
  EXPECT_EQ(fs.column(1), 5);
  try {
    fs.read_long("c");
    FAIL();
  } catch (const ParseError& e) {
    EXPECT_EQ(e.column(), 9);
    EXPECT_EQ(e.field(), "c");
  }
  fs.clear_values();
  fs.add("only");
  EXPECT_EQ(fs.column(0), 0) << "clear_values drops the layout columns";
  // Lenient padding keeps the layout columns of the values present.
  fs.clear_values();
  fs.set_layout_columns(columns);
  fs.add("abc");
  fs.fit_to_names(false);
  ASSERT_EQ(fs.size(), 3u);
  EXPECT_EQ(fs.column(0), 1);
  EXPECT_EQ(fs.column(2), 12);
}

TEST(FieldSetLayoutTest, AddValuesFillsSlotsReusedAcrossRecords) {
  const std::vector<int64_t> columns = {1, 4};
  FieldSet fs;
  fs.set_location("f.txt", 1, "12 ab");
  fs.set_layout_columns(columns);
  std::span<std::string_view> slots = fs.add_values(2);
  ASSERT_EQ(slots.size(), 2u);
  slots[0] = "12";
  slots[1] = "ab";
  EXPECT_EQ(fs.size(), 2u);
  EXPECT_EQ(fs.read_long(0), 12);
  EXPECT_EQ(fs.column(1), 4);
  // The next record: fewer values, then one more added the usual way.
  fs.clear_values();
  EXPECT_EQ(fs.size(), 0u);
  EXPECT_TRUE(fs.values().empty());
  EXPECT_THROW((void)fs.read_string(0), ParseError) << "cleared values are gone";
  fs.add_values(1)[0] = "7";
  fs.add("x", 3);
  ASSERT_EQ(fs.size(), 2u);
  EXPECT_EQ(fs.read_long(0), 7);
  EXPECT_EQ(fs.read_string(1), "x");
  EXPECT_EQ(std::vector<std::string_view>(fs.values().begin(), fs.values().end()),
            (std::vector<std::string_view>{"7", "x"}));
  EXPECT_THROW((void)fs.read_string(2), ParseError);
}

// The inline conversions take the usual values; everything else must get
// the same result or error as before (the full conversion).
TEST(FieldSetNumbersTest, InlineAndFullConversionsAgree) {
  FieldSet fs({" \t-42\t", "+0012", "999999999999999999", "9223372036854775807", "-9223372036854775809",
               "+-5", "-", "+", "1 2", "٣", " 2.5 ", "+.5", "-1e-3", "1e999", "0x10", "", " \t "});
  EXPECT_EQ(fs.read_long(0), -42);
  EXPECT_EQ(fs.read_long(1), 12);
  EXPECT_EQ(fs.read_long(2), 999999999999999999);  // 18 digits: inline
  EXPECT_EQ(fs.read_long(3), INT64_MAX);           // 19 digits: the full conversion
  for (size_t bad : {4u, 5u, 6u, 7u, 8u, 9u, 15u, 16u}) {
    EXPECT_THROW((void)fs.read_long(bad), ParseError) << bad;
  }
  try {
    (void)fs.read_long(4);
  } catch (const ParseError& e) {
    EXPECT_NE(e.reason().find("out of range"), std::string::npos) << e.reason();
  }
  try {
    (void)fs.read_long(16);
  } catch (const ParseError& e) {
    EXPECT_EQ(e.reason(), "empty value, expected an integer");
  }
  EXPECT_DOUBLE_EQ(fs.read_double(10), 2.5);
  EXPECT_DOUBLE_EQ(fs.read_double(11), 0.5);
  EXPECT_DOUBLE_EQ(fs.read_double(12), -0.001);
  EXPECT_DOUBLE_EQ(fs.read_double(1), 12.0);
  for (size_t bad : {5u, 13u, 14u, 15u}) EXPECT_THROW((void)fs.read_double(bad), ParseError) << bad;
  try {
    (void)fs.read_double(13);
  } catch (const ParseError& e) {
    EXPECT_NE(e.reason().find("out of range"), std::string::npos) << e.reason();
  }
}

}  // namespace
}  // namespace cppbatch
