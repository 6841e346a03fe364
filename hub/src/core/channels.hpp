// The channels a matter reaches the centre by — the case model's `channel` field, next
// to its statuses (core/case_status.hpp): the words department systems and the counter
// use, in the order forms list them. Counter intake accepts only these; the reference
// data the page reads (GET /api/v1/reference) lists them.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace yizhan::core {

std::span<const std::string_view> channel_ids();  // 窗口, 电话, 来访, 来信, 网上, 网格员
bool is_channel(std::string_view id);
// "窗口, 电话, …" joined with `separator`, for messages.
std::string channel_list(std::string_view separator);

}  // namespace yizhan::core
