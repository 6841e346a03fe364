// An instance's settings: the validated config, read once, with the checks the schema
// cannot express (mapping tables must name hub vocabulary, the encoding must exist).
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <yizhan/sdk/config.hpp>

namespace yizhan::plugins::xinfang {

// The columns of an export the plugin reads, by logical name (README, "The upstream").
enum class Column : size_t {
  id,
  registered_on,
  name,
  phone,
  id_number,
  form,
  division,
  address,
  category,
  title,
  summary,
  stage,
  unit,
  accepted_on,
  answered_on,
  updated_at,
  version,
  count_
};
inline constexpr size_t kColumnCount = static_cast<size_t>(Column::count_);

struct ColumnInfo {
  std::string_view key;             // the logical name, as used in the `columns` config map
  std::string_view default_header;  // the system's own header text
  bool required;                    // an export whose header lacks it cannot be read
};
// In Column order.
extern const std::array<ColumnInfo, kColumnCount> kColumns;

struct Settings {
  std::filesystem::path inbox_dir;
  std::string file_pattern = "XF_EXPORT_*.csv";  // fnmatch(3) glob on the file name
  std::string encoding = "gb18030";              // of files without a UTF-8 byte-order mark
  size_t rows_per_poll = 500;
  std::array<std::string, kColumnCount> headers;    // header text of each Column
  std::map<std::string, std::string> status_map;    // 当前环节 → one of sdk::kStatusIds
  std::map<std::string, std::string> channel_map;   // 信访形式 → 窗口 电话 网格员 网上 来信 来访
  std::map<std::string, std::string> category_map;  // 问题分类 code → taxonomy id
  int division_year = 2023;
  std::string utc_offset = "+08:00";
  bool skip_missing_files = false;

  // Write-back (receipt_file.hpp): where and how receipts are dropped for the system.
  std::filesystem::path import_dir;             // empty: no write-back (deliver refuses)
  std::string import_encoding = "gb18030";      // of the receipt files
  std::map<std::string, std::string> kind_map;  // hub kind → 办理类型 (交办 答复 办结 回访), all four
  std::map<std::string, std::string> unit_map;  // hub department id → 办理单位 name

  const std::string& header(Column c) const { return headers[static_cast<size_t>(c)]; }
};

// Reads and checks the config. Throws sdk::ConfigError naming the key and the value.
Settings read_settings(const sdk::Config& config);

}  // namespace yizhan::plugins::xinfang
