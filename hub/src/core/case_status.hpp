// The case state machine (docs/architecture.md §2 step 6 and §4): the one-stop centre's closed loop
// 受理 → 分流 → 派单 → 办理 → 答复 → 办结 → 回访 → 评价, plus 退回 (returned),
// 督办 (supervised), 挂起 (suspended) and 合并 (merged). Illegal moves are errors.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace yizhan::core {

enum class CaseStatus {
  received,     // 受理
  routed,       // 分流
  dispatched,   // 派单
  in_progress,  // 办理
  replied,      // 答复
  closed,       // 办结
  followed_up,  // 回访
  rated,        // 评价
  returned,     // 退回
  supervised,   // 督办
  suspended,    // 挂起
  merged,       // 合并 (into another case)
};

std::string_view to_string(CaseStatus s);  // "in_progress"
std::string_view label_zh(CaseStatus s);   // "办理"
std::optional<CaseStatus> parse_status(std::string_view id);

// Whether the status id is one of the loop's ends: closed, followed up or rated (the
// matter is settled; no obligation is owed).
bool is_closed(std::string_view id);

// The moves allowed from `from`, in a stable order.
std::span<const CaseStatus> allowed_moves(CaseStatus from);
bool can_move(CaseStatus from, CaseStatus to);

// Whether a source-reported status may move the case from `from` to `to`: a source
// may jump forward along the loop (its own system ran steps the hub did not see),
// but never backward, never out of merged.
bool can_follow_source(CaseStatus from, CaseStatus to);

}  // namespace yizhan::core
