#include "cppbatch/infrastructure/record.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cppbatch/infrastructure/field_writer.hpp"

namespace cppbatch {
namespace {

using namespace std::chrono;

TEST(Record, FieldsOfALayoutStartNullAndConvertOnRead) {
  Record r(make_record_layout({"id", "born", "score"}));
  EXPECT_EQ(r.size(), 3u);
  EXPECT_TRUE(r.is_null("id"));
  r.set("id", std::string("AbduKa00"));
  r.set("born", std::string(" 1974 "));
  r.set("score", 2.5);
  EXPECT_EQ(r.get_string("id"), "AbduKa00");
  EXPECT_EQ(r.get_long("born"), 1974);
  EXPECT_EQ(r.get_string("score"), "2.5");
  EXPECT_DOUBLE_EQ(r.get_double("born"), 1974.0);
}

TEST(Record, BadConversionNamesFieldTypeAndValue) {
  Record r(make_record_layout({"born"}), {std::string("19x4")});
  try {
    (void)r.get_long("born");
    FAIL() << "expected RecordError";
  } catch (const RecordError& e) {
    EXPECT_EQ(e.field(), "born");
    EXPECT_STREQ(e.what(), "field 'born': cannot read string '19x4' as integer");
  }
  EXPECT_THROW((void)Record(make_record_layout({"x"}), {2.5}).get_long("x"), RecordError);
  EXPECT_EQ(Record(make_record_layout({"x"}), {2.0}).get_long("x"), 2);
}

TEST(Record, UnknownFieldListsTheFieldsThereAre) {
  Record r(make_record_layout({"a", "b"}));
  try {
    (void)r.get("c");
    FAIL();
  } catch (const RecordError& e) {
    EXPECT_STREQ(e.what(), "no field 'c' in record (fields: a, b)");
  }
}

TEST(Record, SettingANewFieldCopiesTheLayoutNotTheOthersRecords) {
  auto layout = make_record_layout({"a"});
  Record one(layout, {int64_t{1}});
  Record two = one;
  two.set("b", true);
  EXPECT_EQ(one.size(), 1u);
  EXPECT_EQ(two.size(), 2u);
  EXPECT_EQ(one.layout(), layout);
  EXPECT_NE(two.layout(), layout);
  EXPECT_TRUE(two.get_bool("b"));
  two.erase("a");
  EXPECT_EQ(two.layout()->joined(), "b");
}

TEST(Record, NullDefaultsAndBlankText) {
  Record r(make_record_layout({"n", "blank"}), {std::monostate{}, std::string("  ")});
  EXPECT_EQ(r.get_long("n", 7), 7);
  EXPECT_EQ(r.get_long("blank", 8), 8);
  EXPECT_DOUBLE_EQ(r.get_double("n", 1.5), 1.5);
  EXPECT_THROW((void)r.get_long("n"), RecordError);
  EXPECT_EQ(r.get_string("n"), "");
}

TEST(Record, DatesAndDateTimesConvertBothWays) {
  Record r(make_record_layout({"d", "t"}), {std::string("2026-01-02"),
                                            std::string("2026-01-02T10:30:00")});
  EXPECT_EQ(r.get_date("d"), Date{year{2026} / 1 / 2});
  DateTime t = r.get_date_time("t");
  EXPECT_EQ(format_date_time(t), "2026-01-02T10:30:00");
  EXPECT_EQ(r.get_date("t"), Date{year{2026} / 1 / 2});
  r.set("d", Date{year{2025} / 12 / 31});
  EXPECT_EQ(r.get_string("d"), "2025-12-31");
  EXPECT_EQ(format_date_time(r.get_date_time("d")), "2025-12-31T00:00:00");
}

TEST(Record, EqualityComparesNamesAndValues) {
  Record a(make_record_layout({"x", "y"}), {int64_t{1}, std::string("s")});
  Record b(make_record_layout({"x", "y"}), {int64_t{1}, std::string("s")});
  Record c(make_record_layout({"y", "x"}), {int64_t{1}, std::string("s")});
  Record d(make_record_layout({"x", "y"}), {1.0, std::string("s")});
  EXPECT_EQ(a, b);
  EXPECT_FALSE(a == c);
  EXPECT_FALSE(a == d);
}

TEST(RecordMapper, TakesNamesFromTheFieldSetOrPositions) {
  FieldNames names({"id", "name"});
  std::vector<std::string_view> values{"1", "Ann"};
  FieldSet named(values, &names);
  RecordMapper mapper;
  Record r = mapper(named);
  EXPECT_EQ(r.get_string("name"), "Ann");
  Record again = mapper(named);
  EXPECT_EQ(r.layout(), again.layout()) << "layout is built once per source";

  FieldSet unnamed(values);
  RecordMapper positional;
  EXPECT_EQ(positional(unnamed).get_string("2"), "Ann");

  RecordMapper explicit_names({"k", "v"});
  EXPECT_EQ(explicit_names(named).get_string("v"), "Ann");
}

TEST(Record, WritesDelimitedFieldsInLayoutOrSelectedOrder) {
  Record r(make_record_layout({"id", "name", "score"}),
           {int64_t{7}, std::string("a,b"), std::monostate{}});
  std::string out;
  FieldWriter fields(out, ',', '"');
  write_record(r, fields);
  EXPECT_EQ(out, "7,\"a,b\",");
  out.clear();
  fields.begin_record();
  write_record(r, {"name", "missing", "id"}, fields);
  EXPECT_EQ(out, "\"a,b\",,7");
}

TEST(Record, JsonRoundTripKeepsTypes) {
  Record r(make_record_layout({"i", "d", "s", "b", "n", "day"}),
           {int64_t{-3}, 0.25, std::string("x"), true, std::monostate{},
            Date{year{2026} / 3 / 4}});
  nlohmann::json j = record_to_json(r);
  EXPECT_EQ(j.dump(), R"({"b":true,"d":0.25,"day":"2026-03-04","i":-3,"n":null,"s":"x"})");
  Record back = record_from_json(nlohmann::json::parse(R"({"i":-3,"d":0.25,"o":{"k":[1]}})"));
  EXPECT_EQ(back.get_long("i"), -3);
  EXPECT_DOUBLE_EQ(back.get_double("d"), 0.25);
  EXPECT_EQ(back.get_string("o"), R"({"k":[1]})");
  EXPECT_THROW(record_from_json(nlohmann::json::array()), RecordError);
}

}  // namespace
}  // namespace cppbatch
