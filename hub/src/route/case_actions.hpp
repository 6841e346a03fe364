// Staff actions on a case (DESIGN §2 step 6, §5): each moves the case along the state
// machine (core/case_status.hpp) — an illegal move is refused with the moves allowed —
// settles or replaces the case's obligations, and is one ledger event with actor,
// reason and time, naming from and to.
//
//   accept    签收   → in_progress   the sign_for obligations are met
//   return    退回   → returned      reason required; every open obligation is cancelled
//   reassign  改派   → dispatched    departments and reason required; new obligations
//                                    (a returned case's sign-for clock starts again)
//   reply     答复   → replied       the handle and reply obligations are met
//   close     办结   → closed        every open obligation is met
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "route/obligations.hpp"

namespace yizhan::route {

struct ActionRequest {
  std::string action, actor, reason;
  std::vector<std::string> departments;  // reassign
};

// Refused: `code` is not_found, bad_request (what is missing) or conflict (not a legal
// move now; `allowed` lists the actions that are).
struct ActionError : std::runtime_error {
  ActionError(std::string c, const std::string& m, std::vector<std::string> a = {})
      : std::runtime_error(m), code(std::move(c)), allowed(std::move(a)) {}
  std::string code;
  std::vector<std::string> allowed;
};

// The actions `status` allows now, in a stable order.
std::vector<std::string> allowed_actions(const std::string& status);

// Applies the action inside the caller's write transaction; returns the new status.
std::string apply_action(soci::session& sql, store::EventAppender& events, const SlaSettings& sla, int64_t case_id,
                         const ActionRequest& request, core::Instant now);

}  // namespace yizhan::route
