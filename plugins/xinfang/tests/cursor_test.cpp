// The cursor's text form: readable, strict, round-tripping.
#include "cursor.hpp"

#include <gtest/gtest.h>

#include <yizhan/sdk/plugin.hpp>

namespace yizhan::plugins::xinfang {
namespace {

TEST(XinfangCursor, RoundTripsFileOffsetAndCompletion) {
  Cursor c{"XF_EXPORT_20260301_093000.csv", 48213, false};
  std::string text = format_cursor(c);
  EXPECT_EQ(text, R"({"v":1,"file":"XF_EXPORT_20260301_093000.csv","offset":48213,"complete":false})");
  Cursor back = parse_cursor(text);
  EXPECT_EQ(back.file, c.file);
  EXPECT_EQ(back.offset, c.offset);
  EXPECT_FALSE(back.complete);
  EXPECT_TRUE(parse_cursor("").at_start());
  EXPECT_EQ(format_cursor({}), "");
}

TEST(XinfangCursor, AnythingElseIsACursorError) {
  for (const char* bad :
       {"garbage", "[]", R"({"v":2,"file":"a.csv","offset":0,"complete":false})",
        R"({"v":1,"offset":0,"complete":false})", R"({"v":1,"file":"a.csv","offset":-1,"complete":false})",
        R"({"v":1,"file":"../etc/passwd","offset":0,"complete":false})", R"({"v":1,"file":"a.csv","offset":0})",
        R"({"v":1,"file":"a.csv","offset":0,"complete":false,"x":1})"})
    EXPECT_THROW(parse_cursor(bad), sdk::CursorError) << bad;
}

}  // namespace
}  // namespace yizhan::plugins::xinfang
