// Reading the validated config and checking what the schema cannot.
#include "settings.hpp"

#include <algorithm>
#include <yizhan/sdk/case.hpp>
#include <yizhan/sdk/plugin.hpp>
#include <yizhan/sdk/support/civil_time.hpp>
#include <yizhan/sdk/support/code_map.hpp>

#include "text_encoding.hpp"

namespace yizhan::plugins::xinfang {
namespace support = sdk::support;

const std::array<ColumnInfo, kColumnCount> kColumns = {{
    {"id", "信访件编号", true},
    {"registered_on", "登记日期", true},
    {"name", "信访人", false},
    {"phone", "联系电话", false},
    {"id_number", "身份证号", false},
    {"form", "信访形式", false},
    {"division", "问题属地", false},
    {"address", "问题地址", false},
    {"category", "问题分类", false},
    {"title", "标题", false},
    {"summary", "内容摘要", false},
    {"stage", "当前环节", false},
    {"unit", "办理单位", false},
    {"accepted_on", "受理日期", false},
    {"answered_on", "答复日期", false},
    {"updated_at", "最后更新时间", true},
    {"version", "版本", true},
}};

namespace {

constexpr std::string_view kDeliveryKinds[] = {"dispatched", "replied", "closed", "followed_up"};
// The 办理类型 of each kind unless kind_map says otherwise, in kDeliveryKinds order.
constexpr std::string_view kDefaultTypes[] = {"交办", "答复", "办结", "回访"};

}  // namespace

Settings read_settings(const sdk::Config& config) {
  Settings s;
  s.inbox_dir = config.string("inbox_dir");
  if (s.inbox_dir.empty()) throw sdk::ConfigError("inbox_dir: must name the folder the exports are dropped in");
  s.file_pattern = config.string("file_pattern");
  if (s.file_pattern.empty() || s.file_pattern.find('/') != std::string::npos)
    throw sdk::ConfigError("file_pattern: '" + s.file_pattern + "' must be a file-name glob such as XF_EXPORT_*.csv");
  s.encoding = config.string("encoding");
  try {
    ToUtf8 probe(s.encoding);
  } catch (const std::invalid_argument& e) {
    throw sdk::ConfigError(std::string("encoding: ") + e.what());
  }
  s.rows_per_poll = static_cast<size_t>(config.integer("rows_per_poll"));
  for (size_t i = 0; i < kColumnCount; ++i) s.headers[i] = std::string(kColumns[i].default_header);
  for (const auto& [key, header] : config.string_map("columns")) {
    auto it = std::find_if(kColumns.begin(), kColumns.end(), [&](const ColumnInfo& c) { return c.key == key; });
    if (it == kColumns.end()) {
      std::vector<std::string_view> keys;
      for (const auto& c : kColumns) keys.push_back(c.key);
      throw sdk::ConfigError("columns: '" + key +
                             "' is not a column this plugin reads; known: " + support::joined(keys));
    }
    if (header.empty()) throw sdk::ConfigError("columns: '" + key + "' maps to an empty header");
    s.headers[static_cast<size_t>(it - kColumns.begin())] = header;
  }
  s.status_map = support::read_code_map(config, "status_map", sdk::kStatusIds);
  s.channel_map = support::read_code_map(config, "channel_map", support::kChannelIds);
  s.category_map = config.string_map("category_map");
  s.division_year = static_cast<int>(config.integer("division_year"));
  s.utc_offset = config.string("utc_offset");
  if (!support::is_utc_offset(s.utc_offset))
    throw sdk::ConfigError("utc_offset: '" + s.utc_offset + "' is not an offset like +08:00");
  s.skip_missing_files = config.boolean("skip_missing_files");

  s.import_dir = config.string("import_dir");
  s.import_encoding = config.string("import_encoding");
  try {
    FromUtf8 probe(s.import_encoding);
  } catch (const std::invalid_argument& e) {
    throw sdk::ConfigError(std::string("import_encoding: ") + e.what());
  }
  for (size_t i = 0; i < std::size(kDeliveryKinds); ++i)
    s.kind_map[std::string(kDeliveryKinds[i])] = std::string(kDefaultTypes[i]);
  for (const auto& [kind, type] : config.string_map("kind_map")) {
    if (!s.kind_map.contains(kind))
      throw sdk::ConfigError("kind_map: '" + kind +
                             "' is not a write-back kind; known: " + support::joined(kDeliveryKinds));
    if (type.empty()) throw sdk::ConfigError("kind_map: '" + kind + "' maps to an empty 办理类型");
    s.kind_map[kind] = type;
  }
  s.unit_map = config.string_map("unit_map");
  return s;
}

}  // namespace yizhan::plugins::xinfang
