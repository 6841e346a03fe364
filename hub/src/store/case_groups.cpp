#include "store/case_groups.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "core/text.hpp"

namespace yizhan::store {
namespace json = boost::json;

namespace {

constexpr size_t kFieldCount = kCaseFields.size();

size_t field_index(std::string_view name) {
  for (size_t i = 0; i < kFieldCount; ++i)
    if (name == kCaseFields[i]) return i;
  return kFieldCount;
}

bool is_text_field(size_t i) {
  std::string_view n = kCaseFields[i];
  return n == "title" || n == "description" || n == "address";
}

// A value that says nothing: "" (and 0 for the division year).
bool blank(size_t i, const std::string& v) {
  return v.empty() || (std::string_view(kCaseFields[i]) == "division_year" && v == "0");
}

std::string columns_list() {
  std::string out;
  for (size_t i = 0; i < kFieldCount; ++i) out += (i ? ", " : "") + std::string(kCaseFields[i]);
  return out;
}

FieldValues read_row_fields(soci::session& sql, int64_t case_id) {
  soci::row r;
  sql << "SELECT " + columns_list() + " FROM cases WHERE id = " + std::to_string(case_id), soci::into(r);
  if (!sql.got_data()) throw GroupError("not_found", "no case " + std::to_string(case_id));
  FieldValues v;
  for (size_t i = 0; i < kFieldCount; ++i) v[i] = db::row_text(r, i);
  return v;
}

void write_row_fields(soci::session& sql, int64_t case_id, const FieldValues& from, const FieldValues& to) {
  std::string set;
  bool text = false;
  for (size_t i = 0; i < kFieldCount; ++i) {
    if (from[i] == to[i]) continue;
    const std::string_view name = kCaseFields[i];
    set += (set.empty() ? "" : ", ") + std::string(name) + " = " +
           (name == "division_year" ? std::to_string(std::atoi(to[i].c_str())) : db::literal(to[i]));
    text = text || is_text_field(i);
  }
  if (set.empty()) return;
  sql << "UPDATE cases SET " + set + " WHERE id = " + std::to_string(case_id);
  if (text) reindex_case_text(sql, case_id, to[0], to[1], to[7]);
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

void reindex_case_text(soci::session& sql, int64_t case_id, const std::string& title, const std::string& description,
                       const std::string& address) {
  const std::string id = std::to_string(case_id);
  sql << "DELETE FROM case_bigrams WHERE case_id = " + id;
  std::vector<std::string> rows;
  for (int64_t b : core::bigram_keys(title + "\n" + description + "\n" + address))
    rows.push_back(std::to_string(b) + "," + id);
  db::insert_rows(sql, "case_bigrams", "bigram, case_id", rows, 2000);
}

struct CaseGroups::Source {
  int64_t case_id = 0;
  std::string instance, system, external_id;
  FieldValues values;
};

CaseGroups::CaseGroups(soci::session& sql, ledger::EventAppender& events, const core::LinkingConfig& config)
    : sql_(sql), events_(events), config_(config) {}

// A case's own values: its source row's fields, or (a row from before migration 0002,
// never part of a group since) the case row itself.
CaseGroups::Source CaseGroups::own(int64_t case_id) {
  Source s;
  s.case_id = case_id;
  soci::rowset<soci::row> rs = (sql_.prepare << "SELECT instance, system, external_id, fields FROM case_sources "
                                                "WHERE case_id = " +
                                                    std::to_string(case_id) + " ORDER BY id");
  std::optional<FieldValues> v;
  for (const auto& r : rs) {
    if (s.instance.empty()) {
      s.instance = db::row_text(r, 0);
      s.system = db::row_text(r, 1);
      s.external_id = db::row_text(r, 2);
      v = parse_fields_json(db::row_text(r, 3));
    }
  }
  s.values = v ? *v : read_row_fields(sql_, case_id);
  return s;
}

int64_t CaseGroups::root_of(int64_t case_id) {
  long long merged = 0;
  soci::indicator ind = soci::i_null;
  long long id = case_id;
  sql_ << "SELECT merged_into FROM cases WHERE id = :id", soci::use(id), soci::into(merged, ind);
  if (!sql_.got_data()) throw GroupError("not_found", "no case " + std::to_string(case_id));
  return ind == soci::i_ok ? merged : case_id;
}

std::vector<int64_t> CaseGroups::members(int64_t root) {
  // In merge order: by each member's active merge (a member that moved with another
  // keeps its own, earlier merge).
  std::vector<int64_t> out;
  const std::string r = std::to_string(root);
  soci::rowset<soci::row> rs =
      (sql_.prepare << "SELECT c.id, (SELECT MAX(m.id) FROM case_merges m WHERE m.member_id = c.id AND m.undone_at "
                       "IS NULL) AS k FROM cases c WHERE c.merged_into = " +
                           r + " ORDER BY k, c.id");
  for (const auto& row : rs) out.push_back(db::row_int(row, 0));
  return out;
}

void CaseGroups::resolve(int64_t root, std::optional<int64_t> changed, const std::string& actor,
                         const std::string& now) {
  std::vector<Source> sources{own(root)};
  for (int64_t m : members(root)) sources.push_back(own(m));
  const FieldValues before = read_row_fields(sql_, root);
  FieldValues after;
  std::array<size_t, kFieldCount> winner{};
  for (size_t f = 0; f < kFieldCount; ++f) {
    std::vector<size_t> order(sources.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    if (auto it = config_.authority.find(kCaseFields[f]); it != config_.authority.end()) {
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
  write_row_fields(sql_, root, before, after);

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
      auto authority = config_.authority.find(kCaseFields[f]);
      events_.append(root, "field_conflict", actor,
                     {{"field", kCaseFields[f]},
                      {"kept", kept},
                      {"kept_from", source_ref(kept_from.case_id, kept_from.instance, kept_from.external_id)},
                      {"lost", lost},
                      {"lost_from", source_ref(lost_from.case_id, lost_from.instance, lost_from.external_id)},
                      {"rule", authority != config_.authority.end() ? "authority" : "earliest"}},
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
    Source s = own(id);
    sql_ << "UPDATE case_sources SET fields = " + db::literal(fields_json(s.values)) +
                " WHERE fields = '' AND case_id = " + std::to_string(id);
  }
  const std::vector<int64_t> moved = members(member);
  json::array moved_json;
  for (int64_t m : moved) moved_json.push_back(m);
  const std::string moved_text = json::serialize(moved_json);
  if (!moved.empty()) {
    sql_ << "UPDATE cases SET merged_into = " + std::to_string(root) + " WHERE merged_into = " + std::to_string(member);
    // The member shows its own values again; its group is resolved under the root.
    write_row_fields(sql_, member, read_row_fields(sql_, member), own(member).values);
  }
  sql_ << "UPDATE cases SET merged_into = " + std::to_string(root) + " WHERE id = " + std::to_string(member);
  const std::string reasons_text = json::serialize(reasons);
  sql_ << "INSERT INTO case_merges (root_id, member_id, kind, score, reasons, moved_members, actor, merged_at) "
          "VALUES (" +
              std::to_string(root) + ", " + std::to_string(member) + ", " + db::literal(kind) + ", " +
              (score ? json::serialize(json::value(*score)) : "NULL") + ", " + db::literal(reasons_text) + ", " +
              db::literal(moved_text) + ", " + db::literal(actor) + ", " + db::literal(now) + ")";
  long long merge_id = 0;
  sql_ << "SELECT MAX(id) FROM case_merges WHERE member_id = " + std::to_string(member), soci::into(merge_id);
  json::object data{{"member", member}, {"kind", kind}, {"merge_id", merge_id}, {"moved_members", moved_json}};
  if (score) data["score"] = *score;
  if (!reasons.empty()) data["reasons"] = reasons;
  events_.append(root, "merged", actor, data, now);
  events_.append(member, "merged_into", actor, {{"root", root}, {"kind", kind}, {"merge_id", merge_id}}, now);
  resolve(root, member, actor, now);
  return merge_id;
}

int64_t CaseGroups::unmerge(int64_t member, const std::string& actor, const std::string& reason,
                            const std::string& now) {
  const int64_t root = root_of(member);
  if (root == member) throw GroupError("conflict", "case " + std::to_string(member) + " is not merged into another");
  long long merge_id = 0;
  std::string moved_text;
  soci::indicator ind = soci::i_null;
  sql_ << "SELECT id, moved_members FROM case_merges WHERE member_id = " + std::to_string(member) +
              " AND undone_at IS NULL ORDER BY id DESC",
      soci::into(merge_id), soci::into(moved_text, ind);
  json::array back;
  const json::value moved = sql_.got_data() && ind == soci::i_ok ? json::parse(moved_text) : json::value(json::array());
  if (moved.is_array())
    for (const auto& v : moved.as_array()) {
      const int64_t m = v.to_number<int64_t>();
      if (root_of(m) == root) back.push_back(m);
    }
  sql_ << "UPDATE cases SET merged_into = NULL WHERE id = " + std::to_string(member);
  for (const auto& v : back)
    sql_ << "UPDATE cases SET merged_into = " + std::to_string(member) + " WHERE id = " + json::serialize(v);
  if (merge_id)
    sql_ << "UPDATE case_merges SET undone_at = " + db::literal(now) + ", undone_by = " + db::literal(actor) +
                " WHERE id = " + std::to_string(merge_id);
  sql_ << "INSERT INTO duplicate_proposals (case_id, candidate_id, score, reasons, status, created_at, decided_at, "
          "decided_by) VALUES (" +
              std::to_string(member) + ", " + std::to_string(root) + ", 0, '{}', 'rejected', " + db::literal(now) +
              ", " + db::literal(now) + ", " + db::literal(actor) +
              ") ON CONFLICT (case_id, candidate_id) DO UPDATE SET status = 'rejected', decided_at = "
              "excluded.decided_at, decided_by = excluded.decided_by";
  events_.append(root, "unmerged", actor,
                 {{"member", member}, {"merge_id", merge_id}, {"restored_members", back}, {"reason", reason}}, now);
  events_.append(member, "unmerged_from", actor, {{"root", root}, {"merge_id", merge_id}, {"reason", reason}}, now);
  resolve(root, std::nullopt, actor, now);
  resolve(member, std::nullopt, actor, now);
  return root;
}

}  // namespace yizhan::store
