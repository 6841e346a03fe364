// Dead letters: records that failed validation, kept with their raw payload and the
// reason, until an operator replays them (after fixing a mapping, say) or drops them.
#pragma once

#include "store/database.hpp"

#include <optional>
#include <string>
#include <vector>

namespace yizhan::store {

struct DeadLetter {
  int64_t id = 0;
  std::string instance, external_id, reason, raw, case_json, status, created_at, resolved_at;
  int attempts = 0;
};

class DeadLetterStore {
 public:
  DeadLetterStore(soci::session& sql, Dialect dialect) : sql_(sql), dialect_(dialect) {}

  // Open ones (status "open") first by id; `instance` empty for all.
  std::vector<DeadLetter> list(const std::string& instance, const std::string& status = "open", int limit = 100);
  std::optional<DeadLetter> get(int64_t id);
  // A replay that failed again: count it and keep the new reason. (A replay that
  // succeeds is marked inside the ingest transaction, see CaseWriter.)
  void record_failed_attempt(int64_t id, const std::string& reason);
  int64_t count_open(const std::string& instance = {});

 private:
  soci::session& sql_;
  Dialect dialect_;
};

}  // namespace yizhan::store
