#include "cppbatch/infrastructure/validating_item_processor.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cppbatch/infrastructure/record_validator.hpp"

namespace cppbatch {
namespace {

using ::testing::HasSubstr;

Record player(std::string id, std::string year, std::string position) {
  static const RecordLayout layout = make_record_layout({"id", "year", "position"});
  return Record(layout, {std::move(id), std::move(year), std::move(position)});
}

std::unique_ptr<RecordValidator> player_rules() {
  auto v = std::make_unique<RecordValidator>();
  v->required("id").is_long("year").range("year", 1900, 2100).one_of("position", {"qb", "rb", "wr"});
  return v;
}

TEST(ValidationErrorTest, CarriesFieldAndReason) {
  ValidationError about_field("amount", "-3 is negative");
  EXPECT_EQ(about_field.field(), "amount");
  EXPECT_EQ(about_field.reason(), "-3 is negative");
  EXPECT_STREQ(about_field.what(), "field 'amount': -3 is negative");
  ValidationError whole("totals do not balance");
  EXPECT_EQ(whole.field(), "");
  EXPECT_STREQ(whole.what(), "totals do not balance");
  // A skip policy classifies it by type: it is a runtime_error, but catchable as itself.
  try {
    throw ValidationError("x", "bad");
  } catch (const std::runtime_error& e) {
    EXPECT_NE(dynamic_cast<const ValidationError*>(&e), nullptr);
  }
}

TEST(ValidatingItemProcessorTest, ValidItemsPassUnchanged) {
  ValidatingItemProcessor<Record> processor(player_rules());
  Record p = player("AbduKa00", "1996", "rb");
  auto out = processor.process(p);
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(*out, p);
}

TEST(ValidatingItemProcessorTest, InvalidItemThrowsNamingFieldAndValue) {
  ValidatingItemProcessor<Record> processor(player_rules());
  try {
    (void)processor.process(player("AbduKa00", "18x6", "rb"));
    FAIL() << "expected a ValidationError";
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "year");
    EXPECT_EQ(e.reason(), "'18x6' is not an integer");
  }
  try {
    (void)processor.process(player("AbduKa00", "1850", "rb"));
    FAIL() << "expected a ValidationError";
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "year");
    EXPECT_EQ(e.reason(), "'1850' is below 1900");
  }
  try {
    (void)processor.process(player(" ", "1990", "k"));
    FAIL() << "expected a ValidationError";
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "id");
    EXPECT_EQ(e.reason(), "is required");
  }
  try {
    (void)processor.process(player("x", "1990", "k"));
    FAIL() << "expected a ValidationError";
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "position");
    EXPECT_THAT(e.what(), HasSubstr("'k' is not one of qb, rb, wr"));
  }
  EXPECT_EQ(processor.filtered(), 0);
}

TEST(ValidatingItemProcessorTest, FilterModeFiltersInvalidItemsAndCountsThem) {
  ValidatingItemProcessor<Record> processor(player_rules(), {.filter = true});
  EXPECT_TRUE(processor.process(player("a", "1990", "qb")).has_value());
  EXPECT_FALSE(processor.process(player("b", "nope", "qb")).has_value());
  EXPECT_FALSE(processor.process(player("", "1990", "qb")).has_value());
  EXPECT_EQ(processor.filtered(), 2);
}

TEST(ValidatingItemProcessorTest, FilterModeStillPropagatesFailuresOfTheValidatorItself) {
  ValidatingItemProcessor<int> processor(make_validator<int>([](const int& i) {
                                           if (i < 0) throw std::logic_error("validator bug");
                                           if (i > 10) throw ValidationError("too big");
                                         }),
                                         {.filter = true});
  EXPECT_FALSE(processor.process(11).has_value());
  EXPECT_THROW((void)processor.process(-1), std::logic_error);
}

TEST(RecordValidatorTest, OptionalFieldsMayBeMissingOrNullButRequiredMayNot) {
  RecordValidator v;
  v.is_long("age").is_date("born").max_length("name", 4);
  Record r(make_record_layout({"name"}), {std::string("anna")});
  EXPECT_NO_THROW(v.validate(r)) << "missing optional fields are fine";
  r.set("born", Value{});
  EXPECT_NO_THROW(v.validate(r)) << "a null optional field is fine";
  r.set("born", std::string("2026-02-30"));
  EXPECT_THROW(v.validate(r), ValidationError);
  r.set("born", std::string("2026-02-28"));
  r.set("name", std::string("annabel"));
  try {
    v.validate(r);
    FAIL();
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "name");
    EXPECT_EQ(e.reason(), "'annabel' is 7 bytes long, at most 4 allowed");
  }
  RecordValidator need;
  need.required("age");
  EXPECT_THROW(need.validate(Record(make_record_layout({"name"}), {std::string("x")})), ValidationError);
}

TEST(RecordValidatorTest, CustomCheckAndTypedValues) {
  RecordValidator v;
  v.is_double("score").check("team", [](const Record& r) { return r.get_string("team").size() == 3; },
                             "expected a 3-letter team code");
  Record ok(make_record_layout({"team", "score"}), {std::string("mia"), 2.5});
  EXPECT_NO_THROW(v.validate(ok));
  Record bad(make_record_layout({"team", "score"}), {std::string("miami"), int64_t{2}});
  try {
    v.validate(bad);
    FAIL();
  } catch (const ValidationError& e) {
    EXPECT_STREQ(e.what(), "field 'team': expected a 3-letter team code");
  }
}

}  // namespace
}  // namespace cppbatch
