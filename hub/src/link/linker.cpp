#include "link/linker.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <set>

#include "core/case_status.hpp"
#include "core/time.hpp"

namespace yizhan::link {
namespace json = boost::json;
using db::row_int;
using db::row_text;

namespace {

constexpr size_t kMaxProposals = 3;

std::string id_list(const std::vector<int64_t>& ids) {
  std::string out;
  for (int64_t id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

struct Group {
  std::string status;
  std::set<std::string> instances;
};

}  // namespace

std::vector<CaseFacts> load_facts(soci::session& sql, const std::vector<int64_t>& ids) {
  std::vector<CaseFacts> out;
  if (ids.empty()) return out;
  soci::rowset<soci::row> rs =
      (sql.prepare << "SELECT c.id, s.instance, s.system, s.fields, c.title, c.description, c.category, "
                      "c.division_code, c.grid_id, c.received_at, c.reporter_phone_hash, c.reporter_id_hash, "
                      "c.reporter_name_hash FROM cases c JOIN case_sources s ON s.case_id = c.id WHERE c.id IN (" +
                          id_list(ids) + ") ORDER BY c.id, s.id");
  for (const auto& r : rs) {
    const int64_t id = row_int(r, 0);
    if (!out.empty() && out.back().id == id) continue;  // one source per case
    CaseFacts f;
    f.id = id;
    f.instance = row_text(r, 1);
    f.system = row_text(r, 2);
    // A root's row shows its group's values; its own are in its source row.
    if (auto own = store::parse_fields_json(row_text(r, 3))) {
      f.text = (*own)[0] + "\n" + (*own)[1];
      f.category = (*own)[2];
      f.division_code = (*own)[5];
      f.grid_id = (*own)[8];
    } else {
      f.text = row_text(r, 4) + "\n" + row_text(r, 5);
      f.category = row_text(r, 6);
      f.division_code = row_text(r, 7);
      f.grid_id = row_text(r, 8);
    }
    f.received_at = row_text(r, 9);
    f.phone_hash = row_text(r, 10);
    f.id_hash = row_text(r, 11);
    f.name_hash = row_text(r, 12);
    out.push_back(std::move(f));
  }
  return out;
}

void Linker::link_new_cases(soci::session& sql, store::CaseGroups& groups, ledger::EventAppender& events,
                            const std::vector<int64_t>& case_ids, const std::string& now) {
  if (!config_.enabled) return;
  for (int64_t id : case_ids) {
    LinkOutcome o = link(sql, groups, events, id, now);
    totals_.joined += o.joined;
    totals_.proposed += o.proposed;
    totals_.candidates += o.candidates;
  }
}

namespace {

// 1. Candidates, each lookup by index and capped; every value bound. `column` is one of
// this file's column names, never input.
std::set<int64_t> find_candidates(soci::session& sql, const core::LinkingConfig& config, const CaseFacts& me,
                                  int64_t case_id) {
  const long long me_key = case_id;
  const long long n = config.max_candidates;
  std::set<int64_t> ids;
  auto by_hash = [&](const std::string& column, const std::string& hash) {
    // Each lookup repeats its partial index's condition word for word (<> ''): SQLite
    // uses a partial index only when the query states the index's WHERE term itself.
    soci::rowset<soci::row> rs = (sql.prepare << "SELECT id FROM cases WHERE " + column + " = :h AND " + column +
                                                     " <> '' AND id <> :me ORDER BY id DESC LIMIT :n",
                                  soci::use(hash), soci::use(me_key), soci::use(n));
    for (const auto& r : rs) ids.insert(row_int(r, 0));
  };
  if (!me.phone_hash.empty()) by_hash("reporter_phone_hash", me.phone_hash);
  if (!me.id_hash.empty()) by_hash("reporter_id_hash", me.id_hash);
  if (auto t = core::parse_instant(me.received_at)) {
    const std::string lo = core::format_utc(*t - std::chrono::days{config.window_days});
    const std::string hi = core::format_utc(*t + std::chrono::days{config.window_days});
    const std::string& at = me.received_at;
    auto nearest = [&](const std::string& column, const std::string& value) {
      // The nearest in time on either side, half the cap each.
      const long long half = std::max(1LL, n / 2);
      const std::string where = "SELECT id FROM cases WHERE " + column + " = :v AND " + column + " <> '' AND id <> :me";
      soci::rowset<soci::row> after =
          (sql.prepare << where + " AND received_at >= :at AND received_at <= :hi ORDER BY received_at LIMIT :n",
           soci::use(value), soci::use(me_key), soci::use(at), soci::use(hi), soci::use(half));
      for (const auto& r : after) ids.insert(row_int(r, 0));
      soci::rowset<soci::row> before =
          (sql.prepare << where + " AND received_at < :at AND received_at >= :lo ORDER BY received_at DESC LIMIT :n",
           soci::use(value), soci::use(me_key), soci::use(at), soci::use(lo), soci::use(half));
      for (const auto& r : before) ids.insert(row_int(r, 0));
    };
    if (!me.grid_id.empty()) nearest("grid_id", me.grid_id);
    if (!me.division_code.empty()) nearest("division_code", me.division_code);
  }
  if (!config.same_instance && !ids.empty()) {
    // Records of the same instance are never candidates: drop them before loading.
    // Filtered here, not in SQL: given "instance = …" SQLite reads the instance's
    // whole (instance, external_id) index instead of probing case_sources_case.
    soci::rowset<soci::row> rs = (sql.prepare << "SELECT case_id, instance FROM case_sources WHERE case_id IN (" +
                                                     id_list(std::vector<int64_t>(ids.begin(), ids.end())) + ")");
    for (const auto& r : rs)
      if (row_text(r, 1) == me.instance) ids.erase(row_int(r, 0));
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
  {
    soci::rowset<soci::row> rs = (sql.prepare << "SELECT id, merged_into FROM cases WHERE id IN (" +
                                                     id_list(std::vector<int64_t>(ids.begin(), ids.end())) + ")");
    for (const auto& r : rs)
      g.root_of[row_int(r, 0)] = r.get_indicator(1) == soci::i_ok ? row_int(r, 1) : row_int(r, 0);
  }
  std::set<int64_t> root_set;
  for (const auto& [id, root] : g.root_of) root_set.insert(root);
  root_set.erase(case_id);
  if (root_set.empty()) return g;
  const std::string roots = id_list(std::vector<int64_t>(root_set.begin(), root_set.end()));
  soci::rowset<soci::row> rs = (sql.prepare << "SELECT id, status FROM cases WHERE id IN (" + roots + ")");
  for (const auto& r : rs) g.group[row_int(r, 0)].status = row_text(r, 1);
  soci::rowset<soci::row> is = (sql.prepare << "SELECT COALESCE(c.merged_into, c.id), s.instance FROM cases c JOIN "
                                               "case_sources s ON s.case_id = c.id WHERE c.id IN (" +
                                                   roots + ") OR c.merged_into IN (" + roots + ")");
  for (const auto& r : is) g.group[row_int(r, 0)].instances.insert(row_text(r, 1));
  return g;
}

// 3. The best score per open group, best first.
std::vector<std::pair<int64_t, Evidence>> rank(const core::LinkingConfig& config, const CaseFacts& me, int64_t case_id,
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
  std::vector<std::pair<int64_t, Evidence>> ranked(best.begin(), best.end());
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.second.score > b.second.score; });
  return ranked;
}

// 4a. Above the auto-join score: one group. It stays led by an open case: a matter
// closed in one system and raised again in another goes on under the new, open case.
void join(soci::session& sql, store::CaseGroups& groups, const CaseFacts& me, int64_t case_id, int64_t root,
          const Evidence& e, const std::string& root_status, const std::string& now) {
  const std::string actor(kLinkerActor);
  const long long me_key = case_id;
  std::string my_status;
  sql << "SELECT status FROM cases WHERE id = :c", soci::use(me_key), soci::into(my_status);
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
int propose(soci::session& sql, ledger::EventAppender& events, const core::LinkingConfig& config, int64_t case_id,
            const std::vector<std::pair<int64_t, Evidence>>& ranked, const std::string& now) {
  const std::string actor(kLinkerActor);
  const long long me_key = case_id;
  int proposed = 0;
  for (size_t i = 0; i < ranked.size() && i < kMaxProposals; ++i) {
    const auto& [root, e] = ranked[i];
    if (e.score < config.propose_score) break;
    const std::string reasons = json::serialize(e.to_json());
    const long long candidate = root;
    const double score = e.score;
    sql << "INSERT INTO duplicate_proposals (case_id, candidate_id, score, reasons, status, created_at) "
           "VALUES (:c, :cand, :s, :r, 'pending', :at) ON CONFLICT (case_id, candidate_id) DO NOTHING",
        soci::use(me_key), soci::use(candidate), soci::use(score), soci::use(reasons), soci::use(now);
    long long proposal = 0;
    sql << "SELECT id FROM duplicate_proposals WHERE case_id = :c AND candidate_id = :cand", soci::use(me_key),
        soci::use(candidate), soci::into(proposal);
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
  LinkOutcome outcome;
  auto self = load_facts(sql, {case_id});
  if (self.empty()) return outcome;
  const CaseFacts& me = self.front();
  const std::set<int64_t> ids = find_candidates(sql, config_, me, case_id);
  if (ids.empty()) return outcome;
  const std::vector<CaseFacts> candidates = load_facts(sql, std::vector<int64_t>(ids.begin(), ids.end()));
  outcome.candidates = static_cast<int>(candidates.size());
  Groups g = load_groups(sql, ids, case_id);
  if (g.group.empty()) return outcome;
  const auto ranked = rank(config_, me, case_id, candidates, g);
  if (ranked.empty() || ranked.front().second.score < config_.propose_score) return outcome;
  if (ranked.front().second.score >= config_.auto_join_score) {
    const auto& [root, e] = ranked.front();
    join(sql, groups, me, case_id, root, e, g.group[root].status, now);
    outcome.joined = 1;
    return outcome;
  }
  outcome.proposed = propose(sql, events, config_, case_id, ranked, now);
  return outcome;
}

}  // namespace yizhan::link
