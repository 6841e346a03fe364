// The cursor as a specification: its text, its window, and what it refuses.
#include "cursor.hpp"

#include <gtest/gtest.h>

#include <yizhan/sdk/plugin.hpp>

namespace yizhan::plugins::dangqun {
namespace {

TEST(DangqunCursor, EmptyIsTheStartAndFormatsBackToEmpty) {
  auto c = parse_cursor("");
  EXPECT_TRUE(c.at_start());
  EXPECT_EQ(format_cursor(c), "");
}

TEST(DangqunCursor, RoundTripsPositionFloorAndSeenEntries) {
  Cursor c;
  c.last = Position{"2026-03-01 09:12:33", 123};
  c.floor = Position{"2026-03-01 09:07:33", -1};
  c.seen = {{"2026-03-01 09:12:33", 120}, {"2026-03-01 09:12:29", 118}};
  std::string text = format_cursor(c);
  EXPECT_NE(text.find("[118,4]"), std::string::npos) << "seen entries are offsets below gxsj: " << text;
  auto back = parse_cursor(text);
  EXPECT_EQ(back.last, c.last);
  EXPECT_EQ(back.floor, c.floor);
  EXPECT_EQ(back.seen, c.seen);
  EXPECT_EQ(format_cursor(back), text);
}

TEST(DangqunCursor, AdvanceRemembersDeliveredRowsInsideTheOverlapOnly) {
  Cursor start;
  std::set<Position> first = {{"2026-03-01 09:00:00", 1}, {"2026-03-01 09:04:00", 2}, {"2026-03-01 09:10:00", 3}};
  auto c = advance(start, first, 300, 100);
  EXPECT_EQ(c.last, (Position{"2026-03-01 09:10:00", 3}));
  EXPECT_EQ(c.floor, (Position{"2026-03-01 09:05:00", -1}));
  EXPECT_EQ(c.seen, (std::set<Position>{{"2026-03-01 09:10:00", 3}}));
  // A late row below the position but inside the window joins `seen`; nothing moves back.
  auto d = advance(c, {{"2026-03-01 09:08:00", 9}}, 300, 100);
  EXPECT_EQ(d.last, c.last);
  EXPECT_EQ(d.floor, c.floor);
  EXPECT_EQ(d.seen.size(), 2u);
}

TEST(DangqunCursor, WindowNarrowsWhenMoreRowsShareItThanAllowedAndNeverWidensAgain) {
  std::set<Position> many;
  for (int i = 1; i <= 10; ++i) many.insert({"2026-03-01 09:10:00", i});
  auto c = advance(Cursor{}, many, 300, 4);
  EXPECT_EQ(c.seen.size(), 4u);
  EXPECT_EQ(c.floor, (Position{"2026-03-01 09:10:00", 6})) << "rows 7..10 stay in the window, 1..6 below the floor";
  auto d = advance(c, {}, 300, 4);
  EXPECT_EQ(d.floor, c.floor) << "the floor never moves down, or rows 1..6 would come again";
  EXPECT_EQ(d.seen, c.seen);
}

TEST(DangqunCursor, UnreadableCursorsAreCursorErrors) {
  for (std::string_view bad :
       {"x", "[]", "{\"v\":2,\"gxsj\":\"2026-03-01 09:00:00\",\"id\":1}", "{\"v\":1,\"id\":1}",
        "{\"v\":1,\"gxsj\":\"2026-03-01 09:00:00\",\"id\":\"1\"}",
        "{\"v\":1,\"gxsj\":\"2026-03-01 09:00:00\",\"id\":1,\"seen\":[[1]]}",
        "{\"v\":1,\"gxsj\":\"2026-03-01 09:00:00\",\"id\":1,\"floor\":[\"2026-03-02 00:00:00\",1]}",
        "{\"v\":1,\"gxsj\":\"2026-03-01 09:00:00\",\"id\":1,\"extra\":0}"})
    EXPECT_THROW(parse_cursor(bad), sdk::CursorError) << bad;
}

}  // namespace
}  // namespace yizhan::plugins::dangqun
