// Yizhan SDK plugin helpers — civil (wall-clock) time at a fixed UTC offset, and ISO 8601.
//
// Department systems write local time without a zone ("2026-03-01 09:12:33") or epoch
// milliseconds; a CaseRecord wants ISO 8601 with the offset ("2026-03-01T09:12:33+08:00").
// The offset is the instance's config (e.g. `utc_offset: "+08:00"`), never assumed: these
// helpers take it as a parameter. China has no daylight saving time, so a fixed offset is
// exact and no time-zone database is needed.
//
// "Local seconds" below count seconds since 1970-01-01 00:00:00 *of the local clock*
// (not UTC): local seconds = UTC epoch seconds + offset seconds. They order local times
// and let a plugin do arithmetic on them; they are not an instant until an offset is named.
//
//   using namespace yizhan::sdk::support;
//   auto t = parse_local_time("2026-03-01 09:12:33");          // text + local seconds
//   record.received_at = to_iso8601(*t, settings.utc_offset);  // "2026-03-01T09:12:33+08:00"
//   auto back = local_time_of("2026-03-01T01:12:33Z", "+08:00");  // t->text "2026-03-01 09:12:33"
//   std::string s = local_seconds_to_iso8601(floor_div(ms, 1000) + 8 * 3600, "+08:00");
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace yizhan::sdk::support {

// ---- Calendar arithmetic (proleptic Gregorian; H. Hinnant's algorithms) ----

// a / b rounded towards negative infinity (b > 0): floor_div(-1, 86400) == -1.
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// Days since 1970-01-01 of year-month-day (month 1-12, day 1-31; not checked).
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct CivilDate {
  std::int64_t year;
  unsigned month, day;
};

// The date of a day number (days since 1970-01-01): the inverse of days_from_civil.
constexpr CivilDate civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

constexpr bool is_leap_year(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// True for a real calendar date: month 1-12, day 1 to the month's length (29 February
// only in leap years).
constexpr bool is_civil_date(std::int64_t y, int m, int d) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m >= 1 && m <= 12 && d >= 1 && d <= kDays[m - 1] + (m == 2 && is_leap_year(y) ? 1 : 0);
}

// ---- UTC offsets ----

// "+HH:MM" / "-HH:MM" (HH 00-14, MM 00-59) in seconds east of UTC ("+08:00" → 28800,
// "-03:30" → -12600); nullopt for anything else ("Z", "+8:00", "+0800", "+15:00").
std::optional<int> parse_utc_offset(std::string_view offset);

// True when parse_utc_offset accepts `offset`.
bool is_utc_offset(std::string_view offset);

// ---- Zone-less local time "YYYY-MM-DD HH:MM:SS" ----

// A validated local timestamp: its text and its local seconds.
struct LocalTime {
  std::string text;  // exactly "YYYY-MM-DD HH:MM:SS"
  std::int64_t seconds = 0;
};

// Parses "YYYY-MM-DD HH:MM:SS" strictly: a real calendar date (leap years included),
// years 1970-9999, hours 00-23, minutes and seconds 00-59, nothing before or after.
// Anything else is nullopt, including "0000-00-00 00:00:00", which legacy systems use
// for "unknown", "2026-02-29 10:00:00" and "2026-03-01T09:12:33".
std::optional<LocalTime> parse_local_time(std::string_view text);

// "YYYY-MM-DD HH:MM:SS" of local seconds (the inverse of parse_local_time's seconds).
std::string format_local(std::int64_t local_seconds);

// ISO 8601 of local seconds at `utc_offset` (as configured, e.g. "+08:00"), whole
// seconds: "2026-03-01T09:12:33+08:00". The offset text is appended as given.
std::string local_seconds_to_iso8601(std::int64_t local_seconds, std::string_view utc_offset);

// ISO 8601 of a LocalTime at `utc_offset`: "2026-03-01T09:12:33+08:00".
std::string to_iso8601(const LocalTime& t, std::string_view utc_offset);

// ---- Instants in ISO 8601 ----

// UTC epoch seconds of "YYYY-MM-DDTHH:MM:SS" followed by an optional fraction of a
// second (".123", dropped: rounding down) and "Z" or "+HH:MM"/"-HH:MM"; the date and
// clock are checked as parse_local_time does. nullopt for anything else (no zone,
// "2026-03-01 01:12:33Z", a bad date, an offset parse_utc_offset rejects).
std::optional<std::int64_t> parse_iso8601_instant(std::string_view text);

// The local time at `utc_offset` of an instant parse_iso8601_instant accepts:
// ("2026-03-01T01:12:33Z", "+08:00") → "2026-03-01 09:12:33";
// ("2026-02-28T23:30:00-05:00", "+08:00") → "2026-03-01 12:30:00".
// nullopt when either is not valid, or the local time falls outside 1970-9999.
std::optional<LocalTime> local_time_of(std::string_view instant, std::string_view utc_offset);

}  // namespace yizhan::sdk::support
