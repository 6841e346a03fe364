// The system's request signature: X-Mediation-Signature is the lower-case hex
// HMAC-SHA256, keyed with the shared secret, of  timestamp + "\n" + nonce + "\n" + body,
// where timestamp is X-Mediation-Timestamp (unix seconds) and nonce X-Mediation-Nonce.
// Shared by the plugin (verifying) and the simulator (signing).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace yizhan::plugins::mediation {

inline constexpr std::string_view kTimestampHeader = "x-mediation-timestamp";
inline constexpr std::string_view kNonceHeader = "x-mediation-nonce";
inline constexpr std::string_view kSignatureHeader = "x-mediation-signature";

// Lower-case hex HMAC-SHA256 of `message` under `key` (OpenSSL libcrypto).
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

// The signature of one request.
std::string sign(std::string_view secret, std::string_view timestamp, std::string_view nonce, std::string_view body);

// Compares in time that depends on the lengths only (CRYPTO_memcmp), never on where
// the first difference is.
bool constant_time_equal(std::string_view a, std::string_view b);

struct SignedHeaders {
  std::string_view timestamp, nonce, signature;
};

// Why a request does not authenticate, or nullopt when it does: headers present, the
// signature verifies (checked first, so only a holder of the secret learns about the
// clock), and the timestamp is within `max_skew` of `now`. The reason names the check
// and never contains the secret or the expected signature.
std::optional<std::string> verify(const SignedHeaders& h, std::string_view body, std::string_view secret,
                                  std::chrono::seconds max_skew, std::chrono::system_clock::time_point now);

// The timestamp header as unix seconds; nullopt unless it is 1-12 ASCII digits.
std::optional<std::int64_t> parse_unix_seconds(std::string_view text);

}  // namespace yizhan::plugins::mediation
