// Ledger checkpoints (docs/architecture.md §7): the head of the hash chain (its seq and hash) at an
// instant, recorded periodically by the running hub and on demand, for auditors to keep
// outside the hub's reach. A later export carries them, and scripts/verify-ledger.sh
// checks that the chain passes through each; a hash an auditor kept that the ledger no
// longer passes through proves it was rewritten.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "db/database.hpp"

namespace yizhan::ledger {

struct Checkpoint {
  int64_t seq = 0;
  std::string hash, at;
};

// Records the ledger's head now, in one write transaction; when the head has not moved
// since the latest checkpoint (or the ledger is empty) nothing is written. Returns the
// latest checkpoint either way (nullopt: none, and the ledger is empty).
std::optional<Checkpoint> write_checkpoint(soci::session& sql, db::Dialect dialect, const std::string& at);
std::optional<Checkpoint> latest_checkpoint(soci::session& sql);
// The checkpoints closing events lo to hi (both included), in order.
std::vector<Checkpoint> checkpoints_between(soci::session& sql, int64_t lo, int64_t hi);

}  // namespace yizhan::ledger
