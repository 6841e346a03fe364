// Mapping one order row (服务订单) to a CaseRecord, or rejecting it with a reason.
//
// Columns are the legacy system's pinyin abbreviations (README, "The upstream"):
//   ddbh 订单编号 → external_id      bt 标题 → title           nr 内容 → description
//   fwlx 服务类型 → category (service_type_map)   ddzt 订单状态 → status (status_map)
//   ddly 订单来源 → channel (channel_map)          cjsj 创建时间 → received_at
//   gxsj 更新时间 → updated_at; version is "gxsj/ddzt/sfsc" (gxsj has second resolution,
//     so two changes in one second still differ, and sort in workflow order)
//   qzxm/lxdh/sfzh → reporter      sqdm 社区代码 + wgbh 网格编号 + dz 地址 → place
//   jdbm 接单部门, ldry 领单党员, pjdf 评价得分, the codes ... → extra
// 撤销 (a ddzt in cancelled_codes) maps through status_map (closed) with extra.cancelled;
// a soft-deleted row (sfsc=1) gets deleted_status with extra.deleted.
// A row is rejected (dead-lettered by the hub, raw kept as JSON of the row) when ddbh is
// missing, cjsj or gxsj is not a real date, the phone holds letters, the community code
// is not digits, pjdf or sfsc is not a number, or any text is not valid UTF-8.
// Unknown codes are not errors: the mapped field stays empty and extra.unmapped names it.
#pragma once

#include <optional>
#include <string>
#include <vector>
#include <yizhan/sdk/plugin.hpp>

#include "cursor.hpp"
#include "order_row.hpp"
#include "settings.hpp"

namespace yizhan::plugins::dangqun {

struct MappedOrder {
  sdk::Record record;                 // Record::ok or Record::rejected; raw is to_raw_json(row)
  std::optional<Position> at;         // the row's read position (empty only if gxsj is NULL)
  std::vector<std::string> warnings;  // for the log; personal data already masked
};

MappedOrder map_order(const OrderRow& row, const Settings& settings);

}  // namespace yizhan::plugins::dangqun
