// Reading the validated config and checking what the schema cannot.
#include "settings.hpp"

#include <algorithm>
#include <yizhan/sdk/case.hpp>
#include <yizhan/sdk/http_client.hpp>
#include <yizhan/sdk/plugin.hpp>

#include "epoch_time.hpp"

namespace yizhan::plugins::zongzhi {
namespace {

constexpr std::string_view kUrgencies[] = {"normal", "urgent"};
// Top-level categories of config/taxonomy (DESIGN §4); 矛盾纠纷 takes a subtype.
constexpr std::string_view kCategoryRoots[] = {"矛盾纠纷", "社情民意", "公共服务", "应急处置", "平安建设"};

template <class Range>
std::string joined(const Range& r) {
  std::string out;
  for (std::string_view s : r) out += (out.empty() ? "" : ", ") + std::string(s);
  return out;
}

template <class Range>
void check_values(const std::map<std::string, std::string>& map, std::string_view key, const Range& allowed) {
  for (const auto& [from, to] : map)
    if (std::find(std::begin(allowed), std::end(allowed), to) == std::end(allowed))
      throw sdk::ConfigError(std::string(key) + ": '" + from + "' maps to '" + to +
                             "', which is not one of: " + joined(allowed));
}

// A category is a taxonomy root, or 矛盾纠纷/<subtype>.
void check_categories(const std::map<std::string, std::string>& map, std::string_view key) {
  for (const auto& [from, to] : map) {
    std::string_view root = std::string_view(to).substr(0, to.find('/'));
    bool known = std::find(std::begin(kCategoryRoots), std::end(kCategoryRoots), root) != std::end(kCategoryRoots);
    bool shape_ok = to.find('/') == std::string::npos || (root == "矛盾纠纷" && to.size() > root.size() + 1);
    if (!known || !shape_ok)
      throw sdk::ConfigError(std::string(key) + ": '" + from + "' maps to '" + to + "', which is not a taxonomy id (" +
                             joined(kCategoryRoots) + ", or 矛盾纠纷/<subtype>)");
  }
}

}  // namespace

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
  s.class_map = config.string_map("class_map");
  check_categories(s.class_map, "class_map");
  s.subtype_map = config.string_map("subtype_map");
  check_categories(s.subtype_map, "subtype_map");
  s.status_map = config.string_map("status_map");
  check_values(s.status_map, "status_map", sdk::kStatusIds);
  s.urgency_map = config.string_map("urgency_map");
  check_values(s.urgency_map, "urgency_map", kUrgencies);
  s.division_year = static_cast<int>(config.integer("division_year"));
  s.utc_offset = config.string("utc_offset");
  auto offset = parse_utc_offset(s.utc_offset);
  if (!offset) throw sdk::ConfigError("utc_offset: '" + s.utc_offset + "' is not an offset like +08:00");
  s.utc_offset_seconds = *offset;
  return s;
}

}  // namespace yizhan::plugins::zongzhi
