// Mapping one upstream work order (工单) to a CaseRecord, or rejecting it with a reason.
//
// Field names are the upstream's pinyin abbreviations (README, "The upstream"):
//   gdbh 工单编号 → external_id     bt 标题 → title          nr 内容 → description
//   lb 类别 → category (category_map)  zt 状态 → status (status_map)
//   qd 渠道 → channel (channel_map)   jjcd 紧急程度 → urgency (urgency_map)
//   slsj 受理时间 → received_at       gxsj 更新时间 → updated_at and version
//   qy 区划 + dz 地址 → place          lxr/lxdh/sfzh → reporter
//   gdlx 工单类型, cbdw 承办单位, dfnr 答复内容, kzzd 扩展字段 ... → extra
// A work order is rejected (dead-lettered by the hub, raw payload kept) when gdbh is
// missing, a date is not a real date, any text is not valid UTF-8, a field has the
// wrong JSON type, the title is longer than max_title_chars, or kzzd is not JSON.
// Unknown codes are not errors: the mapped field stays empty and extra keeps the code.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include <yizhan/sdk/plugin.hpp>

#include "cursor.hpp"
#include "settings.hpp"

namespace yizhan::plugins::hotline12345 {

struct MappedWorkOrder {
  sdk::Record record;                 // Record::ok or Record::rejected; raw is `raw`, byte for byte
  std::optional<Cursor> at;           // the cursor just past it, when gxsj and id are readable
  std::vector<std::string> warnings;  // for the log; personal data already masked
};

MappedWorkOrder map_work_order(std::string_view raw, const Settings& settings);

}  // namespace yizhan::plugins::hotline12345
