// Strict parsing of zone-less local dates and times, and UTC instants made local.
#include "local_time.hpp"

#include <cstdio>

namespace yizhan::plugins::xinfang {
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

// The proleptic Gregorian date of days since 1970-01-01 (the inverse of the above).
void civil_from_days(std::int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
}

int digits(std::string_view s, size_t pos, size_t len) {
  int v = 0;
  for (size_t i = pos; i < pos + len; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

}  // namespace

std::optional<LocalTime> parse_local_time(std::string_view s) {
  if (s.size() != 10 && s.size() != 19) return std::nullopt;
  if (!((s[4] == '-' && s[7] == '-') || (s[4] == '/' && s[7] == '/'))) return std::nullopt;
  int y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2);
  int h = 0, mi = 0, se = 0;
  if (s.size() == 19) {
    if (s[10] != ' ' || s[13] != ':' || s[16] != ':') return std::nullopt;
    h = digits(s, 11, 2), mi = digits(s, 14, 2), se = digits(s, 17, 2);
  }
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59)
    return std::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kDays[mo - 1] + (mo == 2 && leap ? 1 : 0)) return std::nullopt;
  LocalTime t;
  t.date = std::string(s.substr(0, 10));
  t.date[4] = t.date[7] = '-';
  t.has_time = s.size() == 19;
  t.time = t.has_time ? std::string(s.substr(11)) : "00:00:00";
  t.seconds = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + se;
  return t;
}

std::string to_iso8601(const LocalTime& t, std::string_view utc_offset) {
  return t.date + "T" + t.time + std::string(utc_offset);
}

std::optional<LocalTime> local_time_of_utc(std::string_view utc, std::string_view utc_offset) {
  if (utc.size() < 20 || utc[10] != 'T' || !is_utc_offset(utc_offset)) return std::nullopt;
  std::string_view zone = utc.substr(19);
  if (!zone.empty() && zone[0] == '.') {
    size_t n = 1;
    while (n < zone.size() && zone[n] >= '0' && zone[n] <= '9') ++n;
    if (n == 1) return std::nullopt;
    zone.remove_prefix(n);
  }
  if (zone != "Z" && zone != "+00:00") return std::nullopt;
  std::string text(utc.substr(0, 19));
  text[10] = ' ';
  auto t = parse_local_time(text);
  if (!t || text[4] != '-') return std::nullopt;
  const int sign = utc_offset[0] == '-' ? -1 : 1;
  const std::int64_t shift = sign * (digits(utc_offset, 1, 2) * 3600 + digits(utc_offset, 4, 2) * 60);
  const std::int64_t local = t->seconds + shift;
  const std::int64_t days = (local >= 0 ? local : local - 86399) / 86400, rem = local - days * 86400;
  int y = 0, m = 0, d = 0;
  civil_from_days(days, y, m, d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, static_cast<int>(rem / 3600),
                static_cast<int>(rem % 3600 / 60), static_cast<int>(rem % 60));
  return parse_local_time(buf);
}

bool is_utc_offset(std::string_view o) {
  if (o.size() != 6 || (o[0] != '+' && o[0] != '-') || o[3] != ':') return false;
  int h = digits(o, 1, 2), m = digits(o, 4, 2);
  return h >= 0 && h <= 14 && m >= 0 && m < 60;
}

}  // namespace yizhan::plugins::xinfang
