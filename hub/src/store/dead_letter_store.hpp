// Dead letters: records that failed validation, kept with their raw payload and the
// reason, until an operator replays them (after fixing a mapping, say) or drops them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "ledger/event_log.hpp"
#include "store/case_writer.hpp"

namespace yizhan::store {

struct DeadLetter {
  int64_t id = 0;
  std::string instance, external_id, reason, raw, case_json, status, created_at, resolved_at;
  int attempts = 0;
};

class DeadLetterStore {
 public:
  DeadLetterStore(soci::session& sql, db::Dialect dialect) : sql_(sql), dialect_(dialect) {}

  // Open ones (status "open") first by id; `instance` empty for all.
  std::vector<DeadLetter> list(const std::string& instance, const std::string& status = "open", int limit = 100);
  std::optional<DeadLetter> get(int64_t id);
  // Inside the ingest transaction (ingest::Ingestor): `dead` kept (one open dead letter
  // per id and payload), the open dead letters of `stored_ids` (records of the batch
  // that are valid now) superseded, `replayed` marked replayed.
  struct BatchLetters {
    int dead_lettered = 0, dead_repeated = 0;
  };
  BatchLetters record_batch(const std::string& instance, const std::vector<std::string>& stored_ids,
                            const std::vector<DeadLetterWrite>& dead, const std::vector<int64_t>& replayed,
                            ledger::EventAppender& events, const std::string& actor, const std::string& now);
  // A replay that failed again: count it and keep the new reason.
  void record_failed_attempt(int64_t id, const std::string& reason);
  int64_t count_open(const std::string& instance = {});

 private:
  soci::session& sql_;
  db::Dialect dialect_;
};

}  // namespace yizhan::store
