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
using store::literal;
using store::row_int;
using store::row_text;

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

void Linker::on_new_cases(soci::session& sql, store::CaseGroups& groups, store::EventAppender& events,
                          const std::vector<int64_t>& case_ids, const std::string&, const std::string& now) {
  if (!config_.enabled) return;
  for (int64_t id : case_ids) {
    LinkOutcome o = link(sql, groups, events, id, now);
    totals_.joined += o.joined;
    totals_.proposed += o.proposed;
    totals_.candidates += o.candidates;
  }
}

LinkOutcome Linker::link(soci::session& sql, store::CaseGroups& groups, store::EventAppender& events, int64_t case_id,
                         const std::string& now) {
  LinkOutcome outcome;
  auto self = load_facts(sql, {case_id});
  if (self.empty()) return outcome;
  const CaseFacts& me = self.front();
  const std::string me_id = std::to_string(case_id);
  const int n = config_.max_candidates;

  // 1. Candidates, each lookup by index and capped.
  std::set<int64_t> ids;
  auto collect = [&](const std::string& query) {
    soci::rowset<soci::row> rs = (sql.prepare << query);
    for (const auto& r : rs) ids.insert(row_int(r, 0));
  };
  // Each lookup repeats its partial index's condition word for word (<> ''): SQLite
  // uses a partial index only when the query states the index's WHERE term itself.
  if (!me.phone_hash.empty())
    collect("SELECT id FROM cases WHERE reporter_phone_hash = " + literal(me.phone_hash) +
            " AND reporter_phone_hash <> '' AND id <> " + me_id + " ORDER BY id DESC LIMIT " + std::to_string(n));
  if (!me.id_hash.empty())
    collect("SELECT id FROM cases WHERE reporter_id_hash = " + literal(me.id_hash) +
            " AND reporter_id_hash <> '' AND id <> " + me_id + " ORDER BY id DESC LIMIT " + std::to_string(n));
  if (auto t = core::parse_instant(me.received_at)) {
    const std::string lo = literal(core::format_utc(*t - std::chrono::days{config_.window_days}));
    const std::string hi = literal(core::format_utc(*t + std::chrono::days{config_.window_days}));
    const std::string at = literal(me.received_at);
    auto nearest = [&](const std::string& column, const std::string& value) {
      // The nearest in time on either side, half the cap each.
      const std::string half = std::to_string(std::max(1, n / 2));
      const std::string where = "SELECT id FROM cases WHERE " + column + " = " + literal(value) + " AND " + column +
                                " <> '' AND id <> " + me_id;
      collect(where + " AND received_at >= " + at + " AND received_at <= " + hi + " ORDER BY received_at LIMIT " +
              half);
      collect(where + " AND received_at < " + at + " AND received_at >= " + lo + " ORDER BY received_at DESC LIMIT " +
              half);
    };
    if (!me.grid_id.empty()) nearest("grid_id", me.grid_id);
    if (!me.division_code.empty()) nearest("division_code", me.division_code);
  }
  if (!config_.same_instance && !ids.empty()) {
    // Records of the same instance are never candidates: drop them before loading.
    // Filtered here, not in SQL: given "instance = …" SQLite reads the instance's
    // whole (instance, external_id) index instead of probing case_sources_case.
    soci::rowset<soci::row> rs = (sql.prepare << "SELECT case_id, instance FROM case_sources WHERE case_id IN (" +
                                                     id_list(std::vector<int64_t>(ids.begin(), ids.end())) + ")");
    for (const auto& r : rs)
      if (row_text(r, 1) == me.instance) ids.erase(row_int(r, 0));
  }
  if (ids.empty()) return outcome;
  const std::vector<CaseFacts> candidates = load_facts(sql, std::vector<int64_t>(ids.begin(), ids.end()));
  outcome.candidates = static_cast<int>(candidates.size());

  // 2. The groups they belong to: status, and the instances already in each.
  std::map<int64_t, int64_t> root_of;
  {
    soci::rowset<soci::row> rs = (sql.prepare << "SELECT id, merged_into FROM cases WHERE id IN (" +
                                                     id_list(std::vector<int64_t>(ids.begin(), ids.end())) + ")");
    for (const auto& r : rs) root_of[row_int(r, 0)] = r.get_indicator(1) == soci::i_ok ? row_int(r, 1) : row_int(r, 0);
  }
  std::set<int64_t> root_set;
  for (const auto& [id, root] : root_of) root_set.insert(root);
  root_set.erase(case_id);
  if (root_set.empty()) return outcome;
  const std::string roots = id_list(std::vector<int64_t>(root_set.begin(), root_set.end()));
  std::map<int64_t, Group> group;
  {
    soci::rowset<soci::row> rs = (sql.prepare << "SELECT id, status FROM cases WHERE id IN (" + roots + ")");
    for (const auto& r : rs) group[row_int(r, 0)].status = row_text(r, 1);
    soci::rowset<soci::row> is = (sql.prepare << "SELECT COALESCE(c.merged_into, c.id), s.instance FROM cases c JOIN "
                                                 "case_sources s ON s.case_id = c.id WHERE c.id IN (" +
                                                     roots + ") OR c.merged_into IN (" + roots + ")");
    for (const auto& r : is) group[row_int(r, 0)].instances.insert(row_text(r, 1));
  }

  // 3. The best score per open group.
  const auto my_bigrams = text_bigrams(me.text);
  std::map<int64_t, Evidence> best;
  for (const auto& c : candidates) {
    const int64_t root = root_of.at(c.id);
    if (root == case_id) continue;
    const Group& g = group[root];
    if (!config_.same_instance && g.instances.contains(me.instance)) continue;
    Evidence e = compare(me, my_bigrams, c, text_bigrams(c.text), config_.window_days);
    auto it = best.find(root);
    if (it == best.end() || e.score > it->second.score) best[root] = e;
  }
  std::vector<std::pair<int64_t, Evidence>> ranked(best.begin(), best.end());
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.second.score > b.second.score; });
  if (ranked.empty() || ranked.front().second.score < config_.propose_score) return outcome;

  const std::string actor(kLinkerActor);
  if (ranked.front().second.score >= config_.auto_join_score) {
    const auto& [root, e] = ranked.front();
    // The group stays led by an open case: a matter closed in one system and raised
    // again in another goes on under the new, open case.
    std::string my_status;
    sql << "SELECT status FROM cases WHERE id = " + me_id, soci::into(my_status);
    if (core::is_closed(group[root].status) && !core::is_closed(my_status)) {
      groups.merge(case_id, root, "auto", e.score, e.to_json(), actor, now);
      spdlog::info("linker: closed case {} joined the new case {} ({}) automatically, score {:.3f}", root, case_id,
                   me.instance, e.score);
    } else {
      groups.merge(root, case_id, "auto", e.score, e.to_json(), actor, now);
      spdlog::info("linker: case {} ({}) joined case {} automatically, score {:.3f}", case_id, me.instance, root,
                   e.score);
    }
    outcome.joined = 1;
    return outcome;
  }
  for (size_t i = 0; i < ranked.size() && i < kMaxProposals; ++i) {
    const auto& [root, e] = ranked[i];
    if (e.score < config_.propose_score) break;
    const std::string reasons = json::serialize(e.to_json());
    sql << "INSERT INTO duplicate_proposals (case_id, candidate_id, score, reasons, status, created_at) VALUES (" +
               me_id + ", " + std::to_string(root) + ", " + json::serialize(json::value(e.score)) + ", " +
               literal(reasons) + ", 'pending', " + literal(now) + ") ON CONFLICT (case_id, candidate_id) DO NOTHING";
    long long proposal = 0;
    sql << "SELECT id FROM duplicate_proposals WHERE case_id = " + me_id +
               " AND candidate_id = " + std::to_string(root),
        soci::into(proposal);
    json::object data{{"proposal", proposal}, {"case", case_id}, {"candidate", root}, {"reasons", e.to_json()}};
    events.append(case_id, "duplicate_proposed", actor, data, now);
    events.append(root, "duplicate_proposed", actor, data, now);
    ++outcome.proposed;
  }
  return outcome;
}

}  // namespace yizhan::link
