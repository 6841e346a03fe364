// Authenticate, then map every case; nothing the system sent is dropped silently.
#include "mediation_receiver.hpp"

#include <boost/json.hpp>
#include <chrono>

#include "case_mapper.hpp"
#include "signature.hpp"

namespace yizhan::plugins::mediation {
namespace json = boost::json;
namespace {

// Nonces remembered at most; older ones go first (they only serve a log line).
constexpr size_t kMaxNonces = 100000;

std::string ack(const json::value& batch_id) {
  return json::serialize(json::object{{"code", 0}, {"msg", "received"}, {"batchId", batch_id}});
}

}  // namespace

MediationReceiver::MediationReceiver(const sdk::SourceContext& ctx)
    : settings_(read_settings(ctx.config)), log_(ctx.log) {}

bool MediationReceiver::seen_before(std::string_view nonce, std::int64_t timestamp) {
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  const std::int64_t window = settings_.max_clock_skew.count();
  std::erase_if(nonces_, [&](const auto& kv) { return kv.second < now - window; });
  if (nonces_.find(nonce) != nonces_.end()) return true;
  if (nonces_.size() >= kMaxNonces) {
    auto oldest = nonces_.begin();
    for (auto it = nonces_.begin(); it != nonces_.end(); ++it)
      if (it->second < oldest->second) oldest = it;
    nonces_.erase(oldest);
  }
  nonces_.emplace(std::string(nonce), timestamp);
  return false;
}

sdk::PushReply MediationReceiver::on_push(const sdk::PushRequest& req) {
  const SignedHeaders headers{req.header(kTimestampHeader), req.header(kNonceHeader), req.header(kSignatureHeader)};
  if (auto why =
          verify(headers, req.body, settings_.secret, settings_.max_clock_skew, std::chrono::system_clock::now()))
    throw sdk::PushRefused(401, *why);
  if (seen_before(headers.nonce, *parse_unix_seconds(headers.timestamp)))
    log_.info("nonce " + std::string(headers.nonce.substr(0, 64)) +
              " seen before within the window: a re-sent request, accepted (same cases, same versions)");

  sdk::PushReply reply;
  json::error_code ec;
  json::value body = json::parse(req.body, ec);
  const json::object* batch = !ec && body.is_object() ? &body.get_object() : nullptr;
  const json::value* cases = batch ? batch->if_contains("cases") : nullptr;
  json::value batch_id = nullptr;
  if (batch)
    if (auto* id = batch->if_contains("batchId"); id && id->is_string()) batch_id = *id;
  if (!cases || !cases->is_array()) {
    std::string why = ec       ? "the signed body is not JSON (" + ec.message() + ")"
                      : !batch ? "the signed body is not a JSON object"
                      : !cases ? "the signed body has no 'cases'"
                               : "'cases' of the signed body is not an array";
    log_.warn("batch " + (batch_id.is_string() ? std::string(batch_id.get_string()) : std::string("(no batchId)")) +
              ": " + why + "; kept whole as one dead letter");
    reply.records.push_back(sdk::Record::rejected({}, std::string(req.body), why));
    reply.body = ack(batch_id);
    return reply;
  }
  size_t rejected = 0;
  for (const auto& item : cases->get_array()) {
    auto mapped = map_case(item, settings_);
    for (const auto& w : mapped.warnings) log_.warn(w);
    if (!mapped.record.error.empty()) {
      ++rejected;
      log_.warn("case " + (mapped.record.external_id.empty() ? std::string("(no caseNo)") : mapped.record.external_id) +
                " rejected: " + mapped.record.error);
    }
    reply.records.push_back(std::move(mapped.record));
  }
  log_.debug("batch " + (batch_id.is_string() ? std::string(batch_id.get_string()) : std::string("(no batchId)")) +
             ": " + std::to_string(reply.records.size()) + " case(s), " + std::to_string(rejected) + " rejected");
  reply.body = ack(batch_id);
  return reply;
}

}  // namespace yizhan::plugins::mediation
