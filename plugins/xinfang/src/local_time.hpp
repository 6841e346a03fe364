// The 信访 system's dates and times: local (Beijing) time without a zone, written
// "2026-03-01 09:12:33" or, for stage dates, "2026-03-01" ('/' is accepted for '-').
// The calendar and offset arithmetic is the SDK's (yizhan/sdk/support/civil_time.hpp);
// what is this system's own is the date-only form, the '/' and UTC-only receipts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <yizhan/sdk/support/civil_time.hpp>

namespace yizhan::plugins::xinfang {

using sdk::support::is_utc_offset;

// A validated local date or date-time.
struct LocalTime {
  std::string date;  // "YYYY-MM-DD"
  std::string time;  // "HH:MM:SS"; "00:00:00" when only a date was given
  bool has_time = false;
  std::int64_t seconds = 0;  // since 1970-01-01 00:00:00 of the same local clock (ordering only)

  std::string text() const { return has_time ? date + " " + time : date; }
};

// Parses "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS" strictly: a real calendar date (leap
// years included), years 1970-9999, hours 00-23, minutes and seconds 00-59. Anything
// else, e.g. "2026-02-30" or "0000-00-00", is nullopt.
std::optional<LocalTime> parse_local_time(std::string_view text);

// ISO 8601 with the offset: "2026-03-01T09:12:33+08:00".
std::string to_iso8601(const LocalTime& t, std::string_view utc_offset);

// The local time at `utc_offset` of a UTC instant written "2026-03-01T01:12:33Z" (as the
// hub writes them; fractions of a second are dropped, "+00:00" is accepted for "Z"), for
// the receipts the system imports: "2026-03-01 09:12:33" at +08:00. nullopt for anything
// else, or an offset that is_utc_offset rejects.
std::optional<LocalTime> local_time_of_utc(std::string_view utc, std::string_view utc_offset);

}  // namespace yizhan::plugins::xinfang
