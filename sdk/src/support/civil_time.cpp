// Civil time at a fixed UTC offset, strictly parsed.
#include <cstdio>
#include <yizhan/sdk/support/civil_time.hpp>

namespace yizhan::sdk::support {
namespace {

// The number in s[pos, pos + len) if it is all ASCII digits; -1 otherwise.
int digits(std::string_view s, size_t pos, size_t len) {
  if (pos + len > s.size()) return -1;
  int v = 0;
  for (size_t i = pos; i < pos + len; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// Local seconds of "YYYY-MM-DD?HH:MM:SS" with `sep` at position 10; nullopt unless valid.
std::optional<std::int64_t> wall_seconds(std::string_view s, char sep) {
  if (s.size() != 19 || s[4] != '-' || s[7] != '-' || s[10] != sep || s[13] != ':' || s[16] != ':') return std::nullopt;
  const int y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2);
  const int h = digits(s, 11, 2), mi = digits(s, 14, 2), se = digits(s, 17, 2);
  if (y < 1970 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59 || !is_civil_date(y, mo, d))
    return std::nullopt;
  return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + se;
}

}  // namespace

std::optional<int> parse_utc_offset(std::string_view o) {
  if (o.size() != 6 || (o[0] != '+' && o[0] != '-') || o[3] != ':') return std::nullopt;
  const int h = digits(o, 1, 2), m = digits(o, 4, 2);
  if (h < 0 || h > 14 || m < 0 || m > 59) return std::nullopt;
  return (o[0] == '+' ? 1 : -1) * (h * 3600 + m * 60);
}

bool is_utc_offset(std::string_view offset) { return parse_utc_offset(offset).has_value(); }

std::optional<LocalTime> parse_local_time(std::string_view text) {
  auto seconds = wall_seconds(text, ' ');
  if (!seconds) return std::nullopt;
  return LocalTime{std::string(text), *seconds};
}

std::string format_local(std::int64_t local_seconds) {
  const std::int64_t days = floor_div(local_seconds, 86400);
  const std::int64_t secs = local_seconds - days * 86400;
  const CivilDate c = civil_from_days(days);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u %02lld:%02lld:%02lld", static_cast<long long>(c.year), c.month,
                c.day, static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
                static_cast<long long>(secs % 60));
  return buf;
}

std::string local_seconds_to_iso8601(std::int64_t local_seconds, std::string_view utc_offset) {
  std::string out = format_local(local_seconds);
  out[10] = 'T';
  return out + std::string(utc_offset);
}

std::string to_iso8601(const LocalTime& t, std::string_view utc_offset) {
  std::string out = t.text;
  if (out.size() > 10) out[10] = 'T';
  return out + std::string(utc_offset);
}

std::optional<std::int64_t> parse_iso8601_instant(std::string_view s) {
  if (s.size() < 20) return std::nullopt;
  auto wall = wall_seconds(s.substr(0, 19), 'T');
  if (!wall) return std::nullopt;
  std::string_view zone = s.substr(19);
  if (zone.front() == '.') {  // a fraction of a second: dropped
    size_t n = 1;
    while (n < zone.size() && zone[n] >= '0' && zone[n] <= '9') ++n;
    if (n == 1) return std::nullopt;
    zone.remove_prefix(n);
  }
  if (zone == "Z") return *wall;
  auto offset = parse_utc_offset(zone);
  if (!offset) return std::nullopt;
  return *wall - *offset;
}

std::optional<LocalTime> local_time_of(std::string_view instant, std::string_view utc_offset) {
  auto offset = parse_utc_offset(utc_offset);
  auto utc = parse_iso8601_instant(instant);
  if (!offset || !utc) return std::nullopt;
  return parse_local_time(format_local(*utc + *offset));
}

}  // namespace yizhan::sdk::support
