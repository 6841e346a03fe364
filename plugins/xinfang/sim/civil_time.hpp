// Simulated local (Beijing) time as seconds since 1970-01-01 00:00:00 of that clock,
// and the 信访 system's text forms of it.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace yizhan::sim::xinfang {

constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  int year, month, day, hour, minute, second;
};

constexpr Civil civil_from_seconds(std::int64_t s) {
  std::int64_t z = s / 86400;
  std::int64_t rem = s % 86400;
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {
      static_cast<int>(y + (m <= 2)),    static_cast<int>(m),       static_cast<int>(d), static_cast<int>(rem / 3600),
      static_cast<int>(rem % 3600 / 60), static_cast<int>(rem % 60)};
}

// "2026-03-01 09:12:33"
inline std::string format_time(std::int64_t s) {
  Civil c = civil_from_seconds(s);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", c.year, c.month, c.day, c.hour, c.minute, c.second);
  return buf;
}
// "2026-03-01"
inline std::string format_date(std::int64_t s) { return format_time(s).substr(0, 10); }
// "20260301_091233", for export file names.
inline std::string format_stamp(std::int64_t s) {
  Civil c = civil_from_seconds(s);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d_%02d%02d%02d", c.year, c.month, c.day, c.hour, c.minute, c.second);
  return buf;
}

// The local time of "2026-03-01T09:12:33+08:00" (the offset is taken as Beijing's).
inline std::optional<std::int64_t> parse_iso_local(std::string_view t) {
  int y, mo, d, h, mi, se;
  if (t.size() < 19 ||
      std::sscanf(std::string(t.substr(0, 19)).c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &se) != 6)
    return std::nullopt;
  return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + se;
}

}  // namespace yizhan::sim::xinfang
