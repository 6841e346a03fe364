// The write-back outbox (docs/architecture.md §2 step 6): what the hub did on a matter — dispatched,
// replied, closed, followed up — is told to every system that reported the matter and
// takes write-backs (its plugin has the sink capability, ABI 1.2). A write-back is a row
// written in the same transaction as the event it tells of, so it is never lost and
// never made twice; each instance's rows are then delivered in order, each until it
// succeeds (writeback/delivery_runner.hpp). The row's id is the delivery id the system
// sees on every retry, so a retried delivery counts once on its side.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.hpp"
#include "ledger/event_log.hpp"

namespace yizhan::writeback {

class Outbox {
 public:
  // The instances whose plugins take write-backs.
  explicit Outbox(std::set<std::string> sink_instances) : instances_(std::move(sink_instances)) {}
  bool empty() const { return instances_.empty(); }
  bool takes(const std::string& instance) const { return instances_.contains(instance); }

  // Queues `kind` for each source of the group of `case_id` (the case and the cases
  // merged into it) whose instance takes write-backs. `details` (actor, reason,
  // departments, text, rating...) goes into the payload with case_id, kind, status,
  // external_id and at. Inside the caller's write transaction; returns the rows queued.
  int enqueue(soci::session& sql, int64_t case_id, std::string_view kind, const boost::json::object& details,
              const std::string& at) const;

 private:
  std::set<std::string> instances_;
};

struct OutboxRow {
  int64_t id = 0, case_id = 0;
  std::string instance, kind, external_id, payload, state, next_attempt_at, last_error, created_at, delivered_at;
  int attempts = 0;
};

// The id a system sees for a row: stable across retries.
std::string delivery_id(int64_t row_id);

// The oldest pending row of `instance` (delivered in id order), if any.
std::optional<OutboxRow> next_pending(soci::session& sql, const std::string& instance);

// Outcomes of one attempt, each in its own write transaction. Delivered and refused
// are ledger events on the case (write_back_delivered, write_back_refused).
void mark_delivered(soci::session& sql, db::Dialect dialect, const OutboxRow& row, const std::string& at);
void mark_retry(soci::session& sql, const OutboxRow& row, const std::string& error, const std::string& next_at);
void mark_refused(soci::session& sql, db::Dialect dialect, const OutboxRow& row, const std::string& error,
                  const std::string& at);

// Rows of `instance` ("" for any) in `state` ("" for any), newest first.
std::vector<OutboxRow> list_outbox(soci::session& sql, const std::string& instance, const std::string& state,
                                   int limit);

struct OutboxCounts {
  int64_t pending = 0, delivered = 0, refused = 0;
  std::string oldest_pending_at, last_error;
};
OutboxCounts outbox_counts(soci::session& sql, const std::string& instance);

}  // namespace yizhan::writeback
