// Cursor text <-> position, strictly: an unreadable cursor is never treated as the start.
#include "cursor.hpp"

#include <boost/json.hpp>
#include <yizhan/sdk/support/cursor.hpp>

namespace yizhan::plugins::zongzhi {

Cursor parse_cursor(std::string_view text) {
  if (text.empty()) return {};
  sdk::support::CursorReader r(text, {"updateTime", "eventId"}, R"({"v":1,"updateTime":<epoch ms>,"eventId":"..."})");
  Cursor c;
  c.at_start = false;
  c.after.update_ms = static_cast<std::int64_t>(r.non_negative("updateTime"));
  if (c.after.update_ms < 0) throw r.error("updateTime is out of range");
  c.after.event_id = r.string("eventId", /*allow_empty=*/true);
  return c;
}

std::string format_cursor(const Cursor& c) {
  if (c.at_start) return {};
  auto o = sdk::support::cursor_object();
  o["updateTime"] = c.after.update_ms;
  o["eventId"] = c.after.event_id;
  return boost::json::serialize(o);
}

}  // namespace yizhan::plugins::zongzhi
