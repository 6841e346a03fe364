// The plugin's cursor: where the incremental read of the work-order list stands.
//
// The upstream lists work orders ordered by (gxsj, id) — last update time, then its
// numeric primary key — and returns those strictly after a given pair. The cursor is
// that pair for the last work order the hub has stored, as JSON text:
//
//   {"v":1,"updated_after":"2026-03-01 09:12:33","after_id":123}
//
// An empty cursor means "from the beginning" (or from the configured
// initial_updated_after). Anything else that does not parse is a CursorError: the hub
// stops the instance until an operator resets it; the plugin never restarts from zero.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <yizhan/sdk/support/civil_time.hpp>

namespace yizhan::plugins::hotline12345 {

// A position in the upstream's (gxsj, id) order.
struct Position {
  std::int64_t seconds = 0;  // sdk::support::LocalTime::seconds of gxsj
  std::uint64_t id = 0;
  auto operator<=>(const Position&) const = default;
};

struct Cursor {
  std::optional<sdk::support::LocalTime> updated_after;  // empty: from the beginning
  std::uint64_t after_id = 0;

  bool at_start() const { return !updated_after; }
  // Work orders at or before this position were already delivered.
  Position position() const {
    return updated_after ? Position{updated_after->seconds, after_id} : Position{-1, 0};
  }
};

// Parses the cursor text; "" is the start. Throws sdk::CursorError naming the problem.
Cursor parse_cursor(std::string_view text);
// The cursor's text; "" for the start.
std::string format_cursor(const Cursor& cursor);

}  // namespace yizhan::plugins::hotline12345
