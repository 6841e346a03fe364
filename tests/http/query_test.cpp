#include "http/query.hpp"

#include "http/message.hpp"

#include <gtest/gtest.h>

namespace {

using namespace yizhan::http;

TEST(PercentDecode, DecodesUtf8EscapesInEitherCase) {
  EXPECT_EQ(percent_decode("%E5%99%AA%E9%9F%B3", true), "噪音");
  EXPECT_EQ(percent_decode("%e5%99%aa%e9%9f%b3", true), "噪音");
  EXPECT_EQ(percent_decode("噪音", true), "噪音");  // raw UTF-8 passes through
  EXPECT_EQ(percent_decode("a%20b+c", true), "a b c");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");  // '+' is a space in query strings only
  EXPECT_EQ(percent_decode("%2F%25", false), "/%");
  EXPECT_EQ(percent_decode("", true), "");
}

TEST(PercentDecode, RefusesBadEscapesAndNonUtf8) {
  EXPECT_FALSE(percent_decode("%", true));
  EXPECT_FALSE(percent_decode("%E", true));
  EXPECT_FALSE(percent_decode("abc%4", true));
  EXPECT_FALSE(percent_decode("%GG", true));
  EXPECT_FALSE(percent_decode("%E5%99", true));    // truncated character
  EXPECT_FALSE(percent_decode("%D4%EB", true));    // GBK bytes of 噪, not UTF-8
  EXPECT_FALSE(percent_decode("%C0%AF", true));    // overlong '/'
  EXPECT_TRUE(percent_decode("%00", true));        // NUL is valid UTF-8; handlers decide
}

TEST(QueryParams, ParsesPairsInOrder) {
  auto p = QueryParams::parse("q=%E5%99%AA%E9%9F%B3&limit=5&&flag&empty=&x=a%3Db");
  ASSERT_EQ(p.items().size(), 5u);
  EXPECT_EQ(p.get("q"), "噪音");
  EXPECT_EQ(p.get("limit"), "5");
  EXPECT_EQ(p.get("flag"), "");
  EXPECT_EQ(p.get("empty"), "");
  EXPECT_EQ(p.get("x"), "a=b");
  EXPECT_FALSE(p.get("missing"));
  EXPECT_TRUE(QueryParams::parse("").items().empty());
}

TEST(QueryParams, RefusesUndecodableAndRepeatedAndUnknownParameters) {
  try {
    QueryParams::parse("q=%E5%99");
    FAIL() << "expected HttpError";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_EQ(e.code(), "bad_query");
  }
  auto twice = QueryParams::parse("q=a&q=b");
  try {
    (void)twice.get("q");
    FAIL() << "expected HttpError";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.code(), "bad_parameter");
    EXPECT_EQ(e.parameter(), "q");
  }
  auto typo = QueryParams::parse("q=a&staus=closed");
  try {
    typo.allow_only({"q", "status"});
    FAIL() << "expected HttpError";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.parameter(), "staus");
    EXPECT_NE(std::string(e.what()).find("known: q, status"), std::string::npos);
  }
}

}  // namespace
