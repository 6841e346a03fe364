// The audit ledger's write side (docs/architecture.md §7): every case event appended to a hash
// chain, h_n = SM3(h_{n-1} ‖ canonical JSON of event n), h_0 = 64 zeros, the hex
// digest as text. The canonical JSON of an event is
//   {"actor":…,"at":…,"case_id":…|null,"data":{…},"seq":n,"type":…}
// with sorted keys and no whitespace (ledger/canonical_json.hpp). Events carry no
// clear personal data: the ledger is exported to auditors.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"

namespace yizhan::ledger {

inline constexpr std::string_view kGenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

struct StoredEvent {
  int64_t seq = 0;
  std::optional<int64_t> case_id;
  std::string type, actor, at;
  std::string data;  // canonical JSON object
  std::string hash;
};

// The exact bytes hashed for an event (and written one per line by export).
std::string event_canonical_json(const StoredEvent& e);
// SM3(prev_hash ‖ canonical) as lower-case hex.
std::string chain_hash(std::string_view prev_hash, std::string_view canonical);

// Appends events inside the caller's transaction. Construct after BEGIN: it reads
// (and on PostgreSQL locks) the ledger head, so writers serialize on it.
class EventAppender {
 public:
  EventAppender(soci::session& sql, db::Dialect dialect);
  // Buffers an event; returns its sequence number.
  int64_t append(std::optional<int64_t> case_id, std::string type, std::string actor, const boost::json::object& data,
                 std::string at);
  // Writes the buffered events and the new head. Call once, before COMMIT.
  void flush();
  size_t pending() const { return rows_.pending(); }

 private:
  soci::session& sql_;
  int64_t seq_ = 0;
  std::string head_;
  db::BulkInsert rows_;  // written at flush(), after the head is known
};

// The ledger's head: the last event's seq and the chain hash after it.
struct Head {
  int64_t seq = 0;
  std::string hash;
};
Head read_head(soci::session& sql);

// The first (`first`) or last event's seq with `at` in [from, to) ("" for an open
// bound); nullopt when there is none.
std::optional<int64_t> event_seq_bound(soci::session& sql, bool first, const std::string& from, const std::string& to);
// The chain hash stored with event `seq` (nullopt: no such event).
std::optional<std::string> event_hash(soci::session& sql, int64_t seq);

// The events an audit trail asks for, in order after `after_seq`, at most `limit`. An
// empty list matches every value.
struct EventFilter {
  std::vector<std::string> types;  // of one of these types
  std::vector<int64_t> case_ids;   // on one of these cases
  std::string data_contains;       // data LIKE '%…%' (LIKE's wildcards not escaped)
  std::string from, to;            // at in [from, to); "" for open
  int64_t after_seq = 0;
  int limit = 100;
};
std::vector<StoredEvent> find_events(soci::session& sql, const EventFilter& f);

// Reads events in order from `after_seq`, at most `limit`.
std::vector<StoredEvent> read_events(soci::session& sql, int64_t after_seq, int limit);
std::vector<StoredEvent> read_case_events(soci::session& sql, int64_t case_id);
// The case's latest event of `type` (nullopt: it has none).
std::optional<StoredEvent> last_case_event(soci::session& sql, int64_t case_id, const std::string& type);

}  // namespace yizhan::ledger
