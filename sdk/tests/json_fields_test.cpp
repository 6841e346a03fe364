// Field helpers for mappers.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <yizhan/sdk/support/json_fields.hpp>

namespace {
using namespace yizhan::sdk::support;
namespace json = boost::json;

TEST(SdkSupportJsonFields, KindNames) {
  EXPECT_STREQ(json_kind_name(json::object{}), "an object");
  EXPECT_STREQ(json_kind_name(json::array{}), "an array");
  EXPECT_STREQ(json_kind_name(true), "a boolean");
  EXPECT_STREQ(json_kind_name(nullptr), "null");
  EXPECT_STREQ(json_kind_name("x"), "a string");
  EXPECT_STREQ(json_kind_name(1.5), "a number");
  EXPECT_STREQ(json_kind_name(-1), "a number");
}

TEST(SdkSupportJsonFields, InvalidUtf8Field) {
  json::parse_options opts;
  opts.allow_invalid_utf8 = true;
  auto parse = [&](std::string_view s) { return json::parse(s, {}, opts).as_object(); };
  EXPECT_EQ(invalid_utf8_field(parse(R"({"a":"好","b":1})")), std::nullopt);
  EXPECT_EQ(invalid_utf8_field(parse("{\"a\":\"ok\",\"b\":\"\xff\"}")), "b");
  EXPECT_EQ(invalid_utf8_field(parse("{\"a\":{\"x\":[\"\xc3\"]}}")), "a") << "nested";
  EXPECT_EQ(invalid_utf8_field(parse("{\"k\xff\":1}")), "k?") << "a broken key is shown printable";
}

TEST(SdkSupportJsonFields, Numbers) {
  EXPECT_EQ(json_int(json::value(42)), 42);
  EXPECT_EQ(json_int(json::value(-42)), -42);
  EXPECT_EQ(json_int(json::value(9223372036854775807ull)), 9223372036854775807LL);
  EXPECT_EQ(json_int(json::value(9223372036854775808ull)), std::nullopt);
  EXPECT_EQ(json_int(json::value(1.0)), std::nullopt);
  EXPECT_EQ(json_int(json::value("12")), std::nullopt);
  EXPECT_EQ(json_number(json::value(1.5)), 1.5);
  EXPECT_EQ(json_number(json::value(3)), 3.0);
  EXPECT_EQ(json_number(json::value("3")), std::nullopt);
}

TEST(SdkSupportJsonFields, QuotedValue) {
  EXPECT_EQ(quoted_value("abc"), "abc");
  EXPECT_EQ(quoted_value("a\nb\tc"), "a b c");
  EXPECT_EQ(quoted_value("a\xff"), "a?");
  EXPECT_EQ(quoted_value(std::string(100, 'x'), 10), std::string(10, 'x') + "…");
  // "好" is 3 bytes: a cut never splits it.
  EXPECT_EQ(quoted_value("好好好", 7), "好好…");
  EXPECT_EQ(quoted_value("好好好", 9), "好好好");
  EXPECT_EQ(quoted_json(json::value("s")), "s");
  EXPECT_EQ(quoted_json(json::value(12)), "12");
  EXPECT_EQ(quoted_json(json::value(json::array{1, 2})), "[1,2]");
}

TEST(SdkSupportJsonFields, PhoneDigits) {
  EXPECT_EQ(phone_digits("138-1234 1234"), "13812341234");
  EXPECT_EQ(phone_digits("+86 138 1234 1234"), "+8613812341234");
  EXPECT_EQ(phone_digits("0350+123"), "0350123") << "a '+' counts only first";
  EXPECT_EQ(phone_digits(""), "");
}

}  // namespace
