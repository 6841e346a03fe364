#include "http/case_page_cache.hpp"

#include <vector>

namespace yizhan::http {

void CasePageCache::sync(store::CaseReader& reader, int64_t head) {
  int64_t from = 0;
  {
    std::lock_guard lock(mutex_);
    if (head <= synced_) return;
    if (synced_ < 0 || pages_.empty() || head - synced_ > static_cast<int64_t>(capacity_)) {
      // Nothing to keep, or a gap longer than reading it is worth: start afresh.
      pages_.clear();
      lru_.clear();
      synced_ = head;
      return;
    }
    from = synced_;
  }
  // A case's page also shows the sources and events of the cases merged into it: an
  // event on one of those drops its group root's page too.
  const std::vector<int64_t> ids = reader.cases_touched(from, head);
  std::lock_guard lock(mutex_);
  for (int64_t id : ids) erase_locked(id);
  if (head > synced_) synced_ = head;
}

std::shared_ptr<const std::string> CasePageCache::find(int64_t case_id) {
  std::lock_guard lock(mutex_);
  auto it = pages_.find(case_id);
  if (it == pages_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second.lru);
  return it->second.body;
}

void CasePageCache::put(int64_t case_id, int64_t as_of_seq, std::shared_ptr<const std::string> body) {
  std::lock_guard lock(mutex_);
  if (as_of_seq < synced_ || capacity_ == 0) return;
  erase_locked(case_id);
  lru_.push_front(case_id);
  pages_.emplace(case_id, Entry{std::move(body), lru_.begin()});
  while (pages_.size() > capacity_) erase_locked(lru_.back());
}

std::size_t CasePageCache::size() const {
  std::lock_guard lock(mutex_);
  return pages_.size();
}

void CasePageCache::erase_locked(int64_t case_id) {
  auto it = pages_.find(case_id);
  if (it == pages_.end()) return;
  lru_.erase(it->second.lru);
  pages_.erase(it);
}

}  // namespace yizhan::http
