// The legacy system's sending side: pushes each batch to the hub's webhook, signed,
// in order (a batch is not sent before the one before it was acknowledged with a 2xx),
// retrying with capped exponential backoff. Its quirks: now and then it re-sends a batch
// that was already acknowledged (at-least-once: the very same request, nonce included),
// and with fault_rate it sends an attempt signed with an expired timestamp (the 401 that
// follows makes it re-sign and send again).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "case_book.hpp"

namespace yizhan::sim::mediation {

struct PushOptions {
  std::string hub_url;  // http://host:port (no trailing slash)
  std::string instance;
  std::string secret;
  std::uint64_t seed = 1;
  int interval_ms = 200;  // pause after each acknowledged batch
  int retry_base_ms = 100;
  int retry_max_ms = 5000;
  int timeout_ms = 5000;
  double fault_rate = 0;   // share of attempts signed with an expired timestamp
  double resend_rate = 0;  // share of acknowledged batches sent once more
  std::string stats_file;  // written (atomically) after every batch; empty: none
};

struct PushStats {
  std::uint64_t batches_total = 0, batches_acknowledged = 0, requests_sent = 0, retries = 0, resends_after_ack = 0,
                faults_injected = 0, refused_401 = 0, non_2xx = 0, transport_errors = 0, records_sent = 0,
                malformed_records_sent = 0;
  std::uint32_t distinct_cases = 0, distinct_valid_cases = 0, malformed_cases = 0;
  std::string last_acknowledged;  // batch id
  bool done = false;
  std::string json() const;
};

class Pusher {
 public:
  Pusher(PushOptions options, const CaseBook& book);
  // Sends every batch; returns true when all were acknowledged (stats().done), false if
  // `stop` was set first. Prints "acked <batchId>" on stdout for each acknowledged batch.
  bool run(const std::atomic<bool>& stop);
  const PushStats& stats() const { return stats_; }
  void write_stats() const;

 private:
  PushOptions options_;
  const CaseBook& book_;
  PushStats stats_;
};

// The body of a batch as sent: {"batchId","sentAt","cases":[...]}.
std::string batch_body(const CaseBook& book, const Batch& batch, const std::string& sent_at);

}  // namespace yizhan::sim::mediation
