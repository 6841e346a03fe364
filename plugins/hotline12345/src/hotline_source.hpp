// The 12345 hotline source: pulls work orders page by page from the upstream's
// incremental list endpoint (see cursor.hpp for what the cursor means), and writes the
// hub's steps on them back as 办理反馈 (the sink capability, see feedback.hpp).
#pragma once

#include <yizhan/sdk/http_client.hpp>
#include <yizhan/sdk/plugin.hpp>

#include "cursor.hpp"
#include "settings.hpp"

namespace yizhan::plugins::hotline12345 {

class HotlineSource : public sdk::Source, public sdk::Sink {
 public:
  // Reads the config; throws sdk::ConfigError if a mapping table names something the hub
  // does not know. No I/O here: the first request happens in the first poll.
  explicit HotlineSource(const sdk::SourceContext& ctx);

  // One request: the page after `cursor`. Work orders the upstream sends again at or
  // before the cursor (its pages sometimes overlap) are dropped here, so every record
  // returned is new or a newer version. Throws sdk::CursorError for an unreadable
  // cursor and sdk::UpstreamError for network errors, timeouts, HTTP errors and the
  // upstream's error codes; the hub retries from the same cursor.
  sdk::PollResult poll(std::string_view cursor) override;

  // One write-back: POST the feedback with Idempotency-Key = delivery_id. Returns once the
  // platform has it (code 0, also for a key it already had). Throws sdk::UpstreamError when
  // it cannot answer now (connection, timeout, 5xx, busy, credentials: the hub retries),
  // sdk::DeliveryRefused when it will not take it (unknown work order, any other 4xx, or a
  // delivery that cannot be expressed: the hub parks it). A 404 is checked against the
  // work order itself, so a wrong feedback_path is retried, not parked.
  void deliver(const sdk::Delivery& delivery) override;

 private:
  std::string list_url(const Cursor& after) const;
  // Whether the platform knows the work order (GET <list_path>/<gdbh> answers code 0).
  // Throws sdk::UpstreamError when it cannot tell.
  bool work_order_exists(std::string_view gdbh) const;
  sdk::HttpRequest request_to(std::string url) const;

  Settings settings_;
  sdk::Logger log_;
};

}  // namespace yizhan::plugins::hotline12345
