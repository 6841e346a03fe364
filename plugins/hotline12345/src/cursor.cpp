// Cursor text <-> position, strictly: an unreadable cursor is never treated as the start.
#include "cursor.hpp"

#include <boost/json.hpp>
#include <yizhan/sdk/support/cursor.hpp>

namespace yizhan::plugins::hotline12345 {

Cursor parse_cursor(std::string_view text) {
  if (text.empty()) return {};
  sdk::support::CursorReader r(text, {"updated_after", "after_id"},
                               R"({"v":1,"updated_after":"YYYY-MM-DD HH:MM:SS","after_id":N})");
  Cursor c;
  c.updated_after = sdk::support::parse_local_time(r.string("updated_after", /*allow_empty=*/true));
  if (!c.updated_after) throw r.error("updated_after is not a valid time");
  c.after_id = r.non_negative("after_id");
  return c;
}

std::string format_cursor(const Cursor& c) {
  if (!c.updated_after) return {};
  auto o = sdk::support::cursor_object();
  o["updated_after"] = c.updated_after->text;
  o["after_id"] = c.after_id;
  return boost::json::serialize(o);
}

}  // namespace yizhan::plugins::hotline12345
