// Group commit for pushed records: requests to one push instance that arrive while a
// commit is under way are stored together by the next one, in ONE transaction, and
// each request is answered only after the commit that holds its records. The first
// waiting request commits for the group (leader/follower; no thread of its own), so
// concurrent senders share one transaction instead of queueing one per request.
#pragma once

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <vector>

#include "plugin/plugin_instance.hpp"
#include "store/case_writer.hpp"

namespace yizhan::ingest {

class GroupCommit {
 public:
  // `commit` stores one group's records in one transaction (throws on failure).
  using CommitFn = std::function<store::BatchOutcome(const std::vector<plugin::PolledRecord>&)>;
  explicit GroupCommit(CommitFn commit) : commit_(std::move(commit)) {}

  struct Result {
    store::BatchOutcome outcome;  // the whole group's counts, for the request that led it
    bool led = false;             // false: another request's commit carried these records
    size_t group_requests = 1;    // how many requests that commit held
  };
  // Blocks until `records` are committed; rethrows the group's failure (nothing of the
  // group is stored then).
  Result submit(std::vector<plugin::PolledRecord> records);

 private:
  struct Ticket {
    std::vector<plugin::PolledRecord> records;
    bool done = false;
    std::exception_ptr error;
    Result result;
  };
  void lead(std::unique_lock<std::mutex>& lock, Ticket& mine);

  CommitFn commit_;
  std::mutex mu_;
  std::condition_variable done_;
  std::vector<Ticket*> waiting_;
  bool committing_ = false;
};

}  // namespace yizhan::ingest
