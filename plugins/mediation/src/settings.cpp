// Reading the validated config and checking what the schema cannot.
#include "settings.hpp"

#include <algorithm>
#include <yizhan/sdk/case.hpp>
#include <yizhan/sdk/plugin.hpp>

#include "local_time.hpp"

namespace yizhan::plugins::mediation {
namespace {

constexpr std::string_view kChannels[] = {"窗口", "电话", "网格员", "网上", "来信", "来访"};
// Top-level categories of config/taxonomy (DESIGN §4); 矛盾纠纷 takes a subtype.
constexpr std::string_view kCategoryRoots[] = {"矛盾纠纷", "社情民意", "公共服务", "应急处置", "平安建设"};

template <class Range>
std::string joined(const Range& r) {
  std::string out;
  for (std::string_view s : r) out += (out.empty() ? "" : ", ") + std::string(s);
  return out;
}

template <class Range>
bool contains(const Range& r, std::string_view v) {
  return std::find(std::begin(r), std::end(r), v) != std::end(r);
}

}  // namespace

Settings read_settings(const sdk::Config& config) {
  Settings s;
  s.secret = config.string("secret");
  if (s.secret.empty()) throw sdk::ConfigError("secret: must not be empty (the shared key the system signs with)");
  s.max_clock_skew = std::chrono::seconds(config.integer("max_clock_skew_s"));
  s.dispute_type_map = config.string_map("dispute_type_map");
  for (const auto& [from, to] : s.dispute_type_map) {
    std::string_view root = std::string_view(to).substr(0, to.find('/'));
    bool shape_ok = to.find('/') == std::string::npos || (root == "矛盾纠纷" && to.size() > root.size() + 1);
    if (!contains(kCategoryRoots, root) || !shape_ok)
      throw sdk::ConfigError("dispute_type_map: '" + from + "' maps to '" + to + "', which is not a taxonomy id (" +
                             joined(kCategoryRoots) + ", or 矛盾纠纷/<subtype>)");
  }
  s.status_map = config.string_map("status_map");
  for (const auto& [from, to] : s.status_map)
    if (!contains(sdk::kStatusIds, to))
      throw sdk::ConfigError("status_map: '" + from + "' maps to '" + to +
                             "', which is not one of: " + joined(sdk::kStatusIds));
  s.outcome_map = config.string_map("outcome_map");
  for (const auto& [from, to] : s.outcome_map)
    if (to.empty()) throw sdk::ConfigError("outcome_map: '" + from + "' maps to an empty outcome id");
  s.channel = config.string("channel");
  if (!contains(kChannels, s.channel))
    throw sdk::ConfigError("channel: '" + s.channel + "' is not one of: " + joined(kChannels));
  s.division_year = static_cast<int>(config.integer("division_year"));
  s.utc_offset = config.string("utc_offset");
  if (!valid_utc_offset(s.utc_offset))
    throw sdk::ConfigError("utc_offset: '" + s.utc_offset + "' is not an offset like +08:00");
  return s;
}

}  // namespace yizhan::plugins::mediation
