// Cases joined into one (docs/architecture.md §6): a group is a root case and the cases merged into
// it (cases.merged_into = root), one level deep. Every case keeps its own source row,
// its own events and — in case_sources.fields — the field values its record gave. The
// root's row shows the group's resolved values: per field, the value of the most
// authoritative source that has one (FieldAuthority: the config's linking.authority), else of the
// earliest (the root first, then members in merge order). A member's row keeps its own
// values. So an unmerge only has to detach the member and resolve both groups again
// to restore both cases exactly; nothing is lost in between.
//
// The proposals of possible duplicates (duplicate_proposals) are kept here too: link/
// decides what to propose and what a decision does, this file stores them.
//
// Every merge, unmerge and losing field value is a ledger event. All calls run inside
// the caller's write transaction (WriteTransaction, EventAppender).
#pragma once

#include <array>
#include <boost/json/object.hpp>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "ledger/event_log.hpp"

namespace yizhan::store {

// The case fields a source sets and a group resolves, in this order. PII, status and
// coordinates are not among them: they stay the root's own.
inline constexpr std::array<const char*, 9> kCaseFields = {
    "title", "description", "category", "channel", "urgency", "division_code", "division_year", "address", "grid_id"};
using FieldValues = std::array<std::string, kCaseFields.size()>;

// case_sources.fields: {"title":…, …} with every field, as text.
std::string fields_json(const FieldValues& v);
// Parses fields_json(); nullopt for "" (a source row written before migration 0002).
std::optional<FieldValues> parse_fields_json(const std::string& text);

// A merge or unmerge that the current state does not allow; `code` is not_found or
// conflict (the API answers 404 or 409 with the message).
struct GroupError : std::runtime_error {
  GroupError(std::string c, const std::string& m) : std::runtime_error(m), code(std::move(c)) {}
  std::string code;
};

// Field -> systems (plugin names), most authoritative first; systems not listed follow,
// earliest joined first.
using FieldAuthority = std::map<std::string, std::vector<std::string>>;

class CaseGroups {
 public:
  CaseGroups(soci::session& sql, ledger::EventAppender& events, const FieldAuthority& authority);

  // The root of `case_id`'s group (itself when not merged); GroupError if no such case.
  int64_t root_of(int64_t case_id);
  std::vector<int64_t> members(int64_t root);  // in merge order

  // Joins `member`'s group to `root`'s: `member` and every case merged into it become
  // members of `root`. Both must be roots of different groups. `kind`: auto | accepted.
  // Returns the merge's id.
  int64_t merge(int64_t root, int64_t member, const std::string& kind, std::optional<double> score,
                const boost::json::object& reasons, const std::string& actor, const std::string& now);

  // Undoes the active merge of `member`: it leaves its group, taking back the cases
  // that came with it, and both groups are resolved again. The pair is recorded as a
  // rejected proposal, so linking does not propose it again. Returns the former root.
  int64_t unmerge(int64_t member, const std::string& actor, const std::string& reason, const std::string& now);

  // Records the proposal that `case_id` and `candidate_id` are one matter, pending
  // (nothing new when the pair was proposed before, in any state); returns its id.
  int64_t propose(int64_t case_id, int64_t candidate_id, double score, const std::string& reasons_json,
                  const std::string& now);
  // Marks a proposal accepted or rejected by `actor`.
  void decide(int64_t proposal_id, bool accepted, const std::string& actor, const std::string& now);

  // Resolves `root`'s fields from its group's sources and writes what changed (with
  // the search postings). `changed`: the case whose values are new (just merged or
  // updated): each field where its value loses, or where it displaces another
  // source's, is kept as a field_conflict event on the root.
  void resolve(int64_t root, std::optional<int64_t> changed, const std::string& actor, const std::string& now);

 private:
  struct Source;
  Source own(int64_t case_id);

  soci::session& sql_;
  ledger::EventAppender& events_;
  const FieldAuthority& authority_;
};

}  // namespace yizhan::store
