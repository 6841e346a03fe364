// Talking to the 综治 platform's REST API: the access token and the request policy.
//
// The platform issues short-lived bearer tokens (POST /api/v2/auth/token) and revokes
// them at will. ApiClient keeps one token for the life of the instance — across polls,
// not one login per poll — renews it shortly before its expiresIn runs out, and when a
// request is refused with HTTP 401 code 40101 (expired or unknown token) it logs in again
// and retries that request once. A 429 is retried once after its Retry-After when that is
// at most retry_after_max; anything else that is not 2xx is an sdk::UpstreamError. A 401
// code 40100 at login (wrong app id or secret) is an sdk::ConfigError naming the app id.
// The secret and the token never appear in a message or a log line.
//
// Not thread-safe: one instance is called from one thread at a time (the hub's contract).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <yizhan/sdk/http_client.hpp>
#include <yizhan/sdk/plugin.hpp>

#include "settings.hpp"

namespace yizhan::plugins::zongzhi {

class ApiClient {
 public:
  ApiClient(const Settings& settings, sdk::Logger log);

  // GET <base_url><target> with the token; the body of the 2xx reply. Throws as above.
  std::string get(const std::string& target);

  std::uint64_t logins() const { return logins_; }

 private:
  struct Token {
    std::string value;
    std::chrono::steady_clock::time_point renew_at;
  };
  void login();
  sdk::HttpResponse send(const std::string& url);

  const Settings& settings_;
  sdk::Logger log_;
  std::optional<Token> token_;
  std::uint64_t logins_ = 0;
};

}  // namespace yizhan::plugins::zongzhi
