// Yizhan SDK plugin helpers — code maps: a system's codes mapped onto the hub's ids by config.
//
// A plugin never hard-codes what a department system's status or category codes mean:
// its config has small string→string tables (status_map, channel_map, category_map…),
// and the plugin reads them once, checks that every value is an id the hub knows, and
// looks codes up while mapping. A value that is not a known id is a clear config error
// naming the table, the code and the allowed ids (the hub refuses to start the
// instance); a code the table does not list maps to "" and the plugin records it as
// unmapped (e.g. in the record's extra_json), so nothing is guessed.
//
//   // config.example.yaml:  status_map: { "1": received, "2": dispatched, "9": closed }
//   using namespace yizhan::sdk::support;
//   settings.status_map = read_code_map(config, "status_map", sdk::kStatusIds);
//   settings.channel_map = read_code_map(config, "channel_map", kChannelIds);
//   settings.category_map = read_category_map(config, "category_map");
//   ...
//   record.status = mapped(settings.status_map, raw_status);  // "" for a code not listed
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <yizhan/sdk/config.hpp>

namespace yizhan::sdk::support {

// The hub's channel ids (CaseRecord::channel).
inline constexpr std::string_view kChannelIds[] = {"窗口", "电话", "网格员", "网上", "来信", "来访"};
// The hub's urgency ids (CaseRecord::urgency).
inline constexpr std::string_view kUrgencyIds[] = {"normal", "urgent"};
// The top-level category ids of the hub's taxonomy (config/taxonomy.yaml); a category
// id is one of them, or 矛盾纠纷/<subtype> (CaseRecord::category).
inline constexpr std::string_view kCategoryRoots[] = {"矛盾纠纷", "社情民意", "公共服务", "应急处置", "平安建设"};

// A code map: the system's code → the hub's id.
using CodeMap = std::map<std::string, std::string>;

// "a, b, c": the items joined with ", ", for messages.
std::string joined(std::span<const std::string_view> items);

// True when `value` is one of `allowed`.
bool is_one_of(std::string_view value, std::span<const std::string_view> allowed);

// True for a taxonomy id: one of kCategoryRoots, or "矛盾纠纷/<subtype>" with a
// non-empty subtype.
bool is_category_id(std::string_view id);

// The map config key `key` (the schema made it a string map); every value must be one
// of `allowed`. Throws sdk::ConfigError otherwise:
//   "status_map: '9' maps to 'done', which is not one of: received, routed, ..."
CodeMap read_code_map(const Config& config, std::string_view key, std::span<const std::string_view> allowed);

// The same for a map onto categories: every value must be a taxonomy id:
//   "class_map: '01' maps to '治安', which is not a taxonomy id (矛盾纠纷, ..., or 矛盾纠纷/<subtype>)"
CodeMap read_category_map(const Config& config, std::string_view key);

// The id `code` maps to; "" when the map does not list the code (the caller records
// such a code as unmapped).
std::string mapped(const CodeMap& map, std::string_view code);

}  // namespace yizhan::sdk::support
