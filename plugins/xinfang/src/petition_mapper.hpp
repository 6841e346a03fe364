// Mapping one export row (one 信访件 in one version) to a CaseRecord, or rejecting it.
//
//   信访件编号 → external_id          版本 + 最后更新时间 → version, updated_at
//   登记日期 → received_at           标题 / 内容摘要 → title / description
//   问题分类 → category (category_map) 信访形式 → channel (channel_map)
//   当前环节 → status (status_map)     问题属地 + 问题地址 → place (division_year)
//   信访人 / 联系电话 / 身份证号 → reporter
//   stage dates, stage, handling unit, legacy codes → extra_json (for the SLA clocks)
// A row is rejected (dead-lettered, raw bytes kept) when its field count differs from
// the header's, a field is not valid text in the file's encoding, 信访件编号 is empty,
// a date is not a real date, 版本 is not a positive integer, or 问题属地 is not a
// division code. An ID number with a wrong check digit drops the ID number only.
// Unknown codes are not errors: the mapped field stays empty and extra.unmapped says so.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>
#include <yizhan/sdk/plugin.hpp>

#include "csv_rows.hpp"
#include "settings.hpp"
#include "text_encoding.hpp"

namespace yizhan::plugins::xinfang {

// Where each column is in one export, from its header row.
struct HeaderLayout {
  size_t field_count = 0;
  std::array<std::optional<size_t>, kColumnCount> index;
};

struct RowContext {
  const Settings& settings;
  const HeaderLayout& layout;
  ToUtf8& decoder;        // the file's encoding
  std::string_view file;  // export file name, for reasons
  size_t line = 0;        // 1-based physical line the row starts on
};

struct MappedPetition {
  sdk::Record record;                 // ok or rejected; raw is the row's bytes as written
  std::vector<std::string> warnings;  // for the log; personal data already masked
};

MappedPetition map_petition_row(const CsvRow& row, const RowContext& ctx);

}  // namespace yizhan::plugins::xinfang
