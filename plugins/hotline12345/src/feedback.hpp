// Write-back to the 12345 platform (the sink capability): one hub delivery becomes one
// 办理反馈 request on the work order, and the platform's answer becomes an outcome.
//
//   POST <base_url><feedback_path>        (default /api/workorders/{gdbh}/feedback)
//   Idempotency-Key: <delivery_id>        the same on every retry: the platform counts it once
//   {"fklx":"办结","fknr":"…","cbdw":"岢岚县住房和城乡建设管理局","czr":"…",
//    "czsj":"2026-03-01 09:12:33","myd":"满意"}
//
// kind → 反馈类型 fklx: dispatched 派单, replied 答复, closed 办结, followed_up 回访.
// fknr is the payload's text, else its reason, else a stock phrase (已派单至… 已答复 已办结
// 已回访); cbdw the departments through department_map (unmapped ids as they are), joined
// by 、; czr the actor; czsj `at` in the upstream's local time; myd the rating
// (satisfied 满意, basically_satisfied 基本满意, dissatisfied 不满意), omitted when empty.
#pragma once

#include <string>
#include <string_view>
#include <vector>
#include <yizhan/sdk/plugin.hpp>

#include "settings.hpp"

namespace yizhan::plugins::hotline12345 {

struct FeedbackRequest {
  std::string gdbh;  // the work order (delivery.external_id)
  std::string url;
  std::string fklx;
  std::string body;                   // the JSON object above
  std::vector<std::string> warnings;  // for the log, e.g. a rating the platform has no word for
};

// Throws sdk::DeliveryRefused when the delivery cannot be expressed: an unknown kind, no
// work order number, no delivery id (no idempotency key), a payload that is not a JSON
// object, or an `at` that is not a UTC time.
FeedbackRequest make_feedback(const sdk::Delivery& delivery, const Settings& settings);

// What the platform's answer means.
enum class FeedbackVerdict {
  kAccepted,          // 2xx with code 0: recorded now, or already under this key
  kRetry,             // down, 5xx, busy (code -1), 401/408/429, a 2xx that is no envelope
  kUnknownWorkOrder,  // 404 (HTTP or code): the work order, or the endpoint, is not there
  kRefused,           // any other 4xx or non-zero code: the platform will not take it
};
struct FeedbackOutcome {
  FeedbackVerdict verdict;
  std::string detail;  // "HTTP 400: 参数错误: …", printable, long digit runs masked
};
FeedbackOutcome read_feedback_reply(int http_status, std::string_view body);

// `text` for a message: printable, at most ~160 bytes, and every run of 11 or more digits
// (a phone or ID number the upstream may echo) masked with sdk::mask.
std::string safe_excerpt(std::string_view text);

}  // namespace yizhan::plugins::hotline12345
