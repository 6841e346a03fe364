// The simulated 12345 work-order API, independent of the HTTP server that carries it.
//
//   GET  /api/workorders?updated_after=<YYYY-MM-DD HH:MM:SS>&after_id=<id>&page_size=<n>
//   GET  /api/workorders/<gdbh>
//   POST /api/workorders/<gdbh>/feedback   办理反馈, header Idempotency-Key (write-back)
//   GET  /__sim/stats
//   GET  /__sim/truth       {gdbh: matter key} of the orders carrying shared matters
//   GET  /__sim/feedback    the feedback received, in arrival order, and the duplicates
//   POST /__sim/feedback/fault?mode=<off|500|503|busy|drop|lost_reply|slow>[&count=<n>]
//
// The README documents the JSON. Quirks (re-sent overlapping pages, transient errors,
// slow replies, malformed records) are decided per request from (seed, request number),
// so one seed always produces the same conversation with a client that asks the same
// things in the same order. The feedback fault switch overrides the random feedback
// faults while it is on, so a test decides exactly which requests fail.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "feedback_inbox.hpp"
#include "work_order_book.hpp"

namespace yizhan::sim::hotline12345 {

struct ApiOptions {
  double fault_rate = 0.02;   // share of list requests that fail (5xx, busy) or reply slowly
  double resend_rate = 0.05;  // share of list requests whose page overlaps the previous one
  int slow_min_ms = 1000;     // a slow reply is delayed by [slow_min_ms, slow_max_ms]
  int slow_max_ms = 2000;
  double feedback_fault_rate = 0.02;  // share of feedback requests that fail, are lost or slow
  int default_page_size = 50;
  int max_page_size = 500;  // larger page_size values are silently clamped, as upstream does
};

// One request as the server read it. Views into the server's buffers, valid during handle().
struct ApiRequest {
  std::string_view method;           // "GET", "POST"
  std::string_view target;           // path and query
  std::string_view idempotency_key;  // the Idempotency-Key header; empty when absent
  std::string_view body;
};

// What the server should send back, and after how long.
struct ApiReply {
  unsigned status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::chrono::milliseconds delay{0};
  bool drop = false;  // close the connection after `delay` without answering
};

// How the feedback endpoint fails: an HTTP 500 envelope, the gateway's HTML 503 page,
// HTTP 200 with code -1 (busy), a connection closed before anything is recorded, a
// feedback recorded whose reply is then lost (the connection closes), or a reply
// delayed by slow-max-ms (recorded all the same).
enum class FeedbackFault { kNone, kServerError, kUnavailable, kBusy, kDrop, kLostReply, kSlow };

class HotlineApi {
 public:
  HotlineApi(const ApiOptions& options, WorkOrderBook& book);

  // Handles one request.
  ApiReply handle(const ApiRequest& request);

  // The counters /__sim/stats reports.
  struct Stats {
    std::uint64_t list_requests = 0;
    std::uint64_t pages_served = 0;
    std::uint64_t resent_pages = 0;
    std::uint64_t server_errors = 0;  // HTTP 500/503 and HTTP 200 with a non-zero code
    std::uint64_t slow_replies = 0;
    std::uint64_t records_served = 0;
    std::uint64_t malformed_served = 0;
    std::uint64_t updates_served =
        0;  // records served in a version a status change made (gxsj >= clock start)
    std::uint64_t feedback_requests = 0;    // POST .../feedback, whatever became of them
    std::uint64_t feedback_faults = 0;      // of those, failed, dropped, lost or slowed on purpose
    std::uint64_t feedback_refused = 0;     // answered 4xx: unknown work order, no key, bad body
    std::uint64_t feedback_recorded = 0;    // new keys recorded
    std::uint64_t feedback_duplicates = 0;  // keys already recorded, answered success again
    std::uint64_t feedback_changes = 0;     // feedback that queued a status change of its order
  };
  const Stats& stats() const { return stats_; }
  std::string stats_json() const;

 private:
  ApiReply list(std::string_view query);
  ApiReply get_one(std::string_view gdbh) const;
  ApiReply feedback(std::string_view gdbh, const ApiRequest& request);
  ApiReply set_fault(std::string_view query);
  // The fault for feedback request number `n`: the switch's while it is on, else random.
  FeedbackFault next_feedback_fault(std::uint64_t n);
  boost::json::object render(const WorkOrder& order) const;

  ApiOptions options_;
  WorkOrderBook& book_;
  FeedbackInbox inbox_;
  FeedbackFault fault_ = FeedbackFault::kNone;  // the switch (POST /__sim/feedback/fault)
  std::int64_t fault_left_ = -1;                // requests it still fails; -1: until switched off
  Stats stats_;
};

}  // namespace yizhan::sim::hotline12345
