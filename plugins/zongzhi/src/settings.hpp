// An instance's settings: the validated config, read once, with the checks the schema
// cannot express (mapping tables must name hub vocabulary, URLs must be http://).
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <yizhan/sdk/config.hpp>

namespace yizhan::plugins::zongzhi {

// The upstream refuses pages larger than this.
inline constexpr int kMaxPageSize = 500;

struct Settings {
  std::string base_url;  // without a trailing slash
  std::string app_id;
  std::string app_secret;  // a credential: never logged, never in an error message
  int page_size = 50;
  std::chrono::milliseconds timeout{10000};
  std::chrono::milliseconds retry_after_max{2000};
  std::map<std::string, std::string> class_map;    // eventClass → taxonomy id
  std::map<std::string, std::string> subtype_map;  // eventType → taxonomy id (wins over class_map)
  std::map<std::string, std::string> status_map;   // status → one of sdk::kStatusIds
  std::map<std::string, std::string> urgency_map;  // urgency → normal | urgent
  int division_year = 2023;
  std::string utc_offset = "+08:00";
  int utc_offset_seconds = 8 * 3600;

  // The link back to one event: <base_url>/api/v2/events/<eventId>.
  std::string event_url(std::string_view event_id) const;
};

// Reads and checks the config. Throws sdk::ConfigError naming the key and the value
// (never the value of app_secret).
Settings read_settings(const sdk::Config& config);

}  // namespace yizhan::plugins::zongzhi
