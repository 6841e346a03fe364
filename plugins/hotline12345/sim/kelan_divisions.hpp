// The real administrative divisions the simulator puts work orders in (统计用区划代码:
// the demo county's real towns and villages, never made-up codes).
#pragma once

#include <span>
#include <string_view>

namespace yizhan::sim::hotline12345 {

// One village-level unit (村委会 or 社区居委会) of 岢岚县, 2023 edition.
struct Division {
  std::string_view code;  // 12 digits, e.g. 140929100200
  std::string_view name;  // e.g. 东街村委会
  std::string_view town;  // its township-level unit, e.g. 岚漪镇
};

// The 104 village-level units of 岢岚县 (140929), in code order.
std::span<const Division> kelan_villages();

}  // namespace yizhan::sim::hotline12345
