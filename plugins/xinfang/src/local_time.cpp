// The 信访 system's forms of local time, on the SDK's civil-time helpers.
#include "local_time.hpp"

namespace yizhan::plugins::xinfang {
namespace support = sdk::support;

std::optional<LocalTime> parse_local_time(std::string_view s) {
  if (s.size() != 10 && s.size() != 19) return std::nullopt;
  if (!((s[4] == '-' && s[7] == '-') || (s[4] == '/' && s[7] == '/'))) return std::nullopt;
  std::string text(s);
  text[4] = text[7] = '-';
  const bool has_time = s.size() == 19;
  if (!has_time) text += " 00:00:00";
  auto t = support::parse_local_time(text);
  if (!t) return std::nullopt;
  return LocalTime{text.substr(0, 10), text.substr(11), has_time, t->seconds};
}

std::string to_iso8601(const LocalTime& t, std::string_view utc_offset) {
  return t.date + "T" + t.time + std::string(utc_offset);
}

std::optional<LocalTime> local_time_of_utc(std::string_view utc, std::string_view utc_offset) {
  // Only UTC is accepted: the hub writes "Z"; anything else is not a receipt time.
  std::string_view zone = utc.substr(std::min<size_t>(utc.size(), 19));
  if (!zone.empty() && zone[0] == '.')
    zone.remove_prefix(std::min(zone.size(), zone.find_first_not_of("0123456789", 1)));
  if (zone != "Z" && zone != "+00:00") return std::nullopt;
  auto t = support::local_time_of(utc, utc_offset);
  if (!t) return std::nullopt;
  return parse_local_time(t->text);
}

}  // namespace yizhan::plugins::xinfang
