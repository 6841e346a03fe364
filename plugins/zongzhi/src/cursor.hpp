// The plugin's cursor: the last event the hub has stored, in the upstream's list order.
//
// The upstream lists events with updateTime >= updatedSince, ordered by (updateTime,
// eventId), paged by number. Page numbers are useless as a position: the list is live,
// and every status change moves an event to its end, shifting every later page. So the
// cursor is the (updateTime, eventId) of the last event returned, as JSON text:
//
//   {"v":1,"updateTime":1772327553123,"eventId":"SJ2026030100012"}
//
// and every poll asks for page 1 of updatedSince = updateTime (inclusive: events sharing
// that millisecond but sorting after eventId are not lost) and drops what sorts at or
// before the cursor. eventId may be "" after an event that came without one (rejected):
// it sorts before every real id of the same millisecond. An empty cursor is the start;
// anything else that does not parse is a CursorError, never a silent restart.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace yizhan::plugins::zongzhi {

// A position in the upstream's (updateTime, eventId) order. eventIds compare byte by
// byte, as the upstream's database collation (utf8mb4_bin) does.
struct Position {
  std::int64_t update_ms = -1;  // -1: before everything
  std::string event_id;
  auto operator<=>(const Position&) const = default;
};

struct Cursor {
  bool at_start = true;
  Position after;  // events at or before it were already delivered
};

// Parses the cursor text; "" is the start. Throws sdk::CursorError naming the problem.
Cursor parse_cursor(std::string_view text);
// The cursor's text; "" for the start.
std::string format_cursor(const Cursor& cursor);

}  // namespace yizhan::plugins::zongzhi
