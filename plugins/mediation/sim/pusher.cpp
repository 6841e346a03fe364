// One batch at a time: sign, send, back off, re-sign, until a 2xx.
#include "pusher.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>
#include <yizhan/sdk/http_client.hpp>
#include <yizhan/sdk/plugin.hpp>

#include "signature.hpp"
#include "sim_support/civil_time.hpp"
#include "sim_support/rng.hpp"

namespace yizhan::sim::mediation {
namespace json = boost::json;
using namespace std::chrono_literals;
namespace {

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string iso_now() {
  std::int64_t local = unix_now() + kBeijingOffsetSeconds;
  std::string s = format_local(local);
  s[10] = 'T';
  return s + "+08:00";
}

// Waits `ms`, waking early when `stop` is set. False if it was.
bool pause(int ms, const std::atomic<bool>& stop) {
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (std::chrono::steady_clock::now() < until) {
    if (stop) return false;
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(20ms, until - std::chrono::steady_clock::now()));
  }
  return !stop;
}

}  // namespace

std::string PushStats::json() const {
  return json::serialize(json::object{{"batches_total", batches_total},
                                      {"batches_acknowledged", batches_acknowledged},
                                      {"requests_sent", requests_sent},
                                      {"retries", retries},
                                      {"resends_after_ack", resends_after_ack},
                                      {"faults_injected", faults_injected},
                                      {"refused_401", refused_401},
                                      {"non_2xx", non_2xx},
                                      {"transport_errors", transport_errors},
                                      {"records_sent", records_sent},
                                      {"malformed_records_sent", malformed_records_sent},
                                      {"distinct_cases", distinct_cases},
                                      {"distinct_valid_cases", distinct_valid_cases},
                                      {"malformed_cases", malformed_cases},
                                      {"last_acknowledged", last_acknowledged},
                                      {"done", done}});
}

std::string batch_body(const CaseBook& book, const Batch& batch, const std::string& sent_at) {
  json::array cases;
  for (const auto& ch : batch.changes) cases.push_back(book.payload(ch));
  return json::serialize(json::object{{"batchId", batch.id}, {"sentAt", sent_at}, {"cases", std::move(cases)}});
}

Pusher::Pusher(PushOptions options, const CaseBook& book) : options_(std::move(options)), book_(book) {
  stats_.batches_total = book.batches().size();
  stats_.distinct_cases = book.distinct();
  stats_.distinct_valid_cases = book.distinct_valid();
  stats_.malformed_cases = book.malformed_cases();
}

void Pusher::write_stats() const {
  if (options_.stats_file.empty()) return;
  const std::string tmp = options_.stats_file + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << stats_.json() << "\n";
  }
  std::filesystem::rename(tmp, options_.stats_file);
}

bool Pusher::run(const std::atomic<bool>& stop) {
  std::random_device entropy;
  std::mt19937_64 nonces((static_cast<std::uint64_t>(entropy()) << 32) ^ entropy());
  const std::string url = options_.hub_url + "/hooks/" + sdk::url_encode(options_.instance);
  write_stats();
  for (std::size_t b = 0; b < book_.batches().size(); ++b) {
    const Batch& batch = book_.batches()[b];
    // The body is fixed at the first attempt: retries send the same batchId and the same bytes.
    const std::string body = batch_body(book_, batch, iso_now());
    for (const auto& ch : batch.changes)
      (book_.cases()[ch.index].malformed == Malformed::none ? stats_.records_sent : stats_.malformed_records_sent)++;
    sdk::HttpRequest req;
    req.method = "POST";
    req.url = url;
    req.body = body;
    req.timeout = std::chrono::milliseconds(options_.timeout_ms);
    req.headers["Content-Type"] = "application/json; charset=utf-8";
    bool acknowledged = false, resign = false;
    for (int attempt = 0; !acknowledged; ++attempt) {
      if (stop) return false;
      Rng quirk(options_.seed, b, 0xA77E + static_cast<std::uint64_t>(attempt));
      // The attempt after an expired one is always signed afresh, so some attempt gets through.
      const bool expired = !resign && quirk.chance(options_.fault_rate);
      resign = false;
      // An expired timestamp: an hour old, far outside any sane window.
      const std::string ts = std::to_string(unix_now() - (expired ? 3600 : 0));
      char nonce[40];
      std::snprintf(nonce, sizeof nonce, "%016llx%08llx", static_cast<unsigned long long>(nonces()),
                    static_cast<unsigned long long>(b));
      req.headers["X-Mediation-Timestamp"] = ts;
      req.headers["X-Mediation-Nonce"] = nonce;
      req.headers["X-Mediation-Signature"] = plugins::mediation::sign(options_.secret, ts, nonce, body);
      if (expired) ++stats_.faults_injected;
      if (attempt > 0) ++stats_.retries;
      ++stats_.requests_sent;
      int status = 0;
      try {
        status = sdk::http_request(req).status;
      } catch (const std::exception& e) {
        ++stats_.transport_errors;
        std::fprintf(stderr, "sim-mediation: batch %s attempt %d: %s\n", batch.id.c_str(), attempt + 1, e.what());
      }
      if (status >= 200 && status < 300) {
        acknowledged = true;
        break;
      }
      if (status == 401) ++stats_.refused_401;
      if (status) ++stats_.non_2xx;
      if (status)
        std::fprintf(stderr, "sim-mediation: batch %s attempt %d: HTTP %d\n", batch.id.c_str(), attempt + 1, status);
      // An expired signature is re-signed and sent again at once; other failures back off.
      if (expired && status == 401) {
        resign = true;
        continue;
      }
      const int shift = std::min(attempt, 20);
      const int delay = static_cast<int>(
          std::min<std::int64_t>(options_.retry_max_ms, static_cast<std::int64_t>(options_.retry_base_ms) << shift));
      if (!pause(delay, stop)) return false;
    }
    ++stats_.batches_acknowledged;
    stats_.last_acknowledged = batch.id;
    std::printf("acked %s\n", batch.id.c_str());
    std::fflush(stdout);
    // At-least-once: the very request again (same headers, same nonce), its answer ignored.
    if (Rng(options_.seed, b, 0x2E5E).chance(options_.resend_rate)) {
      ++stats_.resends_after_ack;
      ++stats_.requests_sent;
      try {
        sdk::http_request(req);
      } catch (const std::exception& e) {
        ++stats_.transport_errors;
      }
    }
    write_stats();
    if (b + 1 < book_.batches().size() && !pause(options_.interval_ms, stop)) return false;
  }
  stats_.done = true;
  write_stats();
  return true;
}

}  // namespace yizhan::sim::mediation
