#include "store/case_groups.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "store/case_writer.hpp"

namespace yizhan::store {
namespace json = boost::json;

namespace {

constexpr size_t kFieldCount = kCaseFields.size();

size_t field_index(std::string_view name) {
  for (size_t i = 0; i < kFieldCount; ++i)
    if (name == kCaseFields[i]) return i;
  return kFieldCount;
}

// A value that says nothing: "" (and 0 for the division year).
bool blank(size_t i, const std::string& v) {
  return v.empty() || (std::string_view(kCaseFields[i]) == "division_year" && v == "0");
}

json::object source_ref(int64_t case_id, const std::string& instance, const std::string& external_id) {
  return json::object{{"case_id", case_id}, {"instance", instance}, {"external_id", external_id}};
}

}  // namespace

std::string fields_json(const FieldValues& v) {
  json::object o;
  for (size_t i = 0; i < kFieldCount; ++i) o[kCaseFields[i]] = v[i];
  return json::serialize(o);
}

std::optional<FieldValues> parse_fields_json(const std::string& text) {
  if (text.empty()) return std::nullopt;
  FieldValues v;
  const json::object o = json::parse(text).as_object();
  for (const auto& kv : o) {
    const size_t i = field_index(kv.key());
    if (i < kFieldCount && kv.value().is_string()) v[i] = std::string(kv.value().as_string());
  }
  return v;
}

struct CaseGroups::Source {
  int64_t case_id = 0;
  std::string instance, system, external_id;
  FieldValues values;
};

CaseGroups::CaseGroups(soci::session& sql, ledger::EventAppender& events, const FieldAuthority& authority)
    : sql_(sql), events_(events), authority_(authority) {}

// A case's own values: its source row's fields, or (a row from before migration 0002,
// never part of a group since) the case row itself.
CaseGroups::Source CaseGroups::own(int64_t case_id) {
  Source s;
  s.case_id = case_id;
  std::optional<FieldValues> v;
  if (auto r = first_record(sql_, case_id)) {
    s.instance = r->instance;
    s.system = r->system;
    s.external_id = r->external_id;
    v = r->fields;
  }
  s.values = v ? *v : read_case_fields(sql_, case_id);
  return s;
}

int64_t CaseGroups::root_of(int64_t case_id) { return merged_into(sql_, case_id).value_or(case_id); }

std::vector<int64_t> CaseGroups::members(int64_t root) {
  // In merge order: by each member's active merge (a member that moved with another
  // keeps its own, earlier merge).
  std::vector<int64_t> out = merged_members(sql_, root);
  if (out.size() < 2) return out;
  db::Query q("SELECT member_id, MAX(id) FROM case_merges WHERE undone_at IS NULL AND member_id IN (");
  for (std::size_t i = 0; i < out.size(); ++i) q << (i ? ", " : "") << q.integer(out[i]);
  q << ") GROUP BY member_id";
  std::map<int64_t, int64_t> merge_of;  // a member without an active merge (none expected) sorts first
  soci::rowset<soci::row> rs = q.prepare(sql_);
  for (const auto& r : rs) merge_of[db::row_int(r, 0)] = db::row_int(r, 1);
  std::stable_sort(out.begin(), out.end(), [&](int64_t a, int64_t b) {
    const int64_t ka = merge_of.contains(a) ? merge_of[a] : 0, kb = merge_of.contains(b) ? merge_of[b] : 0;
    return ka != kb ? ka < kb : a < b;
  });
  return out;
}

void CaseGroups::resolve(int64_t root, std::optional<int64_t> changed, const std::string& actor,
                         const std::string& now) {
  std::vector<Source> sources{own(root)};
  for (int64_t m : members(root)) sources.push_back(own(m));
  const FieldValues before = read_case_fields(sql_, root);
  FieldValues after;
  std::array<size_t, kFieldCount> winner{};
  for (size_t f = 0; f < kFieldCount; ++f) {
    std::vector<size_t> order(sources.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    if (auto it = authority_.find(kCaseFields[f]); it != authority_.end()) {
      auto rank = [&](size_t i) {
        auto p = std::find(it->second.begin(), it->second.end(), sources[i].system);
        return static_cast<size_t>(p - it->second.begin());  // unlisted: after every listed one
      };
      std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return rank(a) < rank(b); });
    }
    winner[f] = order.front();
    for (size_t i : order)
      if (!blank(f, sources[i].values[f])) {
        winner[f] = i;
        break;
      }
    after[f] = sources[winner[f]].values[f];
  }
  write_case_fields(sql_, root, before, after);

  json::array changes;
  for (size_t f = 0; f < kFieldCount; ++f)
    if (before[f] != after[f])
      changes.push_back(json::object{{"field", kCaseFields[f]},
                                     {"from", before[f]},
                                     {"to", after[f]},
                                     {"from_source", source_ref(sources[winner[f]].case_id, sources[winner[f]].instance,
                                                                sources[winner[f]].external_id)}});
  if (!changes.empty()) events_.append(root, "fields_resolved", actor, {{"changes", std::move(changes)}}, now);
  if (!changed) return;

  auto c = std::find_if(sources.begin(), sources.end(), [&](const Source& s) { return s.case_id == *changed; });
  if (c == sources.end()) return;
  for (size_t f = 0; f < kFieldCount; ++f) {
    const Source& w = sources[winner[f]];
    auto conflict = [&](const std::string& kept, const Source& kept_from, const std::string& lost,
                        const Source& lost_from) {
      auto authority = authority_.find(kCaseFields[f]);
      events_.append(root, "field_conflict", actor,
                     {{"field", kCaseFields[f]},
                      {"kept", kept},
                      {"kept_from", source_ref(kept_from.case_id, kept_from.instance, kept_from.external_id)},
                      {"lost", lost},
                      {"lost_from", source_ref(lost_from.case_id, lost_from.instance, lost_from.external_id)},
                      {"rule", authority != authority_.end() ? "authority" : "earliest"}},
                     now);
    };
    if (&w != &*c) {
      if (!blank(f, c->values[f]) && c->values[f] != after[f]) conflict(after[f], w, c->values[f], *c);
    } else if (!blank(f, before[f]) && before[f] != after[f]) {
      // The changed source won: the value it displaced is kept, from whichever
      // other source gave it.
      auto prev = std::find_if(sources.begin(), sources.end(),
                               [&](const Source& s) { return &s != &*c && s.values[f] == before[f]; });
      if (prev != sources.end()) conflict(after[f], *c, before[f], *prev);
    }
  }
}

int64_t CaseGroups::merge(int64_t root, int64_t member, const std::string& kind, std::optional<double> score,
                          const json::object& reasons, const std::string& actor, const std::string& now) {
  if (root == member) throw GroupError("conflict", "a case cannot be merged into itself");
  for (int64_t id : {root, member})
    if (root_of(id) != id)
      throw GroupError("conflict", "case " + std::to_string(id) + " is merged into case " +
                                       std::to_string(root_of(id)) + "; merge its group's root instead");
  // Own values must be on record before a row starts to show a group's (rows from
  // before migration 0002 have none).
  for (int64_t id : {root, member}) {
    keep_own_fields(sql_, id, fields_json(own(id).values));
  }
  const std::vector<int64_t> moved = members(member);
  json::array moved_json;
  for (int64_t m : moved) moved_json.push_back(m);
  const std::string moved_text = json::serialize(moved_json);
  if (!moved.empty()) {
    set_merged_into(sql_, root, member, true);
    // The member shows its own values again; its group is resolved under the root.
    write_case_fields(sql_, member, read_case_fields(sql_, member), own(member).values);
  }
  set_merged_into(sql_, root, member);
  const std::string reasons_text = json::serialize(reasons);
  long long root_id = root, member_id = member;
  double score_value = score.value_or(0);
  soci::indicator score_ind = score ? soci::i_ok : soci::i_null;
  sql_ << "INSERT INTO case_merges (root_id, member_id, kind, score, reasons, moved_members, actor, merged_at) "
          "VALUES (:root, :member, :kind, :score, :reasons, :moved, :actor, :at)",
      soci::use(root_id), soci::use(member_id), soci::use(kind), soci::use(score_value, score_ind),
      soci::use(reasons_text), soci::use(moved_text), soci::use(actor), soci::use(now);
  long long merge_id = 0;
  sql_ << "SELECT MAX(id) FROM case_merges WHERE member_id = :member", soci::use(member_id), soci::into(merge_id);
  json::object data{{"member", member}, {"kind", kind}, {"merge_id", merge_id}, {"moved_members", moved_json}};
  if (score) data["score"] = *score;
  if (!reasons.empty()) data["reasons"] = reasons;
  events_.append(root, "merged", actor, data, now);
  events_.append(member, "merged_into", actor, {{"root", root}, {"kind", kind}, {"merge_id", merge_id}}, now);
  resolve(root, member, actor, now);
  return merge_id;
}

int64_t CaseGroups::propose(int64_t case_id, int64_t candidate_id, double score, const std::string& reasons_json,
                            const std::string& now) {
  long long me = case_id, candidate = candidate_id, proposal = 0;
  sql_ << "INSERT INTO duplicate_proposals (case_id, candidate_id, score, reasons, status, created_at) "
          "VALUES (:c, :cand, :s, :r, 'pending', :at) ON CONFLICT (case_id, candidate_id) DO NOTHING",
      soci::use(me), soci::use(candidate), soci::use(score), soci::use(reasons_json), soci::use(now);
  sql_ << "SELECT id FROM duplicate_proposals WHERE case_id = :c AND candidate_id = :cand", soci::use(me),
      soci::use(candidate), soci::into(proposal);
  return proposal;
}

void CaseGroups::decide(int64_t proposal_id, bool accepted, const std::string& actor, const std::string& now) {
  const std::string status = accepted ? "accepted" : "rejected";
  long long id = proposal_id;
  sql_ << "UPDATE duplicate_proposals SET status = :s, decided_at = :at, decided_by = :actor WHERE id = :id",
      soci::use(status), soci::use(now), soci::use(actor), soci::use(id);
}

int64_t CaseGroups::unmerge(int64_t member, const std::string& actor, const std::string& reason,
                            const std::string& now) {
  const int64_t root = root_of(member);
  if (root == member) throw GroupError("conflict", "case " + std::to_string(member) + " is not merged into another");
  long long merge_id = 0;
  std::string moved_text;
  soci::indicator ind = soci::i_null;
  long long member_id = member, root_id = root;
  sql_ << "SELECT id, moved_members FROM case_merges WHERE member_id = :member AND undone_at IS NULL ORDER BY id DESC",
      soci::use(member_id), soci::into(merge_id), soci::into(moved_text, ind);
  json::array back;
  const json::value moved = sql_.got_data() && ind == soci::i_ok ? json::parse(moved_text) : json::value(json::array());
  if (moved.is_array())
    for (const auto& v : moved.as_array()) {
      const int64_t m = v.to_number<int64_t>();
      if (root_of(m) == root) back.push_back(m);
    }
  set_merged_into(sql_, std::nullopt, member);
  for (const auto& v : back) set_merged_into(sql_, member, v.to_number<int64_t>());
  if (merge_id)
    sql_ << "UPDATE case_merges SET undone_at = :at, undone_by = :actor WHERE id = :id", soci::use(now),
        soci::use(actor), soci::use(merge_id);
  sql_ << "INSERT INTO duplicate_proposals (case_id, candidate_id, score, reasons, status, created_at, decided_at, "
          "decided_by) VALUES (:member, :root, 0, '{}', 'rejected', :created, :decided, :actor) "
          "ON CONFLICT (case_id, candidate_id) DO UPDATE SET status = 'rejected', decided_at = "
          "excluded.decided_at, decided_by = excluded.decided_by",
      soci::use(member_id), soci::use(root_id), soci::use(now), soci::use(now), soci::use(actor);
  events_.append(root, "unmerged", actor,
                 {{"member", member}, {"merge_id", merge_id}, {"restored_members", back}, {"reason", reason}}, now);
  events_.append(member, "unmerged_from", actor, {{"root", root}, {"merge_id", merge_id}, {"reason", reason}}, now);
  resolve(root, std::nullopt, actor, now);
  resolve(member, std::nullopt, actor, now);
  return root;
}

}  // namespace yizhan::store
