// The cursor: "" is the start, round trips exactly, and garbage is an error, never a restart.
#include "cursor.hpp"

#include <gtest/gtest.h>

#include <yizhan/sdk/plugin.hpp>

namespace {
using namespace yizhan::plugins::hotline12345;

TEST(Hotline12345Cursor, EmptyIsTheStart) {
  Cursor c = parse_cursor("");
  EXPECT_TRUE(c.at_start());
  EXPECT_EQ(format_cursor(c), "");
}

TEST(Hotline12345Cursor, RoundTrips) {
  std::string text = R"({"v":1,"updated_after":"2026-03-01 09:12:33","after_id":123})";
  Cursor c = parse_cursor(text);
  ASSERT_FALSE(c.at_start());
  EXPECT_EQ(c.updated_after->text, "2026-03-01 09:12:33");
  EXPECT_EQ(c.after_id, 123u);
  EXPECT_EQ(format_cursor(c), text);
  EXPECT_EQ(format_cursor(parse_cursor(format_cursor(c))), text);
}

TEST(Hotline12345Cursor, UnreadableCursorIsACursorErrorSayingWhy) {
  for (std::string bad :
       {std::string("\x01garbage-cursor\xff"), std::string("{}"), std::string("[1]"),
        std::string(R"({"v":2,"updated_after":"2026-03-01 09:12:33","after_id":1})"),
        std::string(R"({"v":1,"updated_after":"2026-02-30 09:12:33","after_id":1})"),
        std::string(R"({"v":1,"updated_after":"2026-03-01 09:12:33","after_id":-1})"),
        std::string(R"({"v":1,"updated_after":"2026-03-01 09:12:33"})"),
        std::string(R"({"v":1,"updated_after":"2026-03-01 09:12:33","after_id":1,"page":2})"),
        std::string("2026-03-01 09:12:33|123")}) {
    try {
      parse_cursor(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const yizhan::sdk::CursorError& e) {
      EXPECT_NE(std::string(e.what()).find("cannot read cursor"), std::string::npos) << e.what();
    }
  }
}

TEST(Hotline12345Cursor, PositionsOrderByUpdateTimeThenId) {
  auto at = [](const char* t, std::uint64_t id) {
    return Cursor{yizhan::sdk::support::parse_local_time(t), id}.position();
  };
  EXPECT_LT(at("2026-03-01 09:12:33", 999), at("2026-03-01 09:12:34", 1));
  EXPECT_LT(at("2026-03-01 09:12:33", 1), at("2026-03-01 09:12:33", 2));
  EXPECT_LT(Cursor{}.position(), at("1970-01-01 00:00:00", 0));
}

}  // namespace
