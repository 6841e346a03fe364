#include "store/dead_letter_store.hpp"

#include <boost/json.hpp>
#include <map>
#include <set>

#include "crypto/crypto.hpp"

namespace yizhan::store {
namespace json = boost::json;
namespace {
constexpr const char* kColumns =
    "id, instance, external_id, reason, raw, case_json, status, attempts, created_at, resolved_at";

DeadLetter from_row(const soci::row& r) {
  DeadLetter d;
  d.id = db::row_int(r, 0);
  d.instance = db::row_text(r, 1);
  d.external_id = db::row_text(r, 2);
  d.reason = db::row_text(r, 3);
  d.raw = db::row_text(r, 4);
  d.case_json = db::row_text(r, 5);
  d.status = db::row_text(r, 6);
  d.attempts = static_cast<int>(db::row_int(r, 7));
  d.created_at = db::row_text(r, 8);
  d.resolved_at = db::row_text(r, 9);
  return d;
}
}  // namespace

std::vector<DeadLetter> DeadLetterStore::list(const std::string& instance, const std::string& status, int limit) {
  // An empty instance matches every instance: one statement, every value bound.
  long long n = limit;
  soci::rowset<soci::row> rs =
      (sql_.prepare << std::string("SELECT ") + kColumns +
                           " FROM dead_letters WHERE status = :s AND (:i = '' OR instance = :i2) ORDER BY id LIMIT :n",
       soci::use(status), soci::use(instance), soci::use(instance), soci::use(n));
  std::vector<DeadLetter> out;
  for (const auto& r : rs) out.push_back(from_row(r));
  return out;
}

std::optional<DeadLetter> DeadLetterStore::get(int64_t id) {
  long long lid = id;
  soci::rowset<soci::row> rs =
      (sql_.prepare << std::string("SELECT ") + kColumns + " FROM dead_letters WHERE id = :id", soci::use(lid));
  for (const auto& r : rs) return from_row(r);
  return std::nullopt;
}

void DeadLetterStore::record_failed_attempt(int64_t id, const std::string& reason) {
  long long lid = id;
  sql_ << "UPDATE dead_letters SET attempts = attempts + 1, reason = :r WHERE id = :id", soci::use(reason),
      soci::use(lid);
}

int64_t DeadLetterStore::count_open(const std::string& instance) {
  long long n = 0;
  sql_ << "SELECT COUNT(*) FROM dead_letters WHERE status = 'open' AND (:i = '' OR instance = :i2)",
      soci::use(instance), soci::use(instance), soci::into(n);
  return n;
}

// A re-sent page brings the same bad record again: an open dead letter with the same
// payload is not repeated. A record of this batch that is now valid settles the open
// dead letters of its id ("superseded"): upstream fixed it. Replayed dead letters are
// marked replayed. Every step is an event without the payload.
DeadLetterStore::BatchLetters DeadLetterStore::record_batch(const std::string& instance,
                                                            const std::vector<std::string>& stored_ids,
                                                            const std::vector<DeadLetterWrite>& dead,
                                                            const std::vector<int64_t>& replayed,
                                                            ledger::EventAppender& events, const std::string& actor,
                                                            const std::string& now) {
  BatchLetters out;
  std::set<std::pair<std::string, std::string>> open_dead;    // (external id, payload hash)
  std::map<std::string, std::vector<int64_t>> open_dead_ids;  // external id -> open dead letters
  {
    json::array ids;
    for (const auto& d : dead) ids.emplace_back(d.external_id);
    for (const auto& id : stored_ids) ids.emplace_back(id);
    const std::set<int64_t> replaying(replayed.begin(), replayed.end());
    if (!ids.empty()) {
      const std::string ids_json = json::serialize(ids);
      soci::rowset<soci::row> rs =
          (sql_.prepare << "SELECT id, external_id, payload_hash FROM dead_letters WHERE instance = :i AND status = "
                           "'open' AND external_id IN " +
                               db::in_json_list(dialect_, "ids"),
           soci::use(instance, "i"), soci::use(ids_json, "ids"));
      for (const auto& r : rs) {
        open_dead.emplace(db::row_text(r, 1), db::row_text(r, 2));
        // A replay settles its own dead letter below, as replayed.
        if (!replaying.contains(db::row_int(r, 0))) open_dead_ids[db::row_text(r, 1)].push_back(db::row_int(r, 0));
      }
    }
  }
  for (const auto& external_id : stored_ids) {
    auto it = open_dead_ids.find(external_id);
    if (it == open_dead_ids.end() || it->second.empty()) continue;
    std::string listed;
    for (int64_t id : it->second) {
      long long lid = id;
      sql_ << "UPDATE dead_letters SET status = 'superseded', resolved_at = :t WHERE id = :id", soci::use(now),
          soci::use(lid);
      listed += (listed.empty() ? "" : ",") + std::to_string(id);
    }
    events.append(std::nullopt, "dead_letter_superseded", actor,
                  {{"instance", instance}, {"external_id", external_id}, {"dead_letters", listed}}, now);
    it->second.clear();
  }
  db::BulkInsert rows(sql_, dialect_, "dead_letters",
                      {{"instance", "text"},
                       {"external_id", "text"},
                       {"reason", "text"},
                       {"raw", "text"},
                       {"payload_hash", "text"},
                       {"case_json", "text"},
                       {"created_at", "text"}},
                      100);
  for (const auto& d : dead) {
    const std::string payload_hash = crypto::sm3_hex(d.raw);
    if (!open_dead.emplace(d.external_id, payload_hash).second) {
      ++out.dead_repeated;
      continue;
    }
    rows.add(json::array{instance, d.external_id, d.reason, d.raw, payload_hash, d.case_json, now});
    events.append(
        std::nullopt, "dead_lettered", actor,
        {{"instance", instance}, {"external_id", d.external_id}, {"reason", d.reason}, {"payload_sm3", payload_hash}},
        now);
    ++out.dead_lettered;
  }
  rows.flush();
  for (int64_t id : replayed) {
    long long lid = id;
    sql_ << "UPDATE dead_letters SET status = 'replayed', attempts = attempts + 1, resolved_at = :t WHERE id = :id",
        soci::use(now), soci::use(lid);
    events.append(std::nullopt, "dead_letter_replayed", actor, {{"instance", instance}, {"dead_letter_id", id}}, now);
  }
  return out;
}

}  // namespace yizhan::store
