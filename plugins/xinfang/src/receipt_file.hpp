// The write-back as the 信访 system imports it: one 办理情况 receipt (回执) per delivery,
// in a CSV file of the same shape as its exports (header, rows, trailer #END,<rows>,
// CRLF), named after the step's time and the delivery id (README, "Write-back"):
//
//   XF_IMPORT_20260301_091233_yz-42.csv
//   回执编号,信访件编号,办理类型,办理时间,办理单位,操作人,内容,满意度,说明,平台案件号
//   yz-42,XF-2026-000123,办结,2026-03-01 09:12:33,岢岚县农业农村局,wang.li,已协调返还土地。,,,17
//   #END,1
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <yizhan/sdk/plugin.hpp>

#include "local_time.hpp"
#include "settings.hpp"

namespace yizhan::plugins::xinfang {

// One receipt, in UTF-8 (the file is encoded once rendered).
struct Receipt {
  std::string receipt_id;    // 回执编号: the delivery id, the system's idempotency key
  std::string petition_id;   // 信访件编号: the delivery's external id
  std::string type;          // 办理类型: the kind through kind_map (交办 答复 办结 回访)
  LocalTime at;              // 办理时间: the step's UTC time at utc_offset
  std::string units;         // 办理单位: the departments through unit_map, joined with 、
  std::string actor;         // 操作人
  std::string content;       // 内容: the reply or the outcome; may be empty
  std::string satisfaction;  // 满意度: 满意 基本满意 不满意, or empty
  std::string note;          // 说明: the reason the hub recorded; may be empty
  std::int64_t case_id = 0;  // 平台案件号: the hub's case id
};

// The header row, in column order.
inline constexpr std::array<std::string_view, 10> kReceiptHeader = {
    "回执编号", "信访件编号", "办理类型", "办理时间", "办理单位", "操作人", "内容", "满意度", "说明", "平台案件号"};

// The receipt a write-back makes. Throws sdk::DeliveryRefused, saying what is wrong, when
// the system could never take it: no delivery id or external id, a kind kind_map does
// not name, a payload that is not a JSON object, an `at` that is not a UTC time, or a
// rating other than satisfied, basically_satisfied and dissatisfied.
Receipt receipt_for(const sdk::Delivery& delivery, const Settings& settings);

// XF_IMPORT_<办理时间 as YYYYMMDD_HHMMSS>_<delivery id>.csv: the same delivery always
// gets the same name, and names sort by the time of the step. A delivery id with bytes
// other than [A-Za-z0-9_-] (or longer than 64) has them replaced by '_' and a hash of
// the whole id appended, so that different ids never share a name.
std::string receipt_file_name(const Receipt& receipt);

// The whole file as UTF-8 text: header, the row, trailer #END,1, CRLF line endings,
// fields quoted when they hold commas, quotes or line breaks (line breaks made CRLF).
std::string render_receipt(const Receipt& receipt);

}  // namespace yizhan::plugins::xinfang
