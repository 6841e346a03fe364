// Cross-system linking at ingest (docs/architecture.md §6). For each case a batch created, inside
// the batch's transaction:
//   1. candidates: cases with the same reporter phone or ID number hash, and cases of
//      the same grid or the same division received within ± window_days — each lookup
//      by index and capped at max_candidates nearest in time, so the cost per record
//      does not grow with the number of cases stored;
//   2. each candidate is scored (link/similarity.hpp) and the best score per group
//      (root case) kept; a group that already holds a record of the same instance is
//      not a candidate (unless same_instance). Closed cases are candidates: a matter
//      closed in one system and raised again in another (raised again in a second
//      system after the first one replied, say) is the commonest duplicate of all;
//   3. score >= auto_join_score: the new case joins the best group (a merge event) —
//      or, when that group's root is closed and the new case is open, the group
//      joins the new case, so an open case leads it;
//      propose_score <= score < auto_join_score: a proposal per such group (at most
//      3), for counter staff to accept or reject (GET /api/v1/duplicates).
#pragma once

#include <set>

#include "link/linking_config.hpp"
#include "link/similarity.hpp"
#include "store/case_groups.hpp"
#include "store/case_reader.hpp"

namespace yizhan::link {

inline constexpr std::string_view kLinkerActor = "hub:linker";

struct LinkOutcome {
  int joined = 0, proposed = 0, candidates = 0;
};

// One open group a new record could join, as the linker ranks them.
struct RankedGroup {
  int64_t root = 0;
  Evidence evidence;
  std::string root_status;
};

class Linker {
 public:
  explicit Linker(const LinkingConfig& config) : config_(config) {}

  // Links each of a batch's new cases, in order (ingest::Ingestor calls it inside the
  // batch's transaction), each scored as the store returned it (no read back) unless a
  // join earlier in the batch touched it. Nothing when linking is off.
  void link_new_cases(soci::session& sql, store::CaseGroups& groups, ledger::EventAppender& events,
                      const std::vector<core::Case>& cases, const std::string& now);
  // Links one case (already stored, read by id) and says what it did.
  LinkOutcome link(soci::session& sql, store::CaseGroups& groups, ledger::EventAppender& events, int64_t case_id,
                   const std::string& now);
  // What linking a record with these facts would consider, without linking (the intake
  // preview): the groups ranked best first by the candidates, filters and scores
  // link() uses; `me.id` 0 for a record not stored yet. Empty when linking is off.
  std::vector<RankedGroup> rank_groups(soci::session& sql, const CaseFacts& me) const;
  // Whether `best` (the first of rank_groups) is joined automatically, not proposed.
  bool joins(const RankedGroup& best) const { return best.evidence.score >= config_.auto_join_score; }
  const LinkOutcome& totals() const { return totals_; }
  // The cases a join of this linker involved (the joining case and the group's root):
  // their groups changed, so what a caller holds of them is out of date.
  const std::set<int64_t>& joined() const { return joined_; }

 private:
  LinkOutcome link(soci::session& sql, store::CaseGroups& groups, ledger::EventAppender& events, const CaseFacts& me,
                   const std::string& my_status, const std::string& now);
  const LinkingConfig& config_;
  LinkOutcome totals_;
  std::set<int64_t> joined_;
};

// A counter's decision on a pending proposal (POST /api/v1/duplicates/{id}/accept or
// /reject): accepting merges the candidate's group and the case's (the candidate's root
// stays root) and returns that root, to route again; rejecting records a
// duplicate_rejected event on both cases. Either way the proposal is marked decided.
// store::GroupError (not_found, conflict) when the proposal is unknown or decided
// already, or its two cases are one case already.
std::optional<int64_t> decide_proposal(store::CaseGroups& groups, store::CaseReader& reader,
                                       ledger::EventAppender& events, int64_t id, bool accept, const std::string& actor,
                                       const std::string& reason, const std::string& now);

// The facts of the given cases (own values of each case's source), in no order.
std::vector<CaseFacts> load_facts(soci::session& sql, const std::vector<int64_t>& ids);
// The facts of a case as the store just returned it (its own values: it is in no group).
CaseFacts facts_of(const core::Case& c);

}  // namespace yizhan::link
