// Strict parsing of the system's local date and time text.
#include "local_time.hpp"

#include <yizhan/sdk/support/civil_time.hpp>

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

bool valid_date(std::string_view s) {
  int y = 0, m = 0, d = 0;
  if (s.size() < 10 || !digits(s, 0, 4, y) || s[4] != '-' || !digits(s, 5, 2, m) || s[7] != '-' || !digits(s, 8, 2, d))
    return false;
  return y >= 2000 && y <= 2099 && sdk::support::is_civil_date(y, m, d);
}

}  // namespace

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

}  // namespace yizhan::plugins::mediation
