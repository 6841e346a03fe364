#include "writeback/outbox.hpp"

#include <boost/json.hpp>

#include "store/case_reader.hpp"

namespace yizhan::writeback {
namespace json = boost::json;
using db::row_int;
using db::row_text;

namespace {

constexpr const char* kColumns =
    "id, case_id, instance, kind, external_id, payload, state, attempts, next_attempt_at, last_error, created_at, "
    "delivered_at";

OutboxRow read_row(const soci::row& r) {
  OutboxRow o;
  o.id = row_int(r, 0);
  o.case_id = row_int(r, 1);
  o.instance = row_text(r, 2);
  o.kind = row_text(r, 3);
  o.external_id = row_text(r, 4);
  o.payload = row_text(r, 5);
  o.state = row_text(r, 6);
  o.attempts = static_cast<int>(row_int(r, 7));
  o.next_attempt_at = row_text(r, 8);
  o.last_error = row_text(r, 9);
  o.created_at = row_text(r, 10);
  o.delivered_at = row_text(r, 11);
  return o;
}

}  // namespace

std::string delivery_id(int64_t row_id) { return "yz-" + std::to_string(row_id); }

int Outbox::enqueue(soci::session& sql, int64_t case_id, std::string_view kind, const json::object& details,
                    const std::string& at) const {
  if (instances_.empty()) return 0;
  long long id = case_id;
  const std::string status = store::case_status(sql, case_id).value_or("");
  std::vector<std::pair<std::string, std::string>> targets;
  for (const auto& r : store::group_records(sql, case_id))
    if (takes(r.instance)) targets.emplace_back(r.instance, r.external_id);
  for (const auto& [instance, external_id] : targets) {
    json::object payload = details;
    payload["kind"] = kind;
    payload["case_id"] = case_id;
    payload["external_id"] = external_id;
    payload["status"] = status;
    payload["at"] = at;
    const std::string kind_text(kind), payload_text = json::serialize(payload);
    sql << "INSERT INTO outbox (instance, case_id, kind, external_id, payload, state, attempts, next_attempt_at, "
           "created_at) VALUES (:i, :c, :k, :e, :p, 'pending', 0, :next, :at)",
        soci::use(instance), soci::use(id), soci::use(kind_text), soci::use(external_id), soci::use(payload_text),
        soci::use(at), soci::use(at);
  }
  return static_cast<int>(targets.size());
}

std::optional<OutboxRow> next_pending(soci::session& sql, const std::string& instance) {
  soci::rowset<soci::row> rs =
      (sql.prepare << std::string("SELECT ") + kColumns +
                          " FROM outbox WHERE instance = :i AND state = 'pending' ORDER BY id LIMIT 1",
       soci::use(instance));
  for (const auto& r : rs) return read_row(r);
  return std::nullopt;
}

void mark_delivered(soci::session& sql, db::Dialect dialect, const OutboxRow& row, const std::string& at) {
  db::WriteTransaction tx(sql, dialect);
  ledger::EventAppender events(sql, dialect);
  long long id = row.id;
  sql << "UPDATE outbox SET state = 'delivered', attempts = attempts + 1, delivered_at = :at WHERE id = :id",
      soci::use(at), soci::use(id);
  events.append(row.case_id, "write_back_delivered", "hub:write_back",
                {{"instance", row.instance},
                 {"kind", row.kind},
                 {"external_id", row.external_id},
                 {"delivery_id", delivery_id(row.id)},
                 {"attempts", row.attempts + 1}},
                at);
  events.flush();
  tx.commit();
}

void mark_retry(soci::session& sql, const OutboxRow& row, const std::string& error, const std::string& next_at) {
  long long id = row.id;
  sql << "UPDATE outbox SET attempts = attempts + 1, last_error = :e, next_attempt_at = :next WHERE id = :id",
      soci::use(error), soci::use(next_at), soci::use(id);
}

void mark_refused(soci::session& sql, db::Dialect dialect, const OutboxRow& row, const std::string& error,
                  const std::string& at) {
  db::WriteTransaction tx(sql, dialect);
  ledger::EventAppender events(sql, dialect);
  long long id = row.id;
  sql << "UPDATE outbox SET state = 'refused', attempts = attempts + 1, last_error = :e WHERE id = :id",
      soci::use(error), soci::use(id);
  events.append(row.case_id, "write_back_refused", "hub:write_back",
                {{"instance", row.instance},
                 {"kind", row.kind},
                 {"external_id", row.external_id},
                 {"delivery_id", delivery_id(row.id)},
                 {"reason", error}},
                at);
  events.flush();
  tx.commit();
}

std::vector<OutboxRow> list_outbox(soci::session& sql, const std::string& instance, const std::string& state,
                                   int limit) {
  // An empty instance or state matches every one.
  long long n = limit;
  std::vector<OutboxRow> out;
  soci::rowset<soci::row> rs =
      (sql.prepare << std::string("SELECT ") + kColumns +
                          " FROM outbox WHERE (:i = '' OR instance = :i2) AND (:s = '' OR state = :s2) "
                          "ORDER BY id DESC LIMIT :n",
       soci::use(instance), soci::use(instance), soci::use(state), soci::use(state), soci::use(n));
  for (const auto& r : rs) out.push_back(read_row(r));
  return out;
}

OutboxCounts outbox_counts(soci::session& sql, const std::string& instance) {
  OutboxCounts c;
  soci::rowset<soci::row> rs =
      (sql.prepare << "SELECT state, COUNT(*) FROM outbox WHERE instance = :i GROUP BY state", soci::use(instance));
  for (const auto& r : rs) {
    const auto state = row_text(r, 0);
    const auto n = row_int(r, 1);
    if (state == "pending") c.pending = n;
    if (state == "delivered") c.delivered = n;
    if (state == "refused") c.refused = n;
  }
  if (auto head = next_pending(sql, instance)) {
    c.oldest_pending_at = head->created_at;
    c.last_error = head->last_error;
  }
  return c;
}

}  // namespace yizhan::writeback
