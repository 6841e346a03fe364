#include "core/case_status.hpp"

#include <array>

namespace yizhan::core {
namespace {

using S = CaseStatus;

struct Info {
  std::string_view id, zh;
};
constexpr std::array<Info, 12> kInfo{{{"received", "受理"},
                                      {"routed", "分流"},
                                      {"dispatched", "派单"},
                                      {"in_progress", "办理"},
                                      {"replied", "答复"},
                                      {"closed", "办结"},
                                      {"followed_up", "回访"},
                                      {"rated", "评价"},
                                      {"returned", "退回"},
                                      {"supervised", "督办"},
                                      {"suspended", "挂起"},
                                      {"merged", "合并"}}};

constexpr S kFromReceived[] = {S::routed, S::dispatched, S::in_progress, S::closed, S::suspended, S::merged};
constexpr S kFromRouted[] = {S::dispatched, S::returned, S::suspended, S::merged};
constexpr S kFromDispatched[] = {S::in_progress, S::returned, S::supervised, S::suspended, S::merged};
constexpr S kFromInProgress[] = {S::replied, S::returned, S::supervised, S::suspended};
constexpr S kFromReplied[] = {S::closed, S::in_progress, S::supervised};
constexpr S kFromClosed[] = {S::followed_up, S::in_progress};
constexpr S kFromFollowedUp[] = {S::rated, S::in_progress};
constexpr S kFromRated[] = {S::in_progress};
constexpr S kFromReturned[] = {S::routed, S::dispatched, S::closed, S::merged};
constexpr S kFromSupervised[] = {S::in_progress, S::replied, S::returned, S::closed};
constexpr S kFromSuspended[] = {S::received, S::routed, S::dispatched, S::in_progress};
constexpr std::span<const S> kNone{};

// Position along the closed loop, for source-driven forward moves.
int loop_rank(S s) {
  switch (s) {
    case S::received:
      return 0;
    case S::routed:
      return 1;
    case S::dispatched:
      return 2;
    case S::in_progress:
    case S::supervised:
    case S::suspended:
    case S::returned:
      return 3;
    case S::replied:
      return 4;
    case S::closed:
      return 5;
    case S::followed_up:
      return 6;
    case S::rated:
      return 7;
    case S::merged:
      return -1;
  }
  return -1;
}

}  // namespace

std::string_view to_string(CaseStatus s) { return kInfo[static_cast<size_t>(s)].id; }
std::string_view label_zh(CaseStatus s) { return kInfo[static_cast<size_t>(s)].zh; }

std::optional<CaseStatus> parse_status(std::string_view id) {
  for (size_t i = 0; i < kInfo.size(); ++i)
    if (kInfo[i].id == id) return static_cast<CaseStatus>(i);
  return std::nullopt;
}

std::span<const CaseStatus> allowed_moves(CaseStatus from) {
  switch (from) {
    case S::received:
      return kFromReceived;
    case S::routed:
      return kFromRouted;
    case S::dispatched:
      return kFromDispatched;
    case S::in_progress:
      return kFromInProgress;
    case S::replied:
      return kFromReplied;
    case S::closed:
      return kFromClosed;
    case S::followed_up:
      return kFromFollowedUp;
    case S::rated:
      return kFromRated;
    case S::returned:
      return kFromReturned;
    case S::supervised:
      return kFromSupervised;
    case S::suspended:
      return kFromSuspended;
    case S::merged:
      return kNone;
  }
  return kNone;
}

bool is_closed(std::string_view id) { return id == "closed" || id == "followed_up" || id == "rated"; }

bool can_move(CaseStatus from, CaseStatus to) {
  for (auto s : allowed_moves(from))
    if (s == to) return true;
  return false;
}

bool can_follow_source(CaseStatus from, CaseStatus to) {
  if (from == to || from == S::merged || to == S::merged) return false;
  if (can_move(from, to)) return true;
  int a = loop_rank(from), b = loop_rank(to);
  return a >= 0 && b > a;
}

}  // namespace yizhan::core
