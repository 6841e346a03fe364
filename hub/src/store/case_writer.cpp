#include "store/case_writer.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>

#include "core/case_status.hpp"
#include "core/record_version.hpp"
#include "core/text.hpp"

namespace yizhan::store {
namespace json = boost::json;
namespace {

std::string digits(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c >= '0' && c <= '9') out += c;
  return out;
}
std::string upper(std::string_view s) {
  std::string out;
  for (char c : s) out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
  return out;
}

json::value opt_double(const std::optional<double>& d) { return d ? json::value(*d) : json::value(nullptr); }

std::string searchable_text(const core::Case& r) { return r.title + "\n" + r.description + "\n" + r.place.address; }

std::string status_or_received(const std::string& s) {
  return core::parse_status(s) ? s : std::string(core::to_string(core::CaseStatus::received));
}

// The case fields a source sets, PII excluded, in kCaseFields order.
FieldValues plain_fields(const core::Case& r) {
  return {r.title,
          r.description,
          r.category,
          r.channel,
          r.urgency.empty() ? "normal" : r.urgency,
          r.place.division_code,
          std::to_string(r.place.division_year),
          r.place.address,
          r.place.grid_id};
}

// Personal data as stored: sealed for showing, keyed hash for matching.
struct SealedPii {
  std::string enc, hash;
};
SealedPii seal(const crypto::PiiProtector& pii, const std::string& value, const char* context) {
  if (value.empty()) return {};
  return {pii.encrypt(value, context), pii.hash(value)};
}

// The current row of a known case, as an update needs it.
struct CurrentCase {
  FieldValues fields;
  std::string status;
  std::array<SealedPii, 3> pii;  // phone, id number, name
  std::optional<int64_t> merged_into;
  bool has_members = false;
};

CurrentCase load_current(soci::session& sql, int64_t case_id) {
  long long cid = case_id;
  soci::row cur;
  sql << "SELECT title, description, category, channel, urgency, division_code, division_year, address, grid_id, "
         "status, reporter_phone_enc, reporter_phone_hash, reporter_id_enc, reporter_id_hash, reporter_name_enc, "
         "reporter_name_hash, merged_into, (SELECT COUNT(*) FROM cases m WHERE m.merged_into = cases.id) "
         "FROM cases WHERE id = :id",
      soci::use(cid), soci::into(cur);
  CurrentCase c;
  for (size_t i = 0; i < c.fields.size(); ++i) c.fields[i] = db::row_text(cur, i);
  c.status = db::row_text(cur, 9);
  for (size_t p = 0; p < 3; ++p) c.pii[p] = {db::row_text(cur, 10 + 2 * p), db::row_text(cur, 11 + 2 * p)};
  if (cur.get_indicator(16) == soci::i_ok) c.merged_into = db::row_int(cur, 16);
  c.has_members = db::row_int(cur, 17) > 0;
  return c;
}

}  // namespace

CaseWriter::CaseWriter(soci::session& sql, db::Dialect dialect, const crypto::PiiProtector& pii,
                       ledger::EventAppender& events, CaseGroups& groups)
    : sql_(sql),
      dialect_(dialect),
      pii_(pii),
      events_(events),
      groups_(groups),
      cases_(sql, dialect, "cases",
             {{"id", "bigint"},
              {"title", "text"},
              {"description", "text"},
              {"category", "text"},
              {"channel", "text"},
              {"urgency", "text"},
              {"status", "text"},
              {"source_system", "text"},
              {"division_code", "text"},
              {"division_year", "integer"},
              {"address", "text"},
              {"grid_id", "text"},
              {"lat", "double precision"},
              {"lon", "double precision"},
              {"reporter_name_enc", "text"},
              {"reporter_phone_enc", "text"},
              {"reporter_id_enc", "text"},
              {"reporter_phone_hash", "text"},
              {"reporter_id_hash", "text"},
              {"reporter_name_hash", "text"},
              {"received_at", "text"},
              {"updated_at", "text"},
              {"created_at", "text"}},
             500),
      sources_(sql, dialect, "case_sources",
               {{"case_id", "bigint"},
                {"instance", "text"},
                {"system", "text"},
                {"external_id", "text"},
                {"version", "text"},
                {"url", "text"},
                {"payload_hash", "text"},
                {"first_seen", "text"},
                {"last_seen", "text"},
                {"fields", "text"},
                {"extra", "text"}},
               1000),
      bigrams_(sql, dialect, "case_bigrams", {{"bigram", "bigint"}, {"case_id", "bigint"}}, 5000) {}

std::vector<std::pair<std::string, CaseWriter::Known>> CaseWriter::lookup(const std::string& instance,
                                                                          const std::vector<CaseWrite>& records) {
  json::array ids;
  std::set<std::string> seen;
  for (const auto& w : records)
    if (seen.insert(w.record.external_id).second) ids.emplace_back(w.record.external_id);
  std::vector<std::pair<std::string, Known>> out;
  if (ids.empty()) return out;
  const std::string ids_json = json::serialize(ids);
  soci::rowset<soci::row> rs =
      (sql_.prepare
           << "SELECT external_id, case_id, version FROM case_sources WHERE instance = :i AND external_id IN " +
                  db::in_json_list(dialect_, "ids"),
       soci::use(instance, "i"), soci::use(ids_json, "ids"));
  for (const auto& r : rs) out.emplace_back(db::row_text(r, 0), Known{db::row_int(r, 1), db::row_text(r, 2)});
  return out;
}

std::vector<int64_t> CaseWriter::take_ids(size_t n) {
  std::vector<int64_t> ids;
  if (n == 0) return ids;
  if (dialect_ == db::Dialect::sqlite) {
    long long max_id = 0;
    soci::indicator ind;
    sql_ << "SELECT MAX(id) FROM cases", soci::into(max_id, ind);
    for (size_t i = 0; i < n; ++i) ids.push_back((ind == soci::i_ok ? max_id : 0) + 1 + static_cast<int64_t>(i));
  } else {
    long long count = static_cast<long long>(n);
    soci::rowset<soci::row> rs =
        (sql_.prepare << "SELECT nextval(pg_get_serial_sequence('cases', 'id')) FROM generate_series(1, :n)",
         soci::use(count));
    for (const auto& r : rs) ids.push_back(db::row_int(r, 0));
  }
  return ids;
}

void CaseWriter::flush_inserts() {
  cases_.flush();
  sources_.flush();
  // In key order, the posting rows of a batch land on neighbouring b-tree pages
  // instead of one page per row: fewer pages written per batch.
  std::sort(bigram_rows_.begin(), bigram_rows_.end());
  for (const auto& [b, c] : bigram_rows_) bigrams_.add(json::array{b, c});
  bigram_rows_.clear();
  bigrams_.flush();
}

core::Case CaseWriter::insert_new(int64_t id, const std::string& instance, const std::string& system,
                                  const CaseWrite& w, const std::string& actor, const std::string& now) {
  const auto& r = w.record;
  const std::string payload_hash = crypto::sm3_hex(w.raw);
  const std::string status = status_or_received(r.status);
  const auto phone = seal(pii_, digits(r.reporter.phone), "reporter.phone");
  const auto idn = seal(pii_, upper(r.reporter.id_number), "reporter.id_number");
  const auto name = seal(pii_, r.reporter.name, "reporter.name");
  cases_.add(json::array{id,
                         r.title,
                         r.description,
                         r.category,
                         r.channel,
                         r.urgency.empty() ? "normal" : r.urgency,
                         status,
                         system,
                         r.place.division_code,
                         r.place.division_year,
                         r.place.address,
                         r.place.grid_id,
                         opt_double(r.place.lat),
                         opt_double(r.place.lon),
                         name.enc,
                         phone.enc,
                         idn.enc,
                         phone.hash,
                         idn.hash,
                         name.hash,
                         r.received_at,
                         r.updated_at,
                         now});
  sources_.add(json::array{id, instance, system, r.external_id, r.version, r.url, payload_hash, now, now,
                           fields_json(plain_fields(r)), r.extra_json});
  for (int64_t b : core::bigram_keys(searchable_text(r))) bigram_rows_.emplace_back(b, id);
  events_.append(id, "received", actor,
                 {{"instance", instance},
                  {"system", system},
                  {"external_id", r.external_id},
                  {"version", r.version},
                  {"payload_sm3", payload_hash},
                  {"status", status},
                  {"category", r.category}},
                 now);
  return stored_as(w, id, instance, system, {status, phone.hash, idn.hash, name.hash});
}

// A newer version: apply what changed, each change on the record. A case in a group
// (docs/architecture.md §6) records its own values in its source row; a root's row
// shows the group's resolved values, so there only the group is resolved again.
CaseWriter::AfterUpdate CaseWriter::update_known(int64_t case_id, const std::string& instance, const CaseWrite& w,
                                                 const std::string& actor, const std::string& now,
                                                 UpsertResult& result) {
  const auto& r = w.record;
  const std::string payload_hash = crypto::sm3_hex(w.raw);
  CurrentCase cur = load_current(sql_, case_id);
  const bool is_member = cur.merged_into.has_value();
  const bool is_root_of_group = !is_member && cur.has_members;
  FieldValues compared = cur.fields, stored = cur.fields;
  const FieldValues fields = plain_fields(r);
  if (is_root_of_group) {
    std::string own;
    sql_ << "SELECT fields FROM case_sources WHERE instance = :i AND external_id = :e", soci::use(instance),
        soci::use(r.external_id), soci::into(own);
    if (auto v = parse_fields_json(own)) compared = *v;
  }
  json::array changes;
  bool text_changed = false;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (compared[i] == fields[i]) continue;
    const std::string name = kCaseFields[i];
    changes.push_back(json::object{{"field", name}, {"from", compared[i]}, {"to", fields[i]}});
    if (is_root_of_group) continue;
    stored[i] = fields[i];
    if (name == "title" || name == "description" || name == "address") text_changed = true;
  }
  const std::array<std::pair<std::string, const char*>, 3> pii_values = {
      std::pair{digits(r.reporter.phone), "reporter.phone"},
      std::pair{upper(r.reporter.id_number), "reporter.id_number"}, std::pair{r.reporter.name, "reporter.name"}};
  const std::array<const char*, 3> pii_fields = {"reporter_phone", "reporter_id", "reporter_name"};
  for (size_t p = 0; p < 3; ++p) {
    const std::string h = pii_values[p].first.empty() ? std::string() : pii_.hash(pii_values[p].first);
    if (h == cur.pii[p].hash) continue;
    // The change is recorded without the value: the ledger holds no clear PII.
    changes.push_back(json::object{{"field", std::string(pii_fields[p])}, {"changed", true}});
    cur.pii[p] = seal(pii_, pii_values[p].first, pii_values[p].second);
  }
  std::string status = cur.status;
  if (!r.status.empty() && r.status != cur.status) {
    auto from = core::parse_status(cur.status), to = core::parse_status(r.status);
    if (from && to && core::can_follow_source(*from, *to)) {
      status = r.status;
      events_.append(case_id, "status_changed", actor,
                     {{"from", cur.status}, {"to", r.status}, {"instance", instance}, {"version", r.version}}, now);
      result.status_changes.push_back({case_id, r.status});
    } else {
      events_.append(case_id, "status_conflict", actor,
                     {{"current", cur.status},
                      {"reported", r.status},
                      {"instance", instance},
                      {"reason", "not a legal move of the case state machine"}},
                     now);
    }
  }
  long long cid = case_id;
  int division_year = std::atoi(stored[6].c_str());
  sql_ << "UPDATE cases SET title = :t, description = :d, category = :c, channel = :ch, urgency = :u, "
          "division_code = :dc, division_year = :dy, address = :a, grid_id = :g, status = :s, "
          "reporter_phone_enc = :pe, reporter_phone_hash = :ph, reporter_id_enc = :ie, reporter_id_hash = :ih, "
          "reporter_name_enc = :ne, reporter_name_hash = :nh, updated_at = :at WHERE id = :id",
      soci::use(stored[0]), soci::use(stored[1]), soci::use(stored[2]), soci::use(stored[3]), soci::use(stored[4]),
      soci::use(stored[5]), soci::use(division_year), soci::use(stored[7]), soci::use(stored[8]), soci::use(status),
      soci::use(cur.pii[0].enc), soci::use(cur.pii[0].hash), soci::use(cur.pii[1].enc), soci::use(cur.pii[1].hash),
      soci::use(cur.pii[2].enc), soci::use(cur.pii[2].hash), soci::use(r.updated_at), soci::use(cid);
  const std::string fields_text = fields_json(fields);
  sql_ << "UPDATE case_sources SET version = :v, payload_hash = :p, url = :u, last_seen = :l, fields = :f, "
          "extra = :x WHERE instance = :i AND external_id = :e",
      soci::use(r.version), soci::use(payload_hash), soci::use(r.url), soci::use(now), soci::use(fields_text),
      soci::use(r.extra_json), soci::use(instance), soci::use(r.external_id);
  if (text_changed) {
    sql_ << "DELETE FROM case_bigrams WHERE case_id = :id", soci::use(cid);
    for (int64_t b : core::bigram_keys(searchable_text(r))) bigram_rows_.emplace_back(b, case_id);
  }
  // Always an event, even with no field changed (a new version, a new url): every
  // change to a case is on its ledger, which is what readers' caches rely on.
  events_.append(case_id, "updated", actor,
                 {{"instance", instance},
                  {"external_id", r.external_id},
                  {"version", r.version},
                  {"payload_sm3", payload_hash},
                  {"changes", std::move(changes)}},
                 now);
  if (is_member || is_root_of_group) {
    if (!bigram_rows_.empty()) flush_inserts();
    groups_.resolve(is_member ? *cur.merged_into : case_id, case_id, actor, now);
  }
  return {status, cur.pii[0].hash, cur.pii[1].hash, cur.pii[2].hash};
}

core::Case CaseWriter::stored_as(const CaseWrite& w, int64_t id, const std::string& instance, const std::string& system,
                                 const AfterUpdate& after) const {
  core::Case stored = w.record;
  stored.id = id;
  stored.instance = instance;
  stored.system = system;
  stored.status = after.status;
  if (stored.urgency.empty()) stored.urgency = "normal";
  stored.reporter = {};  // sealed in the row; not carried further in clear
  stored.phone_hash = after.phone_hash;
  stored.id_hash = after.id_hash;
  stored.name_hash = after.name_hash;
  return stored;
}

UpsertResult CaseWriter::upsert(const std::string& instance, const std::string& system,
                                const std::vector<CaseWrite>& records, const std::string& actor,
                                const std::string& now) {
  UpsertResult result;
  std::map<std::string, Known> known;
  for (auto& [id, k] : lookup(instance, records)) known.emplace(id, std::move(k));
  std::set<std::string> fresh;
  for (const auto& w : records)
    if (!known.contains(w.record.external_id)) fresh.insert(w.record.external_id);
  const std::vector<int64_t> new_ids = take_ids(fresh.size());
  size_t next_new = 0;
  std::set<int64_t> pending;             // inserted, not yet flushed
  std::map<int64_t, size_t> created_at;  // case id -> its place in result.created
  for (const auto& w : records) {
    const auto& r = w.record;
    auto it = known.find(r.external_id);
    if (it == known.end()) {
      const int64_t id = new_ids.at(next_new++);
      created_at[id] = result.created.size();
      result.created.push_back(insert_new(id, instance, system, w, actor, now));
      known[r.external_id] = Known{id, r.version};
      pending.insert(id);
      ++result.outcome.inserted;
      continue;
    }
    Known& k = it->second;
    const auto order = core::compare_versions(r.version, k.version);
    if (order == core::VersionOrder::same) {
      ++result.outcome.unchanged;
      continue;
    }
    if (order == core::VersionOrder::older) {
      ++result.outcome.stale;
      continue;
    }
    // An update of a case inserted earlier in this batch: write the inserts first.
    if (pending.contains(k.case_id)) flush_inserts(), pending.clear();
    const AfterUpdate after = update_known(k.case_id, instance, w, actor, now, result);
    // A case created earlier in this batch is in no group yet: it is what this record says.
    if (auto c = created_at.find(k.case_id); c != created_at.end())
      result.created[c->second] = stored_as(w, k.case_id, instance, system, after);
    k.version = r.version;
    ++result.outcome.updated;
  }
  flush_inserts();
  return result;
}

namespace {
std::string case_field_columns() {
  std::string out;
  for (size_t i = 0; i < kCaseFields.size(); ++i) out += (i ? ", " : "") + std::string(kCaseFields[i]);
  return out;
}

bool is_text_field(std::string_view name) { return name == "title" || name == "description" || name == "address"; }
}  // namespace

void reindex_case_text(soci::session& sql, int64_t case_id, const std::string& title, const std::string& description,
                       const std::string& address) {
  long long id = case_id;
  sql << "DELETE FROM case_bigrams WHERE case_id = :id", soci::use(id);
  db::BulkInsert rows(sql, db::dialect_of(sql), "case_bigrams", {{"bigram", "bigint"}, {"case_id", "bigint"}}, 2000);
  for (int64_t b : core::bigram_keys(title + "\n" + description + "\n" + address)) rows.add(json::array{b, case_id});
  rows.flush();
}

FieldValues read_case_fields(soci::session& sql, int64_t case_id) {
  soci::row r;
  long long id = case_id;
  sql << "SELECT " + case_field_columns() + " FROM cases WHERE id = :id", soci::use(id), soci::into(r);
  if (!sql.got_data()) throw GroupError("not_found", "no case " + std::to_string(case_id));
  FieldValues v;
  for (size_t i = 0; i < v.size(); ++i) v[i] = db::row_text(r, i);
  return v;
}

void write_case_fields(soci::session& sql, int64_t case_id, const FieldValues& from, const FieldValues& to) {
  db::Query q("UPDATE cases SET ");
  bool any = false, text = false;
  for (size_t i = 0; i < kCaseFields.size(); ++i) {
    if (from[i] == to[i]) continue;
    const std::string_view name = kCaseFields[i];
    q << (any ? ", " : "") << name << " = "
      << (name == "division_year" ? q.integer(std::atoi(to[i].c_str())) : q.text(to[i]));
    any = true;
    text = text || is_text_field(name);
  }
  if (!any) return;
  q << " WHERE id = " << q.integer(case_id);
  soci::statement(q.prepare(sql)).execute(true);
  if (text) reindex_case_text(sql, case_id, to[0], to[1], to[7]);
}

std::optional<OwnRecord> first_record(soci::session& sql, int64_t case_id) {
  long long id = case_id;
  soci::row r;
  sql << "SELECT instance, system, external_id, fields FROM case_sources WHERE case_id = :id ORDER BY id LIMIT 1",
      soci::use(id), soci::into(r);
  if (!sql.got_data()) return std::nullopt;
  return OwnRecord{db::row_text(r, 0), db::row_text(r, 1), db::row_text(r, 2), parse_fields_json(db::row_text(r, 3))};
}

void keep_own_fields(soci::session& sql, int64_t case_id, const std::string& fields_json) {
  long long id = case_id;
  sql << "UPDATE case_sources SET fields = :fields WHERE fields = '' AND case_id = :id", soci::use(fields_json),
      soci::use(id);
}

std::optional<int64_t> merged_into(soci::session& sql, int64_t case_id) {
  long long merged = 0, id = case_id;
  soci::indicator ind = soci::i_null;
  sql << "SELECT merged_into FROM cases WHERE id = :id", soci::use(id), soci::into(merged, ind);
  if (!sql.got_data()) throw GroupError("not_found", "no case " + std::to_string(case_id));
  return ind == soci::i_ok ? std::optional<int64_t>(merged) : std::nullopt;
}

std::vector<int64_t> merged_members(soci::session& sql, int64_t root) {
  long long r = root;
  std::vector<int64_t> out;
  soci::rowset<soci::row> rs =
      (sql.prepare << "SELECT id FROM cases WHERE merged_into = :root ORDER BY id", soci::use(r));
  for (const auto& row : rs) out.push_back(db::row_int(row, 0));
  return out;
}

void set_merged_into(soci::session& sql, std::optional<int64_t> root, int64_t id, bool all_of_group) {
  long long to = root.value_or(0), of = id;
  soci::indicator ind = root ? soci::i_ok : soci::i_null;
  if (all_of_group)
    sql << "UPDATE cases SET merged_into = :root WHERE merged_into = :of", soci::use(to, ind), soci::use(of);
  else
    sql << "UPDATE cases SET merged_into = :root WHERE id = :of", soci::use(to, ind), soci::use(of);
}

void set_case_status(soci::session& sql, int64_t id, const std::string& status) {
  long long case_id = id;
  sql << "UPDATE cases SET status = :s WHERE id = :id", soci::use(status), soci::use(case_id);
}

void set_case_level(soci::session& sql, int64_t id, const std::string& level) {
  long long case_id = id;
  sql << "UPDATE cases SET level = :l WHERE id = :id", soci::use(level), soci::use(case_id);
}

}  // namespace yizhan::store
