#include "store/candidate_reads.hpp"

namespace yizhan::store {
namespace {

// " (:q1, :q2, ...)" binding each id.
void id_list(db::Query& q, const std::vector<int64_t>& ids) {
  q << "(";
  for (std::size_t i = 0; i < ids.size(); ++i) q << (i ? ", " : "") << q.integer(ids[i]);
  q << ")";
}

std::vector<int64_t> first_column(soci::rowset<soci::row>& rs) {
  std::vector<int64_t> out;
  for (const auto& r : rs) out.push_back(db::row_int(r, 0));
  return out;
}

std::vector<std::pair<int64_t, std::string>> id_text_pairs(soci::rowset<soci::row>& rs) {
  std::vector<std::pair<int64_t, std::string>> out;
  for (const auto& r : rs) out.emplace_back(db::row_int(r, 0), db::row_text(r, 1));
  return out;
}

}  // namespace

std::vector<FactsRow> facts_rows(soci::session& sql, const std::vector<int64_t>& ids) {
  std::vector<FactsRow> out;
  if (ids.empty()) return out;
  db::Query q(
      "SELECT c.id, s.instance, s.system, s.fields, c.title, c.description, c.category, c.division_code, c.grid_id, "
      "c.received_at, c.reporter_phone_hash, c.reporter_id_hash, c.reporter_name_hash FROM cases c JOIN case_sources "
      "s ON s.case_id = c.id WHERE c.id IN ");
  id_list(q, ids);
  q << " ORDER BY c.id, s.id";
  soci::rowset<soci::row> rs = q.prepare(sql);
  for (const auto& r : rs) {
    const int64_t id = db::row_int(r, 0);
    if (!out.empty() && out.back().id == id) continue;  // one source per case
    FactsRow f;
    f.id = id;
    f.instance = db::row_text(r, 1);
    f.system = db::row_text(r, 2);
    f.fields = db::row_text(r, 3);
    f.title = db::row_text(r, 4);
    f.description = db::row_text(r, 5);
    f.category = db::row_text(r, 6);
    f.division_code = db::row_text(r, 7);
    f.grid_id = db::row_text(r, 8);
    f.received_at = db::row_text(r, 9);
    f.phone_hash = db::row_text(r, 10);
    f.id_hash = db::row_text(r, 11);
    f.name_hash = db::row_text(r, 12);
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<int64_t> cases_by_reporter(soci::session& sql, ReporterKey key, const std::string& hash, int64_t except,
                                       int limit) {
  // Each lookup repeats its partial index's condition word for word (<> ''): SQLite
  // uses a partial index only when the query states the index's WHERE term itself.
  const std::string column = key == ReporterKey::phone ? "reporter_phone_hash" : "reporter_id_hash";
  db::Query q("SELECT id FROM cases WHERE ");
  q << column << " = " << q.text(hash) << " AND " << column << " <> '' AND id <> " << q.integer(except)
    << " ORDER BY id DESC LIMIT " << q.integer(limit);
  soci::rowset<soci::row> rs = q.prepare(sql);
  return first_column(rs);
}

std::vector<int64_t> cases_near(soci::session& sql, PlaceKey key, const std::string& value, int64_t except,
                                const std::string& at, const std::string& lo, const std::string& hi, int per_side) {
  const std::string column = key == PlaceKey::grid ? "grid_id" : "division_code";
  auto side = [&](bool after) {
    db::Query q("SELECT id FROM cases WHERE ");
    q << column << " = " << q.text(value) << " AND " << column << " <> '' AND id <> " << q.integer(except);
    if (after)
      q << " AND received_at >= " << q.text(at) << " AND received_at <= " << q.text(hi) << " ORDER BY received_at";
    else
      q << " AND received_at < " << q.text(at) << " AND received_at >= " << q.text(lo) << " ORDER BY received_at DESC";
    q << " LIMIT " << q.integer(per_side);
    soci::rowset<soci::row> rs = q.prepare(sql);
    return first_column(rs);
  };
  std::vector<int64_t> out = side(true);
  for (int64_t id : side(false)) out.push_back(id);
  return out;
}

std::vector<std::pair<int64_t, std::string>> instances_of(soci::session& sql, const std::vector<int64_t>& ids) {
  if (ids.empty()) return {};
  db::Query q("SELECT case_id, instance FROM case_sources WHERE case_id IN ");
  id_list(q, ids);
  soci::rowset<soci::row> rs = q.prepare(sql);
  return id_text_pairs(rs);
}

std::map<int64_t, int64_t> roots_of(soci::session& sql, const std::vector<int64_t>& ids) {
  std::map<int64_t, int64_t> out;
  if (ids.empty()) return out;
  db::Query q("SELECT id, merged_into FROM cases WHERE id IN ");
  id_list(q, ids);
  soci::rowset<soci::row> rs = q.prepare(sql);
  for (const auto& r : rs)
    out[db::row_int(r, 0)] = r.get_indicator(1) == soci::i_ok ? db::row_int(r, 1) : db::row_int(r, 0);
  return out;
}

std::map<int64_t, std::string> statuses_of(soci::session& sql, const std::vector<int64_t>& ids) {
  std::map<int64_t, std::string> out;
  if (ids.empty()) return out;
  db::Query q("SELECT id, status FROM cases WHERE id IN ");
  id_list(q, ids);
  soci::rowset<soci::row> rs = q.prepare(sql);
  for (auto& [id, status] : id_text_pairs(rs)) out[id] = std::move(status);
  return out;
}

std::vector<std::pair<int64_t, std::string>> group_instances(soci::session& sql, const std::vector<int64_t>& roots) {
  if (roots.empty()) return {};
  db::Query q(
      "SELECT COALESCE(c.merged_into, c.id), s.instance FROM cases c JOIN case_sources s ON s.case_id = c.id WHERE "
      "c.id IN ");
  id_list(q, roots);
  q << " OR c.merged_into IN ";
  id_list(q, roots);
  soci::rowset<soci::row> rs = q.prepare(sql);
  return id_text_pairs(rs);
}

std::vector<InstanceRecord> records_of_instance(soci::session& sql, const std::string& instance) {
  std::vector<InstanceRecord> out;
  soci::rowset<soci::row> rs =
      (sql.prepare << "SELECT s.external_id, c.id, COALESCE(c.merged_into, c.id) FROM case_sources s JOIN cases c "
                      "ON c.id = s.case_id WHERE s.instance = :i",
       soci::use(instance));
  for (const auto& r : rs) out.push_back({db::row_text(r, 0), db::row_int(r, 1), db::row_int(r, 2)});
  return out;
}

std::vector<std::pair<int64_t, int64_t>> pending_pairs(soci::session& sql) {
  std::vector<std::pair<int64_t, int64_t>> out;
  soci::rowset<soci::row> rs =
      (sql.prepare << "SELECT case_id, candidate_id FROM duplicate_proposals WHERE status = 'pending'");
  for (const auto& r : rs) out.emplace_back(db::row_int(r, 0), db::row_int(r, 1));
  return out;
}

}  // namespace yizhan::store
