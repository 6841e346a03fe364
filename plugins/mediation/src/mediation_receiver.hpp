// The push capability for the mediation case system (法律服务 / 人民调解): the system
// POSTs signed JSON batches of changed cases to /hooks/<instance>; this authenticates
// each request, maps its cases and names the acknowledgement the system expects.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <yizhan/sdk/plugin.hpp>

#include "settings.hpp"

namespace yizhan::plugins::mediation {

class MediationReceiver : public sdk::Receiver {
 public:
  // Throws sdk::ConfigError if the settings are unusable.
  explicit MediationReceiver(const sdk::SourceContext& ctx);

  // Refuses (PushRefused 401) a request whose headers are missing, whose signature does
  // not verify or whose timestamp is outside max_clock_skew_s. Otherwise every case of
  // the batch becomes a record (mapped or rejected); a signed body that is not a batch
  // at all becomes one rejected record, so the hub keeps it as a dead letter. The reply
  // is {"code":0,"msg":"received","batchId":...}: the hub sends it only once the records
  // are stored. A nonce seen before within the window is accepted (and logged): see
  // README, "Replays".
  sdk::PushReply on_push(const sdk::PushRequest& request) override;

 private:
  // Remembers the nonce; true if it was already seen within the window.
  bool seen_before(std::string_view nonce, std::int64_t timestamp);

  Settings settings_;
  sdk::Logger log_;
  std::map<std::string, std::int64_t, std::less<>> nonces_;  // nonce → its timestamp, within the window
};

}  // namespace yizhan::plugins::mediation
