// Civil-date arithmetic on epoch milliseconds, no time-zone database needed.
#include "epoch_time.hpp"

#include <cstdio>

namespace yizhan::plugins::zongzhi {
namespace {

struct Civil {
  std::int64_t y;
  unsigned m, d;
};

// Civil date of days since 1970-01-01 (H. Hinnant's algorithm).
Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

int two_digits(std::string_view s, size_t pos) {
  if (s[pos] < '0' || s[pos] > '9' || s[pos + 1] < '0' || s[pos + 1] > '9') return -1;
  return (s[pos] - '0') * 10 + (s[pos + 1] - '0');
}

}  // namespace

std::optional<int> parse_utc_offset(std::string_view o) {
  if (o.size() != 6 || (o[0] != '+' && o[0] != '-') || o[3] != ':') return std::nullopt;
  int h = two_digits(o, 1), m = two_digits(o, 4);
  if (h < 0 || h > 14 || m < 0 || m >= 60) return std::nullopt;
  return (o[0] == '+' ? 1 : -1) * (h * 3600 + m * 60);
}

std::string to_iso8601(std::int64_t ms, int offset_seconds, std::string_view offset_text) {
  const std::int64_t t = floor_div(ms, 1000) + offset_seconds;
  const std::int64_t days = floor_div(t, 86400);
  const std::int64_t secs = t - days * 86400;
  const Civil c = civil_from_days(days);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld", static_cast<long long>(c.y), c.m, c.d,
                static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
                static_cast<long long>(secs % 60));
  return std::string(buf) + std::string(offset_text);
}

}  // namespace yizhan::plugins::zongzhi
