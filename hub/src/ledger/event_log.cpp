#include "ledger/event_log.hpp"

#include <boost/json.hpp>
#include <limits>

#include "crypto/crypto.hpp"
#include "ledger/canonical_json.hpp"

namespace yizhan::ledger {
namespace json = boost::json;

std::string event_canonical_json(const StoredEvent& e) {
  json::object o;
  o["seq"] = e.seq;
  o["case_id"] = e.case_id ? json::value(*e.case_id) : json::value(nullptr);
  o["type"] = e.type;
  o["actor"] = e.actor;
  o["at"] = e.at;
  o["data"] = json::parse(e.data.empty() ? "{}" : e.data);
  return ledger::canonical_json(o);
}

std::string chain_hash(std::string_view prev_hash, std::string_view canonical) {
  return crypto::Sm3().update(prev_hash).update(canonical).finish_hex();
}

EventAppender::EventAppender(soci::session& sql, db::Dialect dialect)
    : sql_(sql),
      rows_(sql, dialect, "events",
            {{"seq", "bigint"},
             {"case_id", "bigint"},
             {"type", "text"},
             {"actor", "text"},
             {"at", "text"},
             {"data", "text"},
             {"hash", "text"}},
            std::numeric_limits<size_t>::max()) {
  long long seq = 0;
  if (dialect == db::Dialect::postgresql)
    sql_ << "SELECT seq, hash FROM ledger_head WHERE id = 1 FOR UPDATE", soci::into(seq), soci::into(head_);
  else
    sql_ << "SELECT seq, hash FROM ledger_head WHERE id = 1", soci::into(seq), soci::into(head_);
  seq_ = seq;
}

int64_t EventAppender::append(std::optional<int64_t> case_id, std::string type, std::string actor,
                              const json::object& data, std::string at) {
  StoredEvent e;
  e.seq = ++seq_;
  e.case_id = case_id;
  e.type = std::move(type);
  e.actor = std::move(actor);
  e.at = std::move(at);
  e.data = ledger::canonical_json(data);
  std::string canonical = event_canonical_json(e);
  head_ = chain_hash(head_, canonical);
  rows_.add(
      json::array{e.seq, case_id ? json::value(*case_id) : json::value(nullptr), e.type, e.actor, e.at, e.data, head_});
  return e.seq;
}

void EventAppender::flush() {
  if (rows_.pending() == 0) return;
  rows_.flush();
  long long seq = seq_;
  sql_ << "UPDATE ledger_head SET seq = :s, hash = :h WHERE id = 1", soci::use(seq), soci::use(head_);
}

namespace {
constexpr const char* kEvents = "SELECT seq, case_id, type, actor, at, data, hash FROM events WHERE ";

std::vector<StoredEvent> read_rows(soci::rowset<soci::row>& rs) {
  std::vector<StoredEvent> out;
  for (const auto& r : rs) {
    StoredEvent e;
    e.seq = db::row_int(r, 0);
    if (r.get_indicator(1) == soci::i_ok) e.case_id = db::row_int(r, 1);
    e.type = r.get<std::string>(2);
    e.actor = r.get<std::string>(3);
    e.at = r.get<std::string>(4);
    e.data = r.get<std::string>(5);
    e.hash = r.get<std::string>(6);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<StoredEvent> read(soci::session& sql, const std::string& where, long long a, long long b) {
  soci::rowset<soci::row> rs = (sql.prepare << kEvents + where + " ORDER BY seq", soci::use(a), soci::use(b));
  return read_rows(rs);
}
}  // namespace

Head read_head(soci::session& sql) {
  Head h;
  long long seq = 0;
  sql << "SELECT seq, hash FROM ledger_head WHERE id = 1", soci::into(seq), soci::into(h.hash);
  h.seq = seq;
  return h;
}

std::optional<int64_t> event_seq_bound(soci::session& sql, bool first, const std::string& from, const std::string& to) {
  soci::row r;
  sql << std::string(first ? "SELECT MIN(seq)" : "SELECT MAX(seq)") +
             " FROM events WHERE (:f = '' OR at >= :f2) AND (:t = '' OR at < :t2)",
      soci::use(from), soci::use(from), soci::use(to), soci::use(to), soci::into(r);
  if (!sql.got_data() || r.get_indicator(0) != soci::i_ok) return std::nullopt;
  return db::row_int(r, 0);
}

std::optional<std::string> event_hash(soci::session& sql, int64_t seq) {
  long long s = seq;
  std::string hash;
  sql << "SELECT hash FROM events WHERE seq = :s", soci::use(s), soci::into(hash);
  if (!sql.got_data()) return std::nullopt;
  return hash;
}

std::vector<StoredEvent> find_events(soci::session& sql, const EventFilter& f) {
  db::Query q(kEvents);
  q << "seq > " << q.integer(f.after_seq);
  auto any_of = [&](std::string_view column, const auto& values, auto bind) {
    if (values.empty()) return;
    q << " AND " << column << " IN (";
    for (std::size_t i = 0; i < values.size(); ++i) q << (i ? ", " : "") << bind(values[i]);
    q << ")";
  };
  any_of("type", f.types, [&](const std::string& t) { return q.text(t); });
  any_of("case_id", f.case_ids, [&](int64_t id) { return q.integer(id); });
  if (!f.data_contains.empty()) q << " AND data LIKE " << q.text("%" + f.data_contains + "%");
  if (!f.from.empty()) q << " AND at >= " << q.text(f.from);
  if (!f.to.empty()) q << " AND at < " << q.text(f.to);
  q << " ORDER BY seq LIMIT " << q.integer(f.limit);
  soci::rowset<soci::row> rs = q.prepare(sql);
  return read_rows(rs);
}

std::vector<StoredEvent> read_events(soci::session& sql, int64_t after_seq, int limit) {
  return read(sql, "seq > :a AND seq <= :b", after_seq, after_seq + limit);
}

std::vector<StoredEvent> read_case_events(soci::session& sql, int64_t case_id) {
  return read(sql, "case_id = :a AND seq > :b", case_id, 0);
}

std::optional<StoredEvent> last_case_event(soci::session& sql, int64_t case_id, const std::string& type) {
  const long long id = case_id;
  soci::rowset<soci::row> rs =
      (sql.prepare << kEvents + std::string("case_id = :c AND type = :t ORDER BY seq DESC LIMIT 1"), soci::use(id),
       soci::use(type));
  auto found = read_rows(rs);
  if (found.empty()) return std::nullopt;
  return found.front();
}

}  // namespace yizhan::ledger
