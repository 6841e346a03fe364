// Chinese national cryptography (SM3 digest, SM4 cipher) through OpenSSL 3, and the
// protection of citizens' personal data (docs/architecture.md §4, §7): encrypted at rest, matched by
// keyed hash, shown masked.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX

namespace yizhan::crypto {

// An OpenSSL call failed, or input to a crypto helper was malformed.
class CryptoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A sealed PII value could not be opened: wrong format, tampered, wrong key or context.
class DecryptError : public CryptoError {
 public:
  using CryptoError::CryptoError;
};

using Bytes = std::vector<std::uint8_t>;
using Sm3Digest = std::array<std::uint8_t, 32>;

// Lower-case hex. from_hex accepts either case and throws CryptoError on odd length or
// a non-hex character.
std::string to_hex(std::span<const std::uint8_t> bytes);
Bytes from_hex(std::string_view hex);

// Base64url without padding (RFC 4648 §5). Decoding is strict: a bad character, an
// impossible length or non-zero unused trailing bits throw CryptoError, so every byte
// string has exactly one text form.
std::string base64url_encode(std::span<const std::uint8_t> bytes);
Bytes base64url_decode(std::string_view text);

// `n` bytes from the operating system's CSPRNG (OpenSSL RAND_bytes).
Bytes random_bytes(std::size_t n);

// SM3 (GB/T 32905-2016) of `data`, as 32 bytes or 64 lower-case hex digits — the same
// as `openssl dgst -sm3`, which is what an auditor checks the ledger with.
Sm3Digest sm3(std::string_view data);
std::string sm3_hex(std::string_view data);

// SM3 over data given in pieces (e.g. previous hash ‖ canonical event JSON).
// Move-only; finish() may be called once, after which the hasher is spent.
class Sm3 {
 public:
  Sm3();

  Sm3& update(std::string_view data);
  Sm3& update(std::span<const std::uint8_t> data);
  Sm3Digest finish();
  std::string finish_hex();

 private:
  struct CtxFree {
    void operator()(evp_md_ctx_st* ctx) const;
  };
  std::unique_ptr<evp_md_ctx_st, CtxFree> ctx_;
};

// HMAC (RFC 2104) with SM3, as raw bytes; the same as `openssl dgst -sm3 -hmac KEY`.
Sm3Digest hmac_sm3(std::span<const std::uint8_t> key, std::string_view data);

// HMAC-SM3 of `value` under `key`, in hex: lets the hub find records with the same
// phone or ID number without storing them in clear. Normalize the value first
// (e.g. digits only, upper-case X) so that equal values hash equal.
std::string keyed_hash(std::span<const std::uint8_t> key, std::string_view value);

// Encrypts, hashes and masks PII for storage and display, from one 32-byte master key
// (64 hex digits in config). Separate keys are derived for each purpose, so the
// matching hash reveals nothing about the encryption key and either can be rotated by
// a new derivation label:
//   enc_key  = first 16 bytes of HMAC-SM3(master, "yizhan/pii/v1/sm4-cbc")
//   mac_key  = HMAC-SM3(master, "yizhan/pii/v1/mac")
//   hash_key = HMAC-SM3(master, "yizhan/pii/v1/hash")
// Sealed format (OpenSSL 3.0 has no SM4-GCM, so encrypt-then-MAC with SM4-CBC):
//   "v1." + base64url(iv[16] ‖ SM4-CBC-PKCS#7(enc_key, iv, plaintext) ‖ tag[16])
//   tag = first 16 bytes of HMAC-SM3(mac_key, "v1" ‖ u32be(len(context)) ‖ context ‖ iv ‖ ct)
// with a fresh random IV per value, so equal values encrypt differently. `context`
// (e.g. "reporter.phone") binds a value to its field: one moved to another field
// fails to decrypt. Immutable after construction, so safe to share between threads.
class PiiProtector {
 public:
  static constexpr std::size_t kMasterKeySize = 32;
  static constexpr std::string_view kSealedPrefix = "v1.";

  explicit PiiProtector(std::span<const std::uint8_t, kMasterKeySize> master_key);
  // From 64 hex digits; throws CryptoError (without echoing the key) otherwise.
  static PiiProtector from_hex(std::string_view master_key_hex);
  ~PiiProtector();  // wipes the derived keys
  PiiProtector(const PiiProtector&) = default;
  PiiProtector& operator=(const PiiProtector&) = default;

  std::string encrypt(std::string_view plaintext, std::string_view context = {}) const;
  // Throws DecryptError unless `sealed` came from encrypt() with the same master key and
  // context, unaltered.
  std::string decrypt(std::string_view sealed, std::string_view context = {}) const;
  // keyed_hash() under the derived hash key: the matching column for a PII field.
  std::string hash(std::string_view value) const;

  // Display masks, one '*' per hidden character (code point, so Chinese text is safe).
  // Too-short input to keep both ends and still hide something is masked entirely.
  // Phone: keep the first 3 and last 4 (13812341234 → 138****1234).
  static std::string mask_phone(std::string_view phone);
  // ID number: keep the first 6 (the issuing division) and the last 4; for an 18-digit
  // number this hides the birth date and sequence (140929199001011234 →
  // 140929********1234), as GB/T 35273 examples and most government portals do.
  static std::string mask_id_number(std::string_view id_number);
  // Name: keep the first character (the surname, usually), mask the rest:
  // 张三 → 张*, 欧阳娜娜 → 欧***. A one-character name becomes "*". Separators inside
  // a name (space, '·' as in 阿依古丽·买买提) are kept to show its shape.
  static std::string mask_name(std::string_view name);

 private:
  std::array<std::uint8_t, 16> enc_key_{};
  std::array<std::uint8_t, 32> mac_key_{};
  std::array<std::uint8_t, 32> hash_key_{};
};

}  // namespace yizhan::crypto
