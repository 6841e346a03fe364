// Reading the validated config and checking what the schema cannot.
#include "settings.hpp"

#include <algorithm>
#include <yizhan/sdk/case.hpp>
#include <yizhan/sdk/plugin.hpp>
#include <yizhan/sdk/support/civil_time.hpp>
#include <yizhan/sdk/support/code_map.hpp>

namespace yizhan::plugins::mediation {
namespace support = sdk::support;

Settings read_settings(const sdk::Config& config) {
  Settings s;
  s.secret = config.string("secret");
  if (s.secret.empty()) throw sdk::ConfigError("secret: must not be empty (the shared key the system signs with)");
  s.max_clock_skew = std::chrono::seconds(config.integer("max_clock_skew_s"));
  s.dispute_type_map = support::read_category_map(config, "dispute_type_map");
  s.status_map = support::read_code_map(config, "status_map", sdk::kStatusIds);
  s.outcome_map = config.string_map("outcome_map");
  for (const auto& [from, to] : s.outcome_map)
    if (to.empty()) throw sdk::ConfigError("outcome_map: '" + from + "' maps to an empty outcome id");
  s.channel = config.string("channel");
  if (!support::is_one_of(s.channel, support::kChannelIds))
    throw sdk::ConfigError("channel: '" + s.channel + "' is not one of: " + support::joined(support::kChannelIds));
  s.division_year = static_cast<int>(config.integer("division_year"));
  s.utc_offset = config.string("utc_offset");
  if (!support::is_utc_offset(s.utc_offset))
    throw sdk::ConfigError("utc_offset: '" + s.utc_offset + "' is not an offset like +08:00");
  return s;
}

}  // namespace yizhan::plugins::mediation
