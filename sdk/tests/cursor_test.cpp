// CursorReader: strict about shape, clear about what is wrong.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <yizhan/sdk/support/cursor.hpp>

namespace {
using namespace yizhan::sdk::support;
using yizhan::sdk::CursorError;

const char* kShape = R"({"v":1,"file":"...","offset":N,"done":false})";

CursorReader read(std::string_view text) { return CursorReader(text, {"file", "offset", "done", "n"}, kShape); }

std::string error_of(std::string_view text) {
  try {
    auto r = read(text);
    r.string("file");
    r.non_negative("offset");
    r.boolean("done");
  } catch (const CursorError& e) {
    return e.what();
  }
  return "no error";
}

TEST(SdkSupportCursor, ReadsTypedMembers) {
  auto r = read(R"({"v":1,"file":"a.csv","offset":18446744073709551615,"done":true,"n":-3})");
  EXPECT_EQ(r.string("file"), "a.csv");
  EXPECT_EQ(r.non_negative("offset"), 18446744073709551615ull);
  EXPECT_TRUE(r.boolean("done"));
  EXPECT_EQ(r.integer("n"), -3);
  EXPECT_NE(r.find("n"), nullptr);
  EXPECT_EQ(r.find("missing"), nullptr);
}

TEST(SdkSupportCursor, EveryProblemIsACursorErrorSayingWhatAndWhatWasExpected) {
  struct Case {
    const char* text;
    const char* why;
  } cases[] = {
      {"garbage", "not JSON"},
      {"[1,2]", "not a JSON object"},
      {R"({"file":"a","offset":1,"done":false})", "unsupported version"},
      {R"({"v":2,"file":"a","offset":1,"done":false})", "unsupported version"},
      {R"({"v":"1","file":"a","offset":1,"done":false})", "unsupported version"},
      {R"({"v":1,"file":"a","offset":1,"done":false,"extra":0})", "unknown key 'extra'"},
      {R"({"v":1,"offset":1,"done":false})", "file is missing"},
      {R"({"v":1,"file":"","offset":1,"done":false})", "file is missing or empty"},
      {R"({"v":1,"file":7,"offset":1,"done":false})", "file is missing"},
      {R"({"v":1,"file":"a","offset":-1,"done":false})", "offset is missing or not a non-negative integer"},
      {R"({"v":1,"file":"a","offset":1.5,"done":false})", "offset is missing or not a non-negative integer"},
      {R"({"v":1,"file":"a","offset":1,"done":0})", "done is missing or not a boolean"},
  };
  for (const auto& c : cases) {
    std::string e = error_of(c.text);
    EXPECT_NE(e.find("cannot read cursor '"), std::string::npos) << c.text << " → " << e;
    EXPECT_NE(e.find(c.why), std::string::npos) << c.text << " → " << e;
    EXPECT_NE(e.find(std::string("; expected ") + kShape), std::string::npos) << e;
  }
  EXPECT_EQ(error_of(R"({"v":1,"file":"a","offset":1,"done":false})"), "no error");
}

TEST(SdkSupportCursor, TheQuotedCursorIsPrintableAndShort) {
  std::string e = error_of(std::string("\x01\xff") + std::string(200, 'a'));
  const std::string quoted = e.substr(e.find('\'') + 1, e.find("': ") - e.find('\'') - 1);
  EXPECT_EQ(quoted, "??" + std::string(78, 'a'));
  // UTF-8 stays readable.
  EXPECT_NE(error_of("游标").find("'游标'"), std::string::npos);
}

TEST(SdkSupportCursor, OtherVersionsAndThePluginsOwnChecks) {
  CursorReader r(R"({"v":3,"at":5})", {"at"}, "{...}", 3);
  EXPECT_EQ(r.integer("at"), 5);
  CursorError e = r.error("at is in the future");
  EXPECT_STREQ(e.what(), "cannot read cursor '{\"v\":3,\"at\":5}': at is in the future; expected {...}");
  EXPECT_THROW(r.integer("nope"), CursorError);
}

TEST(SdkSupportCursor, CursorObjectRoundTrips) {
  auto o = cursor_object();
  o["file"] = "b.csv";
  o["offset"] = 42;
  o["done"] = false;
  const std::string text = boost::json::serialize(o);
  EXPECT_EQ(text, R"({"v":1,"file":"b.csv","offset":42,"done":false})");
  auto r = read(text);
  EXPECT_EQ(r.string("file"), "b.csv");
  EXPECT_EQ(r.non_negative("offset"), 42u);
  EXPECT_FALSE(r.boolean("done"));
  EXPECT_EQ(boost::json::serialize(cursor_object(2)), R"({"v":2})");
}

}  // namespace
