#include "ingest/group_commit.hpp"

namespace yizhan::ingest {

GroupCommit::Result GroupCommit::submit(std::vector<plugin::PolledRecord> records) {
  Ticket mine;
  mine.records = std::move(records);
  std::unique_lock lock(mu_);
  waiting_.push_back(&mine);
  while (!mine.done) {
    if (committing_)
      done_.wait(lock);
    else
      lead(lock, mine);
  }
  if (mine.error) std::rethrow_exception(mine.error);
  return mine.result;
}

// Takes every waiting request (this one among them) and commits them as one batch,
// the lock released meanwhile so more requests can queue for the next group.
void GroupCommit::lead(std::unique_lock<std::mutex>& lock, Ticket& mine) {
  committing_ = true;
  std::vector<Ticket*> group;
  group.swap(waiting_);
  lock.unlock();
  std::vector<plugin::PolledRecord> all;
  for (Ticket* t : group) all.insert(all.end(), t->records.begin(), t->records.end());
  std::exception_ptr error;
  store::BatchOutcome outcome;
  try {
    outcome = commit_(all);
  } catch (...) {
    error = std::current_exception();
  }
  lock.lock();
  for (Ticket* t : group) {
    t->done = true;
    t->error = error;
    t->result.group_requests = group.size();
  }
  mine.result.led = true;
  mine.result.outcome = outcome;
  committing_ = false;
  done_.notify_all();
}

}  // namespace yizhan::ingest
