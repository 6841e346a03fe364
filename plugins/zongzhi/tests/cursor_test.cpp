// The cursor: "" is the start, round trips exactly, and garbage is an error, never a restart.
#include "cursor.hpp"

#include <gtest/gtest.h>

#include <yizhan/sdk/plugin.hpp>

namespace {
using namespace yizhan::plugins::zongzhi;

TEST(ZongzhiCursor, EmptyIsTheStart) {
  Cursor c = parse_cursor("");
  EXPECT_TRUE(c.at_start);
  EXPECT_EQ(format_cursor(c), "");
}

TEST(ZongzhiCursor, RoundTrips) {
  std::string text = R"({"v":1,"updateTime":1772327553123,"eventId":"SJ2026030100012"})";
  Cursor c = parse_cursor(text);
  ASSERT_FALSE(c.at_start);
  EXPECT_EQ(c.after.update_ms, 1772327553123);
  EXPECT_EQ(c.after.event_id, "SJ2026030100012");
  EXPECT_EQ(format_cursor(c), text);
  EXPECT_EQ(format_cursor(parse_cursor(R"({"v":1,"updateTime":5,"eventId":""})")),
            R"({"v":1,"updateTime":5,"eventId":""})");
}

TEST(ZongzhiCursor, UnreadableCursorIsACursorErrorSayingWhy) {
  for (std::string bad :
       {std::string("\x01garbage-cursor\xff"), std::string("{}"), std::string("[1]"),
        std::string(R"({"v":2,"updateTime":1,"eventId":"a"})"), std::string(R"({"v":1,"updateTime":-1,"eventId":"a"})"),
        std::string(R"({"v":1,"updateTime":"1","eventId":"a"})"), std::string(R"({"v":1,"updateTime":1})"),
        std::string(R"({"v":1,"updateTime":1,"eventId":"a","pageNo":2})"), std::string("3")}) {
    try {
      parse_cursor(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const yizhan::sdk::CursorError& e) {
      EXPECT_NE(std::string(e.what()).find("cannot read cursor"), std::string::npos) << e.what();
    }
  }
}

TEST(ZongzhiCursor, PositionsOrderByUpdateTimeThenEventIdBytes) {
  EXPECT_LT((Position{1000, "SJ9"}), (Position{1001, "SJ1"}));
  EXPECT_LT((Position{1000, "SJ1"}), (Position{1000, "SJ2"}));
  EXPECT_LT((Position{1000, ""}), (Position{1000, "SJ1"})) << "an event without id sorts first in its ms";
  EXPECT_LT(Position{}, (Position{0, ""}));
}

}  // namespace
