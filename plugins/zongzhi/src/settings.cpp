// Reading the validated config and checking what the schema cannot.
#include "settings.hpp"

#include <algorithm>
#include <yizhan/sdk/case.hpp>
#include <yizhan/sdk/http_client.hpp>
#include <yizhan/sdk/plugin.hpp>
#include <yizhan/sdk/support/civil_time.hpp>
#include <yizhan/sdk/support/code_map.hpp>

namespace yizhan::plugins::zongzhi {
namespace support = sdk::support;

std::string Settings::event_url(std::string_view event_id) const {
  return base_url + "/api/v2/events/" + sdk::url_encode(event_id);
}

Settings read_settings(const sdk::Config& config) {
  Settings s;
  s.base_url = config.string("base_url");
  if (s.base_url.rfind("http://", 0) != 0 || s.base_url.size() <= 7)
    throw sdk::ConfigError("base_url: '" + s.base_url + "' must start with http:// (TLS is terminated by the gateway)");
  while (s.base_url.size() > 7 && s.base_url.back() == '/') s.base_url.pop_back();
  s.app_id = config.string("app_id");
  if (s.app_id.empty()) throw sdk::ConfigError("app_id: must not be empty");
  s.app_secret = config.string("app_secret");
  if (s.app_secret.empty()) throw sdk::ConfigError("app_secret: must not be empty (for app_id '" + s.app_id + "')");
  s.page_size = static_cast<int>(config.integer("page_size"));
  s.timeout = std::chrono::milliseconds(config.integer("timeout_ms"));
  s.retry_after_max = std::chrono::milliseconds(config.integer("retry_after_max_ms"));
  s.class_map = support::read_category_map(config, "class_map");
  s.subtype_map = support::read_category_map(config, "subtype_map");
  s.status_map = support::read_code_map(config, "status_map", sdk::kStatusIds);
  s.urgency_map = support::read_code_map(config, "urgency_map", support::kUrgencyIds);
  s.division_year = static_cast<int>(config.integer("division_year"));
  s.utc_offset = config.string("utc_offset");
  auto offset = support::parse_utc_offset(s.utc_offset);
  if (!offset) throw sdk::ConfigError("utc_offset: '" + s.utc_offset + "' is not an offset like +08:00");
  s.utc_offset_seconds = *offset;
  return s;
}

}  // namespace yizhan::plugins::zongzhi
