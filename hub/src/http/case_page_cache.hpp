// Rendered case pages (GET /api/v1/cases/{id}) kept in memory and dropped as soon as
// the case changes, so the hot read path costs one primary-key lookup of the ledger
// head instead of three queries and three SM4 decryptions.
//
// Why this is exact: every change to a case is a ledger event carrying its case id
// (CaseWriter and every later writer append one; docs/architecture.md §4 "events: append-only
// history"), and the ledger head's seq only grows. sync() reads the head and drops
// the pages of every case with an event after the last head it processed; a page is
// only kept if it was read in a snapshot at least as new as that head (put()), so a
// page read before a change can never outlive the change's invalidation. Works for
// writers in other processes too (a CLI replay): they append to the same ledger.
//
// Thread-safe. Bounded: least recently used pages go first.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "store/case_reader.hpp"

namespace yizhan::http {

class CasePageCache {
 public:
  explicit CasePageCache(std::size_t capacity = 20000) : capacity_(capacity) {}

  // Brings the cache up to `head` (the ledger head just read): drops the pages of the
  // cases with events in (last head, head], reading their ids with `sql`. After a long
  // gap (more events than pages kept) it drops everything instead.
  void sync(store::CaseReader& reader, int64_t head);

  std::shared_ptr<const std::string> find(int64_t case_id);
  // Keeps `body` unless it was read in a snapshot older than the last sync (as_of_seq:
  // the ledger head in the snapshot the page was read from).
  void put(int64_t case_id, int64_t as_of_seq, std::shared_ptr<const std::string> body);

  std::size_t size() const;

 private:
  struct Entry {
    std::shared_ptr<const std::string> body;
    std::list<int64_t>::iterator lru;
  };
  void erase_locked(int64_t case_id);

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  int64_t synced_ = -1;     // the head processed last; -1 before the first sync
  std::list<int64_t> lru_;  // front: most recently used
  std::unordered_map<int64_t, Entry> pages_;
};

}  // namespace yizhan::http
