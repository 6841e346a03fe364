// Strict parsing of the upstream's zone-less local timestamps.
#include "local_time.hpp"

#include <cstdio>

namespace yizhan::plugins::hotline12345 {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

int digits(std::string_view s, size_t pos, size_t len) {
  int v = 0;
  for (size_t i = pos; i < pos + len; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// Seconds east of UTC of a "+HH:MM" offset already checked by is_utc_offset.
std::int64_t offset_seconds(std::string_view o) {
  const std::int64_t s = digits(o, 1, 2) * 3600 + digits(o, 4, 2) * 60;
  return o[0] == '-' ? -s : s;
}

// Hinnant's civil_from_days: the date of a day number, as "YYYY-MM-DD".
std::string civil_text(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

}  // namespace

std::optional<LocalTime> local_time_of(std::string_view s, std::string_view utc_offset) {
  if (s.size() < 20 || s[10] != 'T' || !is_utc_offset(utc_offset)) return std::nullopt;
  std::string wall(s.substr(0, 19));
  wall[10] = ' ';
  auto t = parse_local_time(wall);
  if (!t) return std::nullopt;
  std::string_view zone = s.substr(19);
  if (zone.front() == '.') {  // fractions of a second: dropped, the upstream has none
    size_t n = 1;
    while (n < zone.size() && zone[n] >= '0' && zone[n] <= '9') ++n;
    if (n == 1) return std::nullopt;
    zone.remove_prefix(n);
  }
  std::int64_t utc = t->seconds;
  if (zone != "Z") {
    if (!is_utc_offset(zone)) return std::nullopt;
    utc -= offset_seconds(zone);
  }
  const std::int64_t local = utc + offset_seconds(utc_offset);
  const std::int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  const std::int64_t secs = local - days * 86400;
  char clock[80];
  std::snprintf(clock, sizeof clock, " %02lld:%02lld:%02lld", static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
  return parse_local_time(civil_text(days) + clock);
}

std::optional<LocalTime> parse_local_time(std::string_view s) {
  if (s.size() != 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':')
    return std::nullopt;
  int y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2);
  int h = digits(s, 11, 2), mi = digits(s, 14, 2), se = digits(s, 17, 2);
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59)
    return std::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kDays[mo - 1] + (mo == 2 && leap ? 1 : 0)) return std::nullopt;
  LocalTime t;
  t.text = std::string(s);
  t.seconds = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 +
              mi * 60 + se;
  return t;
}

std::string to_iso8601(const LocalTime& t, std::string_view utc_offset) {
  std::string out = t.text;
  out[10] = 'T';
  out += utc_offset;
  return out;
}

bool is_utc_offset(std::string_view o) {
  if (o.size() != 6 || (o[0] != '+' && o[0] != '-') || o[3] != ':') return false;
  int h = digits(o, 1, 2), m = digits(o, 4, 2);
  return h >= 0 && h <= 14 && m >= 0 && m < 60;
}

}  // namespace yizhan::plugins::hotline12345
