// What a simulated citizen tells the 12345 hotline: realistic Chinese complaints, drawn
// deterministically from (seed, work order id), so nothing but a few numbers per work
// order needs to be stored and 100,000 orders start instantly.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "sim_support/shared_matters.hpp"

namespace yizhan::sim::hotline12345 {

// An upstream category (lb): its code, name and the department that usually handles it.
struct Category {
  std::string_view code;        // e.g. "0301"
  std::string_view name;        // e.g. "供水漏水"
  std::string_view department;  // 承办单位, e.g. "岢岚县水利局"
};

// The categories the simulated system uses (the README lists them for mapping tables).
std::span<const Category> categories();

// Channels (qd): code and name.
struct Channel {
  std::string_view code, name;
};
std::span<const Channel> channels();

// The text fields of one work order, independent of its lifecycle stage.
struct WorkOrderText {
  std::string title;          // bt
  std::string content;        // nr
  std::string category_code;  // lb
  std::string category_name;  // lbmc
  std::string division_code;  // qy, 12 digits
  std::string division_name;  // qymc, e.g. 岚漪镇东街村委会
  std::string address;        // dz
  std::string contact_name;   // lxr: a full name, 王女士, or 匿名
  std::string phone;          // lxdh
  std::string id_number;      // sfzh: 18 characters with a valid check digit, or empty
  std::string channel_code;   // qd
  std::string channel_name;   // qdmc
  std::string type;           // gdlx: 求决 咨询 揭发控告 意见建议 申诉
  std::string urgency;        // jjcd: 一般 紧急 特急
  std::string department;     // cbdw
  std::string reply;          // dfnr, shown from 已答复 on
  std::string satisfaction;   // 回访满意度, shown when 已回访
};

WorkOrderText make_work_order_text(std::uint64_t seed, std::uint32_t id);

// The work order a shared matter becomes: as the hotline's operator wrote it down — the
// description behind 来电人反映：, now and then its last clause cut short; the reporter as
// the caller (name, phone if given, ID number); category code from the matter's taxonomy
// id; drawn from (seed, n) where it must choose.
WorkOrderText make_shared_work_order_text(std::uint64_t seed, const SharedMatter& matter, std::uint32_t n);

}  // namespace yizhan::sim::hotline12345
