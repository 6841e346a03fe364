// What grid workers report: the platform's event classes and types, and the text of one
// event, drawn deterministically from (seed, event number).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "divisions.hpp"

namespace yizhan::sim::zongzhi {

// One event type (事件小类) under its class (事件大类), in the platform's own codes.
struct EventType {
  std::string_view class_code, class_name;  // 01 平安建设, 02 社情民意, 03 公共服务, 04 应急处置, 09 其他
  std::string_view type_code, type_name;  // e.g. 0101 矛盾纠纷-土地纠纷
  std::string_view taxonomy;              // the hub category a matter of that kind has (for shared matters)
};

// Every type the platform has, in code order. Class 09 (其他) exists on real platforms
// and is left out of the example mapping tables on purpose: it arrives unmapped.
std::span<const EventType> event_types();
// The first type whose hub category is `taxonomy` (or its parent, "矛盾纠纷/土地" →
// "矛盾纠纷"); the 其他 type if none.
std::uint32_t type_for_taxonomy(std::string_view taxonomy);

// The text of one event.
struct EventText {
  std::uint32_t type = 0;  // index into event_types()
  std::string title, content, address;
  std::string handle_dept, handle_opinion, return_reason;
  std::string party_name, party_phone, party_id;  // the citizen involved; often all empty
  std::string urgency;                            // 1 一般, 2 紧急, 3 特急
};

// An event of the platform's own, reported in `grid`.
EventText make_event_text(std::uint64_t seed, std::uint32_t number, const Divisions& d, const Grid& grid);

// Completes a shared matter's text as this platform's grid worker writes it: the
// handling fields, urgency and the address when the matter has none.
void complete_shared_text(std::uint64_t seed, std::uint32_t number, const Divisions& d, const Grid& grid,
                          EventText& text);

std::string_view urgency_name(std::string_view code);

}  // namespace yizhan::sim::zongzhi
