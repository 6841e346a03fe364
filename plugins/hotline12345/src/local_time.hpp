// The 12345 system's timestamps: Beijing local time without a zone, "2026-03-01 09:12:33".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace yizhan::plugins::hotline12345 {

// A validated upstream timestamp: its text as sent and seconds since 1970-01-01 00:00:00
// of the same local clock (for ordering only; no zone is applied).
struct LocalTime {
  std::string text;  // exactly "YYYY-MM-DD HH:MM:SS"
  std::int64_t seconds = 0;
};

// Parses "YYYY-MM-DD HH:MM:SS" strictly: a real calendar date (leap years included),
// hours 00-23, minutes and seconds 00-59, years 1970-9999. Anything else is nullopt,
// including "0000-00-00 00:00:00", which legacy systems use for "unknown".
std::optional<LocalTime> parse_local_time(std::string_view text);

// ISO 8601 with the given offset: "2026-03-01T09:12:33+08:00".
std::string to_iso8601(const LocalTime& t, std::string_view utc_offset);

// A UTC instant as the hub writes it ("2026-03-01T01:12:33Z"; fractions of a second and
// a "+HH:MM" offset instead of "Z" are accepted too) in the upstream's local time at
// `utc_offset` ("2026-03-01 09:12:33" at +08:00). nullopt if it is not such a time.
std::optional<LocalTime> local_time_of(std::string_view instant, std::string_view utc_offset);

// True for "+HH:MM" / "-HH:MM" with HH <= 14 and MM < 60.
bool is_utc_offset(std::string_view offset);

}  // namespace yizhan::plugins::hotline12345
