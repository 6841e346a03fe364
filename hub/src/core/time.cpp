#include "core/time.hpp"

#include <atomic>

#include <charconv>
#include <cstdio>

namespace yizhan::core {
namespace {

bool number(std::string_view s, size_t pos, size_t len, int& out) {
  if (pos + len > s.size()) return false;
  auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + len, out);
  return ec == std::errc() && p == s.data() + pos + len;
}

}  // namespace

std::optional<Instant> parse_instant(std::string_view s, int default_offset_minutes) {
  using namespace std::chrono;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!number(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !number(s, 5, 2, mo) || s[7] != '-' ||
      !number(s, 8, 2, d))
    return std::nullopt;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  int offset = default_offset_minutes;
  if (s.size() > 10) {
    if ((s[10] != 'T' && s[10] != ' ') || !number(s, 11, 2, h) || s.size() < 19 || s[13] != ':' ||
        !number(s, 14, 2, mi) || s[16] != ':' || !number(s, 17, 2, sec))
      return std::nullopt;
    if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
    size_t pos = 19;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    }
    if (pos == s.size()) return std::nullopt;  // no zone
    if (s[pos] == 'Z' && pos + 1 == s.size()) {
      offset = 0;
    } else if ((s[pos] == '+' || s[pos] == '-') && s.size() == pos + 6 && s[pos + 3] == ':') {
      int oh = 0, om = 0;
      if (!number(s, pos + 1, 2, oh) || !number(s, pos + 4, 2, om) || oh > 14 || om > 59) return std::nullopt;
      offset = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
    } else {
      return std::nullopt;
    }
  }
  return sys_days(ymd) + hours(h) + minutes(mi) + seconds(sec) - minutes(offset);
}

std::string format_utc(Instant t) {
  using namespace std::chrono;
  auto day_point = floor<days>(t);
  year_month_day ymd{day_point};
  hh_mm_ss hms{t - day_point};
  // Sized for the widest values the types allow, not the ones the calendar gives, so
  // GCC's -O2 -Wformat-truncation has nothing to prove (the release build's -Werror).
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                static_cast<long>(hms.seconds().count()));
  return buf;
}

namespace {
std::atomic<int64_t> g_offset_seconds{0};
}

Instant now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) +
         std::chrono::seconds(g_offset_seconds.load(std::memory_order_relaxed));
}

void set_clock_offset(std::chrono::seconds offset) { g_offset_seconds.store(offset.count()); }
std::chrono::seconds clock_offset() { return std::chrono::seconds(g_offset_seconds.load()); }

}  // namespace yizhan::core
