// Strict parsing of the system's local date and time text.
#include "local_time.hpp"

namespace yizhan::plugins::mediation {
namespace {

bool digits(std::string_view s, size_t pos, size_t len, int& out) {
  if (pos + len > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + len; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool valid_date(std::string_view s) {
  int y = 0, m = 0, d = 0;
  if (s.size() < 10 || !digits(s, 0, 4, y) || s[4] != '-' || !digits(s, 5, 2, m) || s[7] != '-' || !digits(s, 8, 2, d))
    return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 2000 || y > 2099 || m < 1 || m > 12 || d < 1) return false;
  return d <= kDays[m - 1] + (m == 2 && leap(y) ? 1 : 0);
}

}  // namespace

bool valid_utc_offset(std::string_view o) {
  int h = 0, m = 0;
  return o.size() == 6 && (o[0] == '+' || o[0] == '-') && digits(o, 1, 2, h) && o[3] == ':' && digits(o, 4, 2, m) &&
         h <= 14 && m < 60;
}

std::optional<std::string> date_to_iso(std::string_view date, std::string_view offset) {
  if (date.size() != 10 || !valid_date(date)) return std::nullopt;
  return std::string(date) + "T00:00:00" + std::string(offset);
}

std::optional<std::string> datetime_to_iso(std::string_view s, std::string_view offset) {
  int h = 0, mi = 0, sec = 0, frac = 0;
  if (s.size() < 19 || !valid_date(s) || s[10] != ' ' || !digits(s, 11, 2, h) || s[13] != ':' ||
      !digits(s, 14, 2, mi) || s[16] != ':' || !digits(s, 17, 2, sec) || h > 23 || mi > 59 || sec > 59)
    return std::nullopt;
  if (s.size() > 19) {
    size_t n = s.size() - 20;
    if (s[19] != '.' || n < 1 || n > 3 || !digits(s, 20, n, frac)) return std::nullopt;
  }
  std::string out(s);
  out[10] = 'T';
  return out + std::string(offset);
}

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

}  // namespace yizhan::plugins::mediation
