#include "link/linker.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <set>

#include "core/case_status.hpp"
#include "core/time.hpp"
#include "store/candidate_reads.hpp"

namespace yizhan::link {
namespace json = boost::json;

namespace {

constexpr size_t kMaxProposals = 3;

struct Group {
  std::string status;
  std::set<std::string> instances;
};

}  // namespace

std::vector<CaseFacts> load_facts(soci::session& sql, const std::vector<int64_t>& ids) {
  std::vector<CaseFacts> out;
  for (auto& r : store::facts_rows(sql, ids)) {
    CaseFacts f;
    f.id = r.id;
    f.instance = std::move(r.instance);
    f.system = std::move(r.system);
    // A root's row shows its group's values; its own are in its source row.
    if (auto own = store::parse_fields_json(r.fields)) {
      f.text = (*own)[0] + "\n" + (*own)[1];
      f.category = (*own)[2];
      f.division_code = (*own)[5];
      f.grid_id = (*own)[8];
    } else {
      f.text = r.title + "\n" + r.description;
      f.category = std::move(r.category);
      f.division_code = std::move(r.division_code);
      f.grid_id = std::move(r.grid_id);
    }
    f.received_at = std::move(r.received_at);
    f.phone_hash = std::move(r.phone_hash);
    f.id_hash = std::move(r.id_hash);
    f.name_hash = std::move(r.name_hash);
    out.push_back(std::move(f));
  }
  return out;
}

CaseFacts facts_of(const core::Case& c) {
  CaseFacts f;
  f.id = c.id;
  f.instance = c.instance;
  f.system = c.system;
  f.text = c.title + "\n" + c.description;
  f.category = c.category;
  f.division_code = c.place.division_code;
  f.grid_id = c.place.grid_id;
  f.received_at = c.received_at;
  f.phone_hash = c.phone_hash;
  f.id_hash = c.id_hash;
  f.name_hash = c.name_hash;
  return f;
}

void Linker::link_new_cases(soci::session& sql, store::CaseGroups& groups, ledger::EventAppender& events,
                            const std::vector<core::Case>& cases, const std::string& now) {
  if (!config_.enabled) return;
  for (const auto& c : cases) {
    LinkOutcome o = joined_.contains(c.id) ? link(sql, groups, events, c.id, now)
                                           : link(sql, groups, events, facts_of(c), c.status, now);
    totals_.joined += o.joined;
    totals_.proposed += o.proposed;
    totals_.candidates += o.candidates;
  }
}

namespace {

// 1. Candidates, each lookup by index and capped (store/candidate_reads.hpp).
std::set<int64_t> find_candidates(soci::session& sql, const LinkingConfig& config, const CaseFacts& me,
                                  int64_t case_id) {
  const int n = config.max_candidates;
  std::set<int64_t> ids;
  auto add = [&](const std::vector<int64_t>& found) { ids.insert(found.begin(), found.end()); };
  if (!me.phone_hash.empty()) add(store::cases_by_reporter(sql, store::ReporterKey::phone, me.phone_hash, case_id, n));
  if (!me.id_hash.empty()) add(store::cases_by_reporter(sql, store::ReporterKey::id_number, me.id_hash, case_id, n));
  if (auto t = core::parse_instant(me.received_at)) {
    const std::string lo = core::format_utc(*t - std::chrono::days{config.window_days});
    const std::string hi = core::format_utc(*t + std::chrono::days{config.window_days});
    // The nearest in time on either side, half the cap each.
    const int half = std::max(1, n / 2);
    if (!me.grid_id.empty())
      add(store::cases_near(sql, store::PlaceKey::grid, me.grid_id, case_id, me.received_at, lo, hi, half));
    if (!me.division_code.empty())
      add(store::cases_near(sql, store::PlaceKey::division, me.division_code, case_id, me.received_at, lo, hi, half));
  }
  if (!config.same_instance && !ids.empty()) {
    // Records of the same instance are never candidates: drop them before loading.
    // Filtered here, not in SQL: given "instance = …" SQLite reads the instance's
    // whole (instance, external_id) index instead of probing case_sources_case.
    for (const auto& [id, instance] : store::instances_of(sql, std::vector<int64_t>(ids.begin(), ids.end())))
      if (instance == me.instance) ids.erase(id);
  }
  return ids;
}

// 2. The groups the candidates belong to: each candidate's root, and per root its
// status and the instances already in it. Empty when only the case's own group is left.
struct Groups {
  std::map<int64_t, int64_t> root_of;
  std::map<int64_t, Group> group;
};
Groups load_groups(soci::session& sql, const std::set<int64_t>& ids, int64_t case_id) {
  Groups g;
  g.root_of = store::roots_of(sql, std::vector<int64_t>(ids.begin(), ids.end()));
  std::set<int64_t> root_set;
  for (const auto& [id, root] : g.root_of) root_set.insert(root);
  root_set.erase(case_id);
  if (root_set.empty()) return g;
  const std::vector<int64_t> roots(root_set.begin(), root_set.end());
  for (auto& [id, status] : store::statuses_of(sql, roots)) g.group[id].status = std::move(status);
  for (auto& [root, instance] : store::group_instances(sql, roots)) g.group[root].instances.insert(std::move(instance));
  return g;
}

// 3. The best score per open group, best first.
std::vector<RankedGroup> rank(const LinkingConfig& config, const CaseFacts& me, int64_t case_id,
                              const std::vector<CaseFacts>& candidates, Groups& g) {
  const auto my_bigrams = text_bigrams(me.text);
  std::map<int64_t, Evidence> best;
  for (const auto& c : candidates) {
    const int64_t root = g.root_of.at(c.id);
    if (root == case_id) continue;
    const Group& group = g.group[root];
    if (!config.same_instance && group.instances.contains(me.instance)) continue;
    Evidence e = compare(me, my_bigrams, c, text_bigrams(c.text), config.window_days);
    auto it = best.find(root);
    if (it == best.end() || e.score > it->second.score) best[root] = e;
  }
  std::vector<RankedGroup> ranked;
  for (auto& [root, e] : best) ranked.push_back({root, std::move(e), g.group[root].status});
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.evidence.score > b.evidence.score; });
  return ranked;
}

// 1–3 for one record: the groups it could join, best first.
std::vector<RankedGroup> ranked_groups(soci::session& sql, const LinkingConfig& config, const CaseFacts& me,
                                       int* candidate_count) {
  const std::set<int64_t> ids = find_candidates(sql, config, me, me.id);
  if (ids.empty()) return {};
  const std::vector<CaseFacts> candidates = load_facts(sql, std::vector<int64_t>(ids.begin(), ids.end()));
  if (candidate_count) *candidate_count = static_cast<int>(candidates.size());
  Groups g = load_groups(sql, ids, me.id);
  if (g.group.empty()) return {};
  return rank(config, me, me.id, candidates, g);
}

// 4a. Above the auto-join score: one group. It stays led by an open case: a matter
// closed in one system and raised again in another goes on under the new, open case.
void join(store::CaseGroups& groups, const CaseFacts& me, const std::string& my_status, int64_t root, const Evidence& e,
          const std::string& root_status, const std::string& now) {
  const std::string actor(kLinkerActor);
  const int64_t case_id = me.id;
  if (core::is_closed(root_status) && !core::is_closed(my_status)) {
    groups.merge(case_id, root, "auto", e.score, e.to_json(), actor, now);
    spdlog::info("linker: closed case {} joined the new case {} ({}) automatically, score {:.3f}", root, case_id,
                 me.instance, e.score);
  } else {
    groups.merge(root, case_id, "auto", e.score, e.to_json(), actor, now);
    spdlog::info("linker: case {} ({}) joined case {} automatically, score {:.3f}", case_id, me.instance, root,
                 e.score);
  }
}

// 4b. Between the scores: up to kMaxProposals proposals for staff to decide.
int propose(store::CaseGroups& groups, ledger::EventAppender& events, const LinkingConfig& config, int64_t case_id,
            const std::vector<RankedGroup>& ranked, const std::string& now) {
  const std::string actor(kLinkerActor);
  int proposed = 0;
  for (size_t i = 0; i < ranked.size() && i < kMaxProposals; ++i) {
    const auto& [root, e, status] = ranked[i];
    if (e.score < config.propose_score) break;
    const int64_t proposal = groups.propose(case_id, root, e.score, json::serialize(e.to_json()), now);
    json::object data{{"proposal", proposal}, {"case", case_id}, {"candidate", root}, {"reasons", e.to_json()}};
    events.append(case_id, "duplicate_proposed", actor, data, now);
    events.append(root, "duplicate_proposed", actor, data, now);
    ++proposed;
  }
  return proposed;
}

}  // namespace

LinkOutcome Linker::link(soci::session& sql, store::CaseGroups& groups, ledger::EventAppender& events, int64_t case_id,
                         const std::string& now) {
  auto self = load_facts(sql, {case_id});
  if (self.empty()) return {};
  return link(sql, groups, events, self.front(), store::case_status(sql, case_id).value_or(""), now);
}

LinkOutcome Linker::link(soci::session& sql, store::CaseGroups& groups, ledger::EventAppender& events,
                         const CaseFacts& me, const std::string& my_status, const std::string& now) {
  LinkOutcome outcome;
  const int64_t case_id = me.id;
  const auto ranked = ranked_groups(sql, config_, me, &outcome.candidates);
  if (ranked.empty() || ranked.front().evidence.score < config_.propose_score) return outcome;
  if (joins(ranked.front())) {
    const auto& [root, e, root_status] = ranked.front();
    join(groups, me, my_status, root, e, root_status, now);
    joined_.insert({case_id, root});
    outcome.joined = 1;
    return outcome;
  }
  outcome.proposed = propose(groups, events, config_, case_id, ranked, now);
  return outcome;
}

std::vector<RankedGroup> Linker::rank_groups(soci::session& sql, const CaseFacts& me) const {
  if (!config_.enabled) return {};
  return ranked_groups(sql, config_, me, nullptr);
}

std::optional<int64_t> decide_proposal(store::CaseGroups& groups, store::CaseReader& reader,
                                       ledger::EventAppender& events, int64_t id, bool accept, const std::string& actor,
                                       const std::string& reason, const std::string& now) {
  auto p = reader.proposal(id);
  if (!p) throw store::GroupError("not_found", "no duplicate proposal " + std::to_string(id));
  if (p->status != "pending")
    throw store::GroupError("conflict", "proposal " + std::to_string(id) + " is " + p->status + " already");
  std::optional<int64_t> merged;
  if (accept) {
    const int64_t root = groups.root_of(p->candidate_id), member = groups.root_of(p->case_id);
    if (root == member)
      throw store::GroupError("conflict", "cases " + std::to_string(p->case_id) + " and " +
                                              std::to_string(p->candidate_id) + " are one case already (case " +
                                              std::to_string(root) + ")");
    boost::system::error_code ec;
    json::value reasons = json::parse(p->reasons, ec);
    json::object r = !ec && reasons.is_object() ? reasons.as_object() : json::object();
    r["proposal"] = id;
    if (!reason.empty()) r["reason"] = reason;
    groups.merge(root, member, "accepted", p->score, r, actor, now);
    merged = root;
  } else {
    json::object data{{"proposal", id}, {"case", p->case_id}, {"candidate", p->candidate_id}, {"reason", reason}};
    events.append(p->case_id, "duplicate_rejected", actor, data, now);
    events.append(p->candidate_id, "duplicate_rejected", actor, data, now);
  }
  groups.decide(id, accept, actor, now);
  return merged;
}

}  // namespace yizhan::link
