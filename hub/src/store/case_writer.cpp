#include "store/case_writer.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>

#include "core/case_status.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "store/event_log.hpp"

namespace yizhan::store {
namespace json = boost::json;
namespace {

struct Known {
  int64_t case_id;
  std::string version;
};

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

std::string opt_double(const std::optional<double>& d) { return d ? json::serialize(json::value(*d)) : "NULL"; }

std::string searchable_text(const sdk::CaseRecord& r) {
  return r.title + "\n" + r.description + "\n" + r.place.address;
}

std::string status_or_received(const std::string& s) {
  return core::parse_status(s) ? s : std::string(core::to_string(core::CaseStatus::received));
}

// The case fields a source sets, PII excluded, in kCaseFields order.
FieldValues plain_fields(const sdk::CaseRecord& r) {
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

}  // namespace

const core::LinkingConfig& default_linking() {
  static const core::LinkingConfig config;
  return config;
}

CaseWriter::CaseWriter(soci::session& sql, Dialect dialect, const core::PiiProtector& pii,
                       const core::LinkingConfig* linking, NewCaseHook* hook)
    : sql_(sql), dialect_(dialect), pii_(pii), linking_(linking ? *linking : default_linking()), hook_(hook) {}

BatchOutcome CaseWriter::commit_batch(const std::string& instance, const std::string& system,
                                      const std::vector<CaseWrite>& records, const std::vector<DeadLetterWrite>& dead,
                                      const std::optional<std::string>& next_cursor,
                                      const std::vector<int64_t>& replayed_dead_letters,
                                      const std::string& actor_override) {
  BatchOutcome out;
  const std::string now = core::format_utc(core::now());
  const std::string actor = actor_override.empty() ? "plugin:" + instance : actor_override;
  try {
    WriteTransaction tx(sql_, dialect_);
    EventAppender events(sql_, dialect_);
    CaseGroups groups(sql_, events, linking_);
    std::vector<int64_t> created;

    // 1. What this instance already sent, for every id in the batch.
    std::map<std::string, Known> known;
    {
      std::vector<std::string> ids;
      std::set<std::string> seen;
      for (const auto& w : records)
        if (seen.insert(w.record.external_id).second) ids.push_back(w.record.external_id);
      for (size_t i = 0; i < ids.size(); i += 500) {
        std::string in;
        for (size_t j = i; j < std::min(ids.size(), i + 500); ++j) in += (j > i ? "," : "") + literal(ids[j]);
        soci::rowset<soci::row> rs =
            (sql_.prepare << "SELECT external_id, case_id, version FROM case_sources WHERE instance = " +
                                 literal(instance) + " AND external_id IN (" + in + ")");
        for (const auto& r : rs) known[row_text(r, 0)] = Known{row_int(r, 1), row_text(r, 2)};
      }
    }

    // 2. Ids for the new cases, taken in one round trip.
    std::set<std::string> fresh;
    for (const auto& w : records)
      if (!known.contains(w.record.external_id)) fresh.insert(w.record.external_id);
    std::vector<int64_t> new_ids;
    if (!fresh.empty()) {
      if (dialect_ == Dialect::sqlite) {
        long long max_id = 0;
        soci::indicator ind;
        sql_ << "SELECT MAX(id) FROM cases", soci::into(max_id, ind);
        for (size_t i = 0; i < fresh.size(); ++i) new_ids.push_back((ind == soci::i_ok ? max_id : 0) + 1 + i);
      } else {
        soci::rowset<soci::row> rs = (sql_.prepare << "SELECT nextval(pg_get_serial_sequence('cases', 'id')) "
                                                      "FROM generate_series(1, " +
                                                          std::to_string(fresh.size()) + ")");
        for (const auto& r : rs) new_ids.push_back(row_int(r, 0));
      }
    }

    // 3. Inserts are buffered and written as multi-row statements; an update of a
    // case inserted earlier in this batch flushes them first.
    std::vector<std::string> case_rows, source_rows;
    std::vector<std::pair<int64_t, int64_t>> bigram_rows;  // (bigram, case id)
    auto flush_inserts = [&] {
      insert_rows(sql_, "cases",
                  "id, title, description, category, channel, urgency, status, source_system, division_code, "
                  "division_year, address, grid_id, lat, lon, reporter_name_enc, reporter_phone_enc, "
                  "reporter_id_enc, reporter_phone_hash, reporter_id_hash, reporter_name_hash, received_at, "
                  "updated_at, created_at",
                  case_rows, 200);
      insert_rows(
          sql_, "case_sources",
          "case_id, instance, system, external_id, version, url, payload_hash, first_seen, last_seen, fields, extra",
          source_rows);
      // In key order, the posting rows of a batch land on neighbouring b-tree pages
      // instead of one page per row: fewer pages written per batch.
      std::sort(bigram_rows.begin(), bigram_rows.end());
      std::vector<std::string> rendered;
      rendered.reserve(bigram_rows.size());
      for (const auto& [b, c] : bigram_rows) rendered.push_back(std::to_string(b) + "," + std::to_string(c));
      insert_rows(sql_, "case_bigrams", "bigram, case_id", rendered, 2000);
      case_rows.clear();
      source_rows.clear();
      bigram_rows.clear();
    };
    std::set<int64_t> pending_cases;
    size_t next_new = 0;

    for (const auto& w : records) {
      const auto& r = w.record;
      const std::string payload_hash = core::sm3_hex(w.raw);
      auto it = known.find(r.external_id);
      if (it == known.end()) {
        const int64_t id = new_ids.at(next_new++);
        const std::string phone = digits(r.reporter.phone), idn = upper(r.reporter.id_number);
        const std::string status = status_or_received(r.status);
        auto enc = [&](const std::string& v, const char* ctx) {
          return v.empty() ? std::string() : pii_.encrypt(v, ctx);
        };
        auto hash = [&](const std::string& v) { return v.empty() ? std::string() : pii_.hash(v); };
        case_rows.push_back(
            std::to_string(id) + "," + literal(r.title) + "," + literal(r.description) + "," + literal(r.category) +
            "," + literal(r.channel) + "," + literal(r.urgency.empty() ? "normal" : r.urgency) + "," + literal(status) +
            "," + literal(system) + "," + literal(r.place.division_code) + "," + std::to_string(r.place.division_year) +
            "," + literal(r.place.address) + "," + literal(r.place.grid_id) + "," + opt_double(r.place.lat) + "," +
            opt_double(r.place.lon) + "," + literal(enc(r.reporter.name, "reporter.name")) + "," +
            literal(enc(phone, "reporter.phone")) + "," + literal(enc(idn, "reporter.id_number")) + "," +
            literal(hash(phone)) + "," + literal(hash(idn)) + "," + literal(hash(r.reporter.name)) + "," +
            literal(w.received_at_utc) + "," + literal(w.updated_at_utc) + "," + literal(now));
        source_rows.push_back(std::to_string(id) + "," + literal(instance) + "," + literal(system) + "," +
                              literal(r.external_id) + "," + literal(r.version) + "," + literal(r.url) + "," +
                              literal(payload_hash) + "," + literal(now) + "," + literal(now) + "," +
                              literal(fields_json(plain_fields(r))) + "," + literal(r.extra_json));
        for (int64_t b : core::bigram_keys(searchable_text(r))) bigram_rows.emplace_back(b, id);
        events.append(id, "received", actor,
                      {{"instance", instance},
                       {"system", system},
                       {"external_id", r.external_id},
                       {"version", r.version},
                       {"payload_sm3", payload_hash},
                       {"status", status},
                       {"category", r.category}},
                      now);
        known[r.external_id] = Known{id, r.version};
        pending_cases.insert(id);
        created.push_back(id);
        ++out.inserted;
        if (case_rows.size() >= 1000) flush_inserts(), pending_cases.clear();
        continue;
      }
      Known& k = it->second;
      if (r.version == k.version) {
        ++out.unchanged;
        continue;
      }
      if (!r.version.empty() && !k.version.empty() && r.version < k.version) {
        ++out.stale;
        continue;
      }
      if (pending_cases.contains(k.case_id)) flush_inserts(), pending_cases.clear();

      // A newer version: apply what changed, each change on the record. A case in a
      // group (DESIGN §6) records its own values in its source row; a root's row shows
      // the group's resolved values, so there only the group is resolved again.
      long long cid = k.case_id;
      soci::row cur;
      sql_ << "SELECT title, description, category, channel, urgency, division_code, division_year, address, "
              "grid_id, status, reporter_phone_hash, reporter_id_hash, reporter_name_hash, merged_into, "
              "(SELECT COUNT(*) FROM cases m WHERE m.merged_into = cases.id) FROM cases WHERE id = :id",
          soci::use(cid), soci::into(cur);
      const bool is_member = cur.get_indicator(13) == soci::i_ok;
      const bool is_root_of_group = !is_member && row_int(cur, 14) > 0;
      FieldValues old_values;
      for (size_t i = 0; i < old_values.size(); ++i) old_values[i] = row_text(cur, i);
      const FieldValues fields = plain_fields(r);
      if (is_root_of_group) {
        std::string own;
        sql_ << "SELECT fields FROM case_sources WHERE instance = :i AND external_id = :e", soci::use(instance),
            soci::use(r.external_id), soci::into(own);
        if (auto v = parse_fields_json(own)) old_values = *v;
      }
      json::array changes;
      std::string set_clause;
      bool text_changed = false;
      for (size_t i = 0; i < fields.size(); ++i) {
        const std::string name = kCaseFields[i];
        const std::string& value = fields[i];
        if (old_values[i] == value) continue;
        changes.push_back(json::object{{"field", name}, {"from", old_values[i]}, {"to", value}});
        if (is_root_of_group) continue;
        set_clause += name + " = " + (name == "division_year" ? value : literal(value)) + ", ";
        if (name == "title" || name == "description" || name == "address") text_changed = true;
      }
      const std::string phone = digits(r.reporter.phone), idn = upper(r.reporter.id_number);
      struct Pii {
        const char* field;
        std::string value;
        size_t hash_col;
        const char* ctx;
      };
      for (const auto& p :
           {Pii{"reporter_phone", phone, 10, "reporter.phone"}, Pii{"reporter_id", idn, 11, "reporter.id_number"},
            Pii{"reporter_name", r.reporter.name, 12, "reporter.name"}}) {
        std::string h = p.value.empty() ? std::string() : pii_.hash(p.value);
        if (h == row_text(cur, p.hash_col)) continue;
        // The change is recorded without the value: the ledger holds no clear PII.
        changes.push_back(json::object{{"field", std::string(p.field)}, {"changed", true}});
        set_clause += std::string(p.field) + "_enc = " + literal(p.value.empty() ? "" : pii_.encrypt(p.value, p.ctx)) +
                      ", " + p.field + "_hash = " + literal(h) + ", ";
      }
      const std::string old_status = row_text(cur, 9);
      if (!r.status.empty() && r.status != old_status) {
        auto from = core::parse_status(old_status), to = core::parse_status(r.status);
        if (from && to && core::can_follow_source(*from, *to)) {
          set_clause += "status = " + literal(r.status) + ", ";
          events.append(cid, "status_changed", actor,
                        {{"from", old_status}, {"to", r.status}, {"instance", instance}, {"version", r.version}}, now);
          if (hook_) hook_->on_status_changed(sql_, cid, r.status, now);
        } else {
          events.append(cid, "status_conflict", actor,
                        {{"current", old_status},
                         {"reported", r.status},
                         {"instance", instance},
                         {"reason", "not a legal move of the case state machine"}},
                        now);
        }
      }
      sql_ << "UPDATE cases SET " + set_clause + "updated_at = " + literal(w.updated_at_utc) +
                  " WHERE id = " + std::to_string(cid);
      sql_ << "UPDATE case_sources SET version = " + literal(r.version) + ", payload_hash = " + literal(payload_hash) +
                  ", url = " + literal(r.url) + ", last_seen = " + literal(now) +
                  ", fields = " + literal(fields_json(fields)) + ", extra = " + literal(r.extra_json) +
                  " WHERE instance = " + literal(instance) + " AND external_id = " + literal(r.external_id);
      if (text_changed) {
        sql_ << "DELETE FROM case_bigrams WHERE case_id = " + std::to_string(cid);
        for (int64_t b : core::bigram_keys(searchable_text(r))) bigram_rows.emplace_back(b, cid);
      }
      // Always an event, even with no field changed (a new version, a new url): every
      // change to a case is on its ledger, which is what readers' caches rely on.
      events.append(cid, "updated", actor,
                    {{"instance", instance},
                     {"external_id", r.external_id},
                     {"version", r.version},
                     {"payload_sm3", payload_hash},
                     {"changes", std::move(changes)}},
                    now);
      if (is_member || is_root_of_group) {
        if (!bigram_rows.empty()) flush_inserts(), pending_cases.clear();
        groups.resolve(is_member ? row_int(cur, 13) : cid, cid, actor, now);
      }
      k.version = r.version;
      ++out.updated;
    }
    flush_inserts();
    if (hook_ && !created.empty()) hook_->on_new_cases(sql_, groups, events, created, actor, now);

    // 4. Dead letters, with their raw payload, and one event each (no payload in it).
    // A re-sent page brings the same bad record again: an open dead letter with the
    // same payload is not repeated. A record of this batch that is now valid settles
    // the open dead letters of its id ("superseded"): upstream fixed it.
    std::set<std::pair<std::string, std::string>> open_dead;    // (external id, payload hash)
    std::map<std::string, std::vector<int64_t>> open_dead_ids;  // external id -> open dead letters
    {
      std::vector<std::string> ids;
      for (const auto& d : dead) ids.push_back(d.external_id);
      for (const auto& w : records) ids.push_back(w.record.external_id);
      const std::set<int64_t> replaying(replayed_dead_letters.begin(), replayed_dead_letters.end());
      for (size_t i = 0; i < ids.size(); i += 500) {
        std::string in;
        for (size_t j = i; j < std::min(ids.size(), i + 500); ++j) in += (j > i ? "," : "") + literal(ids[j]);
        soci::rowset<soci::row> rs =
            (sql_.prepare << "SELECT id, external_id, payload_hash FROM dead_letters WHERE instance = " +
                                 literal(instance) + " AND status = 'open' AND external_id IN (" + in + ")");
        for (const auto& r : rs) {
          open_dead.emplace(row_text(r, 1), row_text(r, 2));
          // A replay settles its own dead letter below, as replayed.
          if (!replaying.contains(row_int(r, 0))) open_dead_ids[row_text(r, 1)].push_back(row_int(r, 0));
        }
      }
    }
    for (const auto& w : records) {
      auto it = open_dead_ids.find(w.record.external_id);
      if (it == open_dead_ids.end() || it->second.empty()) continue;
      std::string in;
      for (int64_t id : it->second) in += (in.empty() ? "" : ",") + std::to_string(id);
      sql_ << "UPDATE dead_letters SET status = 'superseded', resolved_at = " + literal(now) + " WHERE id IN (" + in +
                  ")";
      events.append(std::nullopt, "dead_letter_superseded", actor,
                    {{"instance", instance}, {"external_id", w.record.external_id}, {"dead_letters", in}}, now);
      it->second.clear();
    }
    std::vector<std::string> dl_rows;
    for (const auto& d : dead) {
      const std::string payload_hash = core::sm3_hex(d.raw);
      if (!open_dead.emplace(d.external_id, payload_hash).second) {
        ++out.dead_repeated;
        continue;
      }
      dl_rows.push_back(literal(instance) + "," + literal(d.external_id) + "," + literal(d.reason) + "," +
                        literal(d.raw) + "," + literal(payload_hash) + "," + literal(d.case_json) + "," + literal(now));
      events.append(
          std::nullopt, "dead_lettered", actor,
          {{"instance", instance}, {"external_id", d.external_id}, {"reason", d.reason}, {"payload_sm3", payload_hash}},
          now);
      ++out.dead_lettered;
    }
    insert_rows(sql_, "dead_letters", "instance, external_id, reason, raw, payload_hash, case_json, created_at",
                dl_rows, 100);

    for (int64_t id : replayed_dead_letters) {
      sql_ << "UPDATE dead_letters SET status = 'replayed', attempts = attempts + 1, resolved_at = " + literal(now) +
                  " WHERE id = " + std::to_string(id);
      events.append(std::nullopt, "dead_letter_replayed", actor, {{"instance", instance}, {"dead_letter_id", id}}, now);
    }

    // 5. The cursor, in the same transaction as what it covers.
    if (next_cursor) {
      sql_ << "INSERT INTO source_cursors (instance, cursor, batches, updated_at) VALUES (" + literal(instance) + ", " +
                  literal(*next_cursor) + ", 1, " + literal(now) +
                  ") ON CONFLICT (instance) DO UPDATE SET cursor = excluded.cursor, batches = "
                  "source_cursors.batches + 1, updated_at = excluded.updated_at";
    }
    events.flush();
    tx.commit();
  } catch (const soci::soci_error& e) {
    throw StoreError("storing a batch from instance '" + instance + "' failed: " + e.get_error_message());
  }
  return out;
}

std::optional<std::string> load_cursor(soci::session& sql, const std::string& instance) {
  std::string cursor;
  soci::indicator ind = soci::i_null;
  sql << "SELECT cursor FROM source_cursors WHERE instance = :i", soci::use(instance), soci::into(cursor, ind);
  if (!sql.got_data() || ind != soci::i_ok) return std::nullopt;
  return cursor;
}

void reset_cursor(soci::session& sql, Dialect dialect, const std::string& instance, const std::string& actor) {
  WriteTransaction tx(sql, dialect);
  EventAppender events(sql, dialect);
  auto old = load_cursor(sql, instance);
  sql << "DELETE FROM source_cursors WHERE instance = :i", soci::use(instance);
  events.append(std::nullopt, "cursor_reset", actor, {{"instance", instance}, {"had_cursor", old.has_value()}},
                core::format_utc(core::now()));
  events.flush();
  tx.commit();
}

}  // namespace yizhan::store
