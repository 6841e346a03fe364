#include "ledger/ledger_verifier.hpp"

#include "ledger/event_log.hpp"

namespace yizhan::ledger {

VerifyReport verify_ledger(soci::session& sql, const std::function<void(int64_t)>& progress) {
  // One snapshot for every event and the head: a hub appending meanwhile must not make
  // a whole ledger look cut short, and is never blocked.
  db::ReadSnapshot snapshot(sql);
  VerifyReport rep;
  std::string prev(ledger::kGenesisHash);
  int64_t expected_seq = 1;
  constexpr int kChunk = 20000;
  for (int64_t after = 0;; after += kChunk) {
    auto events = ledger::read_events(sql, after, kChunk);
    for (const auto& e : events) {
      if (e.seq != expected_seq) {
        rep.ok = false;
        rep.first_bad_seq = expected_seq;
        rep.problem =
            "event " + std::to_string(expected_seq) + " is missing (next stored is " + std::to_string(e.seq) + ")";
        return rep;
      }
      std::string canonical;
      try {
        canonical = ledger::event_canonical_json(e);
      } catch (const std::exception& ex) {
        rep.ok = false;
        rep.first_bad_seq = e.seq;
        rep.problem = "event " + std::to_string(e.seq) + " has unreadable data: " + ex.what();
        return rep;
      }
      std::string h = ledger::chain_hash(prev, canonical);
      if (h != e.hash) {
        rep.ok = false;
        rep.first_bad_seq = e.seq;
        rep.problem = "event " + std::to_string(e.seq) + " (" + e.type +
                      (e.case_id ? ", case " + std::to_string(*e.case_id) : std::string()) +
                      ") does not verify: stored hash " + e.hash + ", recomputed " + h;
        return rep;
      }
      prev = h;
      ++expected_seq;
      if (++rep.events_checked % 100000 == 0 && progress) progress(rep.events_checked);
    }
    if (static_cast<int>(events.size()) < kChunk) break;
  }
  rep.head_hash = prev;
  const auto [head_seq, head_hash] = read_head(sql);
  if (head_seq != rep.events_checked || head_hash != prev) {
    rep.ok = false;
    rep.first_bad_seq = rep.events_checked + 1;
    rep.problem = "the ledger head says " + std::to_string(head_seq) + " events ending in " + head_hash + ", but " +
                  std::to_string(rep.events_checked) + " events chain to " + prev +
                  " (events were removed or the head was edited)";
  }
  return rep;
}

}  // namespace yizhan::ledger
