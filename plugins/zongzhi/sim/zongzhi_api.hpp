// The simulated 综治 platform's REST API, independent of the HTTP server carrying it.
//
//   POST /api/v2/auth/token   {"appId","appSecret"} → {"code":0,"data":{"accessToken","expiresIn"}}
//   GET  /api/v2/events?updatedSince=<epoch ms>&pageNo=<n>&pageSize=<n>     (Bearer token)
//   GET  /api/v2/events/<eventId>                                           (Bearer token)
//   GET  /__sim/stats, GET /__sim/truth                                     (no token)
//
// The README documents the JSON. Quirks (revoked tokens, 429 with Retry-After, 502 from
// the gateway, rows repeated across pages) are decided per request from (seed, request
// number); token lifetimes are real seconds on the steady clock.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "event_book.hpp"

namespace yizhan::sim::zongzhi {

struct ApiOptions {
  std::string app_id = "zongzhi-demo";
  std::string app_secret = "demo-secret";
  int token_ttl_s = 30;
  double fault_rate = 0.02;   // list requests answered 429 (Retry-After) or 502
  double revoke_rate = 0.02;  // authorized requests whose token is revoked just then (401 40101)
  double dup_rate = 0.05;     // pages that start up to three rows early, repeating the previous page's tail
  int retry_after_s = 1;      // the Retry-After of a 429
  int default_page_size = 20;
  int max_page_size = 500;  // larger pageSize values are refused with code 40000
};

struct ApiReply {
  unsigned status = 200;
  std::string content_type = "application/json;charset=UTF-8";
  std::string body;
  std::map<std::string, std::string> headers;
};

struct ApiRequest {
  std::string_view method, target, authorization, body;
};

class ZongzhiApi {
 public:
  ZongzhiApi(const ApiOptions& options, EventBook& book);

  ApiReply handle(const ApiRequest& request);

  struct Stats {
    std::uint64_t requests = 0;
    std::uint64_t list_requests = 0;
    std::uint64_t pages_served = 0;
    std::uint64_t records_served = 0;
    std::uint64_t malformed_served = 0;
    std::uint64_t duplicates_served = 0;  // rows served again because a page started early
    std::uint64_t dup_pages = 0;
    std::uint64_t updates_served = 0;  // rows served in a version made by a status change
    std::uint64_t tokens_issued = 0;
    std::uint64_t auth_failures = 0;   // token requests with a wrong app id or secret
    std::uint64_t expired_tokens = 0;  // requests refused because their token had expired
    std::uint64_t unknown_tokens = 0;  // requests with no token or one never issued / revoked before
    std::uint64_t revoked_tokens = 0;  // tokens revoked at random (that request refused)
    std::uint64_t rate_limited = 0;    // HTTP 429
    std::uint64_t bad_gateway = 0;     // HTTP 502
  };
  const Stats& stats() const { return stats_; }
  std::string stats_json() const;
  // {eventId: matter key} for every event that carries a shared matter.
  std::string truth_json() const;

 private:
  ApiReply token(std::string_view body);
  ApiReply list(std::string_view query);
  ApiReply get_one(std::string_view event_id) const;
  boost::json::object render(const Event& event) const;
  // Empty if the bearer token is valid; the 401 reply otherwise.
  std::optional<ApiReply> check_token(std::string_view authorization, std::uint64_t request_no);

  ApiOptions options_;
  EventBook& book_;
  Stats stats_;
  std::map<std::string, std::chrono::steady_clock::time_point, std::less<>> tokens_;
};

}  // namespace yizhan::sim::zongzhi
