// `yizhan audit verify`: recompute the ledger's hash chain from the stored events and
// name the first event that does not verify (docs/architecture.md §7). Any direct edit of an event
// (its type, actor, time, case or data) breaks its hash, and so the chain from it on.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "db/database.hpp"

namespace yizhan::ledger {

struct VerifyReport {
  bool ok = true;
  int64_t events_checked = 0;
  std::optional<int64_t> first_bad_seq;
  std::string problem;    // what is wrong with the first bad event (or the head)
  std::string head_hash;  // the recomputed head
};

// `progress(done)` is called every 100,000 events on long ledgers.
VerifyReport verify_ledger(soci::session& sql, const std::function<void(int64_t)>& progress = {});

}  // namespace yizhan::ledger
