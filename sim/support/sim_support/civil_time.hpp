// Time in the simulated department systems. APIs speak epoch milliseconds (UTC) or
// zone-less Beijing local text ("2026-03-01 09:12:33"); record numbers and file names use
// Beijing local dates. The simulators count local seconds from 1970-01-01 00:00:00
// Beijing time, so local = utc + 8 h and no time-zone database is ever needed. The
// calendar arithmetic is the SDK's (yizhan/sdk/support/civil_time.hpp); the fixed +08:00
// is the simulated county's, and belongs here, not in a plugin.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <yizhan/sdk/support/civil_time.hpp>

namespace yizhan::sim {

using sdk::support::civil_from_days;
using sdk::support::CivilDate;
using sdk::support::days_from_civil;
using sdk::support::floor_div;
using sdk::support::format_local;  // "YYYY-MM-DD HH:MM:SS" of a local second

inline constexpr std::int64_t kBeijingOffsetSeconds = 8 * 3600;

// Epoch milliseconds of a Beijing local second.
constexpr std::int64_t epoch_ms(std::int64_t local_seconds) { return (local_seconds - kBeijingOffsetSeconds) * 1000; }

// "YYYYMMDD" of a local second, as in a record number.
inline std::string format_ymd(std::int64_t local_seconds) {
  const std::string s = format_local(local_seconds);
  return s.substr(0, 4) + s.substr(5, 2) + s.substr(8, 2);
}

// "YYYY-MM-DD" of a local second.
inline std::string format_date(std::int64_t local_seconds) { return format_local(local_seconds).substr(0, 10); }

// "YYYYMMDD_HHMMSS" of a local second, for file names.
inline std::string format_stamp(std::int64_t local_seconds) {
  const std::string s = format_local(local_seconds);
  return format_ymd(local_seconds) + "_" + s.substr(11, 2) + s.substr(14, 2) + s.substr(17, 2);
}

// Parses "YYYY-MM-DD HH:MM:SS" (also with 'T' between date and time) strictly: a real
// calendar date from 1970 on, a real clock time. nullopt for anything else.
inline std::optional<std::int64_t> parse_local(std::string_view s) {
  if (s.size() != 19 || (s[10] != ' ' && s[10] != 'T')) return std::nullopt;
  std::string text(s);
  text[10] = ' ';
  auto t = sdk::support::parse_local_time(text);
  if (!t) return std::nullopt;
  return t->seconds;
}

// Parses ISO 8601 "YYYY-MM-DDTHH:MM:SS" followed by "Z" or "+HH:MM"/"-HH:MM" (fractions of
// a second are not accepted) into Beijing local seconds. nullopt if it is anything else.
inline std::optional<std::int64_t> parse_iso_to_local(std::string_view s) {
  if (s.size() < 20 || s[19] == '.') return std::nullopt;
  auto utc = sdk::support::parse_iso8601_instant(s);
  if (!utc) return std::nullopt;
  return *utc + kBeijingOffsetSeconds;
}

}  // namespace yizhan::sim
