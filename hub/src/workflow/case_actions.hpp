// Staff actions on a case (docs/architecture.md §2 step 6, §5): each moves the case along the state
// machine (core/case_status.hpp) — an illegal move is refused with the moves allowed —
// settles, pauses or replaces the case's obligations, and is one ledger event with
// actor, reason and time, naming from and to. What the reporting systems must know
// (dispatched, replied, closed, followed up) is queued for write-back in the same
// transaction (writeback/outbox.hpp).
//
//   accept     签收  → in_progress   the sign_for obligations are met
//   return     退回  → returned      reason required; every open obligation is cancelled
//   reassign   改派  → dispatched    from returned, or dispatched and not yet signed for;
//                                    departments and reason required; new obligations
//                                    (a returned case's sign-for clock starts again);
//                                    with a level (joint: 会商), handled at that level
//   reply      答复  → replied       every open obligation but the follow-up is met; text: the reply
//   close      办结  → closed        every open obligation is met; text: the outcome
//   suspend    挂起  → suspended     reason required; the open clocks pause
//   resume     恢复  → the status before the suspension; the paused clocks run on, the
//                                    time suspended not counted (sla/sla_policy.hpp)
//   extend     延期  (no move)       reason and `by` (in the duty's unit) required; once
//                                    per obligation, at most the duty's extend_max
//   follow_up  回访  → followed_up   the follow_up obligations are met; with a rating
//                                    (评价: satisfied, basically_satisfied, dissatisfied)
//                                    → rated
//   rate       评价  → rated         rating required
//   reopen     重办  → in_progress   from replied or a closed status; reason required; new
//                                    handle, reply and follow-up clocks at the departments
//                                    it is routed to (the open ones cancelled)
//   review     复查/复核 → supervised  from replied; reason required; the next round of the
//                                    reporting system's reviews (SLA file), decided one
//                                    level up per round (escalation.to) in its time
//
// Joint handling (会商) is per department: a department's accept meets its own sign-for,
// its return cancels its own duties, its reply meets its own; the co-handlers' clocks run
// on. A reassignment gives the new departments their own duties from now and leaves the
// deadline owed to the citizen (reply, follow-up: from registration) where it was.
//
// Who may act: a department handles what it was given (accept, return, reply, suspend,
// resume, extend); passing a case on and closing the loop with the citizen are the
// counter's (一家受理、各家响应). A page left open acts on what it showed: with
// `expected_status`, an action on a case that has moved on since is refused as stale.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sla/obligations.hpp"
#include "writeback/outbox.hpp"

namespace yizhan::workflow {

struct ActionRequest {
  std::string action, actor, reason;
  std::vector<std::string> departments;  // reassign
  std::string level;                     // reassign: the level it is handled at now (joint: 会商); empty keeps it
  std::string text;                      // reply, close, follow_up: what was said or done
  std::string rating;                    // follow_up, rate
  std::string duty = "handle";           // extend: which duty's clock
  int by = 0;                            // extend: how much, in the duty's unit
  bool by_counter = true;                // false: a department's operator, limited to department_may()
  std::string expected_status;           // the status the caller saw; "" when not checked
  std::string department;                // the acting department: only its own duties ("": all)
};

// Whether a department (not the counter) may take `action`.
bool department_may(const std::string& action);

// Refused: `code` is not_found, bad_request (what is missing), forbidden (the counter's
// action, asked by a department), stale (the case is not in expected_status now) or
// conflict (not a legal move now). `allowed` lists the actions the case allows now.
struct ActionError : std::runtime_error {
  ActionError(std::string c, const std::string& m, std::vector<std::string> a = {})
      : std::runtime_error(m), code(std::move(c)), allowed(std::move(a)) {}
  std::string code;
  std::vector<std::string> allowed;
};

// The actions `status` allows now, in a stable order.
std::vector<std::string> allowed_actions(const std::string& status);

// The ratings a follow-up may record.
bool is_rating(const std::string& rating);

// Applies the action inside the caller's write transaction; returns the new status.
// `outbox` may be null (no write-back).
std::string apply_action(soci::session& sql, ledger::EventAppender& events, const sla::SlaSettings& sla,
                         const writeback::Outbox* outbox, int64_t case_id, const ActionRequest& request,
                         core::Instant now);

}  // namespace yizhan::workflow
