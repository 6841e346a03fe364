// The plugin's cursor: how far the read of the order table has come, plus what it has
// already delivered inside the overlap window.
//
// Orders are read in (gxsj, id) order: last update time (text, second resolution), then
// the integer primary key. A plain "after (gxsj, id)" cursor misses late commits: the
// centre runs several app servers with skewed clocks, so a row can become visible with a
// gxsj earlier than rows already read. Each poll therefore rescans a window below the
// high-water mark — rows with floor < (gxsj, id) <= last — and returns only those not
// listed in `seen`, the positions delivered inside the window. So a late row is returned
// once, and an unchanged window is never returned again.
//
//   {"v":1,"gxsj":"2026-03-01 09:12:33","id":123,"floor":["2026-03-01 09:07:33",-1],
//    "seen":[[120,0],[118,4],[97,"2026-03-01 09:1x:00"]]}
//
// A seen entry is [id, seconds before gxsj] or, when its gxsj does not parse, [id, text].
// Invariant: every row delivered with a position inside (floor, last] is in `seen`. The
// floor only moves up: to last.gxsj - overlap_seconds, or higher when more than
// overlap_max_rows entries would share the window (the window narrows, the cursor stays
// bounded). An empty cursor is the start. Anything else that does not parse is a
// CursorError: the hub stops the instance; the plugin never restarts from zero.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace yizhan::plugins::dangqun {

// A row's place in the read order: gxsj text as stored, then id.
struct Position {
  std::string gxsj;
  std::int64_t id = 0;
  auto operator<=>(const Position&) const = default;
};

struct Cursor {
  std::optional<Position> last;  // the highest position delivered; empty: the start
  Position floor;                // exclusive lower bound of the rescanned window (meaningful with last)
  std::set<Position> seen;       // positions delivered inside (floor, last]

  bool at_start() const { return !last; }
  bool has_window() const { return last && floor < *last; }
};

// Parses the cursor text; "" is the start. Throws sdk::CursorError naming the problem.
Cursor parse_cursor(std::string_view text);
// The cursor's text; "" for the start.
std::string format_cursor(const Cursor& cursor);

// The cursor after delivering `delivered` (positions of rows returned by this poll, in
// any order) from `before`: last moves to the highest position, the floor to
// last.gxsj - overlap_seconds (never down), raised until at most max_rows entries remain.
Cursor advance(const Cursor& before, const std::set<Position>& delivered, std::int64_t overlap_seconds,
               size_t max_rows);

}  // namespace yizhan::plugins::dangqun
