// The simulated 12345 work-order API, independent of the HTTP server that carries it.
//
//   GET /api/workorders?updated_after=<YYYY-MM-DD HH:MM:SS>&after_id=<id>&page_size=<n>
//   GET /api/workorders/<gdbh>
//   GET /__sim/stats
//   GET /__sim/truth       {gdbh: matter key} of the orders carrying shared matters
//
// The README documents the JSON. Quirks (re-sent overlapping pages, transient errors,
// slow replies, malformed records) are decided per request from (seed, request number),
// so one seed always produces the same conversation with a client that asks the same
// things in the same order.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "work_order_book.hpp"

namespace yizhan::sim::hotline12345 {

struct ApiOptions {
  double fault_rate = 0.02;   // share of list requests that fail (5xx, busy) or reply slowly
  double resend_rate = 0.05;  // share of list requests whose page overlaps the previous one
  int slow_min_ms = 1000;     // a slow reply is delayed by [slow_min_ms, slow_max_ms]
  int slow_max_ms = 2000;
  int default_page_size = 50;
  int max_page_size = 500;  // larger page_size values are silently clamped, as upstream does
};

// What the server should send back, and after how long.
struct ApiReply {
  unsigned status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::chrono::milliseconds delay{0};
};

class HotlineApi {
 public:
  HotlineApi(const ApiOptions& options, WorkOrderBook& book);

  // Handles one request. `target` is the request target (path and query).
  ApiReply handle(std::string_view method, std::string_view target);

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
  };
  const Stats& stats() const { return stats_; }
  std::string stats_json() const;

 private:
  ApiReply list(std::string_view query);
  ApiReply get_one(std::string_view gdbh) const;
  boost::json::object render(const WorkOrder& order) const;

  ApiOptions options_;
  WorkOrderBook& book_;
  Stats stats_;
};

}  // namespace yizhan::sim::hotline12345
