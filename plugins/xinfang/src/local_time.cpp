// Strict parsing of zone-less local dates and times.
#include "local_time.hpp"

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

bool is_utc_offset(std::string_view o) {
  if (o.size() != 6 || (o[0] != '+' && o[0] != '-') || o[3] != ':') return false;
  int h = digits(o, 1, 2), m = digits(o, 4, 2);
  return h >= 0 && h <= 14 && m >= 0 && m < 60;
}

}  // namespace yizhan::plugins::xinfang
