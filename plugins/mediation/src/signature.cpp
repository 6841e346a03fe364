// HMAC-SHA256 through OpenSSL's one-shot HMAC(); checks in a fixed order.
#include "signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace yizhan::plugins::mediation {

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &len))
    throw std::runtime_error("HMAC-SHA256 failed inside OpenSSL");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned i = 0; i < len; ++i) {
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 0xF];
  }
  return out;
}

std::string sign(std::string_view secret, std::string_view timestamp, std::string_view nonce, std::string_view body) {
  std::string message;
  message.reserve(timestamp.size() + nonce.size() + body.size() + 2);
  message.append(timestamp).append("\n").append(nonce).append("\n").append(body);
  return hmac_sha256_hex(secret, message);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<std::int64_t> parse_unix_seconds(std::string_view text) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::optional<std::string> verify(const SignedHeaders& h, std::string_view body, std::string_view secret,
                                  std::chrono::seconds max_skew, std::chrono::system_clock::time_point now) {
  if (h.signature.empty()) return "missing header X-Mediation-Signature";
  if (h.timestamp.empty()) return "missing header X-Mediation-Timestamp";
  if (h.nonce.empty()) return "missing header X-Mediation-Nonce";
  std::string lower(h.signature);
  for (char& c : lower)
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  if (!constant_time_equal(lower, sign(secret, h.timestamp, h.nonce, body)))
    return "signature does not verify (X-Mediation-Signature is not the HMAC-SHA256 of timestamp, nonce and body "
           "under the shared secret)";
  auto ts = parse_unix_seconds(h.timestamp);
  if (!ts) return "X-Mediation-Timestamp '" + std::string(h.timestamp.substr(0, 40)) + "' is not unix seconds";
  const auto now_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const std::int64_t skew = now_s - *ts;
  if (skew > max_skew.count() || -skew > max_skew.count())
    return "timestamp outside the window: X-Mediation-Timestamp " + std::to_string(*ts) + " is " +
           std::to_string(skew < 0 ? -skew : skew) + " s " + (skew < 0 ? "ahead of" : "behind") +
           " the hub's clock (max_clock_skew_s " + std::to_string(max_skew.count()) + ")";
  return std::nullopt;
}

}  // namespace yizhan::plugins::mediation
