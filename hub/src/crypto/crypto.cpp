#include "crypto/crypto.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "core/text.hpp"

namespace yizhan::crypto {

namespace {

// The text of OpenSSL's most recent error, to say why a call failed.
[[noreturn]] void throw_openssl(std::string_view what) {
  std::string message(what);
  if (unsigned long code = ERR_get_error(); code != 0) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    message += ": ";
    message += buf;
  }
  ERR_clear_error();
  throw CryptoError(message);
}

struct MdDeleter {
  void operator()(EVP_MD* p) const { EVP_MD_free(p); }
};
struct CipherDeleter {
  void operator()(EVP_CIPHER* p) const { EVP_CIPHER_free(p); }
};
struct MacDeleter {
  void operator()(EVP_MAC* p) const { EVP_MAC_free(p); }
};
struct MacCtxDeleter {
  void operator()(EVP_MAC_CTX* p) const { EVP_MAC_CTX_free(p); }
};
struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* p) const { EVP_CIPHER_CTX_free(p); }
};

// Fetched once per process (fetching is costly and the objects are immutable and
// thread-safe once fetched).
const EVP_MD* sm3_md() {
  static const std::unique_ptr<EVP_MD, MdDeleter> md{EVP_MD_fetch(nullptr, "SM3", nullptr)};
  if (!md) throw_openssl("SM3 is not available from the OpenSSL default provider");
  return md.get();
}

const EVP_CIPHER* sm4_cbc() {
  static const std::unique_ptr<EVP_CIPHER, CipherDeleter> cipher{EVP_CIPHER_fetch(nullptr, "SM4-CBC", nullptr)};
  if (!cipher) throw_openssl("SM4-CBC is not available from the OpenSSL default provider");
  return cipher.get();
}

EVP_MAC* hmac() {
  static const std::unique_ptr<EVP_MAC, MacDeleter> mac{EVP_MAC_fetch(nullptr, "HMAC", nullptr)};
  if (!mac) throw_openssl("HMAC is not available from the OpenSSL default provider");
  return mac.get();
}

const std::uint8_t* bytes_of(std::string_view s) { return reinterpret_cast<const std::uint8_t*>(s.data()); }

// HMAC-SM3 over several pieces.
Sm3Digest hmac_sm3_parts(std::span<const std::uint8_t> key,
                         std::initializer_list<std::span<const std::uint8_t>> parts) {
  std::unique_ptr<EVP_MAC_CTX, MacCtxDeleter> ctx{EVP_MAC_CTX_new(hmac())};
  if (!ctx) throw_openssl("EVP_MAC_CTX_new");
  char digest_name[] = "SM3";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
                         OSSL_PARAM_construct_end()};
  // OpenSSL rejects a null key pointer even when its length is 0.
  static const std::uint8_t empty_key = 0;
  const std::uint8_t* key_ptr = key.empty() ? &empty_key : key.data();
  if (EVP_MAC_init(ctx.get(), key_ptr, key.size(), params) != 1) throw_openssl("HMAC-SM3 init");
  for (auto part : parts)
    if (!part.empty() && EVP_MAC_update(ctx.get(), part.data(), part.size()) != 1) throw_openssl("HMAC-SM3 update");
  Sm3Digest out{};
  std::size_t len = 0;
  if (EVP_MAC_final(ctx.get(), out.data(), &len, out.size()) != 1 || len != out.size()) throw_openssl("HMAC-SM3 final");
  return out;
}

std::span<const std::uint8_t> as_bytes(std::string_view s) { return {bytes_of(s), s.size()}; }

constexpr char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int base64url_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr std::size_t kIvSize = 16;
constexpr std::size_t kTagSize = 16;
constexpr std::size_t kBlockSize = 16;
constexpr std::string_view kVersionLabel = "v1";

}  // namespace

std::string to_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (auto b : bytes) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 0x0F]);
  }
  return out;
}

Bytes from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0)
    throw CryptoError("hex text has an odd number of digits (" + std::to_string(hex.size()) + ")");
  Bytes out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0)
      throw CryptoError("hex text has a non-hex character at offset " + std::to_string(hi < 0 ? 2 * i : 2 * i + 1));
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return out;
}

std::string base64url_encode(std::span<const std::uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = std::uint32_t(bytes[i]) << 16 | std::uint32_t(bytes[i + 1]) << 8 | bytes[i + 2];
    out.push_back(kBase64Url[v >> 18 & 63]);
    out.push_back(kBase64Url[v >> 12 & 63]);
    out.push_back(kBase64Url[v >> 6 & 63]);
    out.push_back(kBase64Url[v & 63]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const std::uint32_t v = std::uint32_t(bytes[i]) << 16;
    out.push_back(kBase64Url[v >> 18 & 63]);
    out.push_back(kBase64Url[v >> 12 & 63]);
  } else if (rest == 2) {
    const std::uint32_t v = std::uint32_t(bytes[i]) << 16 | std::uint32_t(bytes[i + 1]) << 8;
    out.push_back(kBase64Url[v >> 18 & 63]);
    out.push_back(kBase64Url[v >> 12 & 63]);
    out.push_back(kBase64Url[v >> 6 & 63]);
  }
  return out;
}

Bytes base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1)
    throw CryptoError("base64url text has an impossible length (" + std::to_string(text.size()) + ")");
  Bytes out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const int v = base64url_value(text[i]);
    if (v < 0) throw CryptoError("base64url text has an invalid character at offset " + std::to_string(i));
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>(acc >> bits));
      acc &= (1u << bits) - 1;
    }
  }
  if (acc != 0) throw CryptoError("base64url text has non-zero trailing bits");
  return out;
}

void Sm3::CtxFree::operator()(evp_md_ctx_st* ctx) const { EVP_MD_CTX_free(ctx); }

Sm3::Sm3() : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_ || EVP_DigestInit_ex2(ctx_.get(), sm3_md(), nullptr) != 1) throw_openssl("SM3 init");
}

Sm3& Sm3::update(std::string_view data) { return update(as_bytes(data)); }

Sm3& Sm3::update(std::span<const std::uint8_t> data) {
  if (!ctx_) throw CryptoError("Sm3::update on a finished or moved-from hasher");
  if (!data.empty() && EVP_DigestUpdate(ctx_.get(), data.data(), data.size()) != 1) throw_openssl("SM3 update");
  return *this;
}

Sm3Digest Sm3::finish() {
  if (!ctx_) throw CryptoError("Sm3::finish on a finished or moved-from hasher");
  Sm3Digest out{};
  unsigned int len = 0;
  const int ok = EVP_DigestFinal_ex(ctx_.get(), out.data(), &len);
  ctx_.reset();
  if (ok != 1 || len != out.size()) throw_openssl("SM3 final");
  return out;
}

std::string Sm3::finish_hex() { return to_hex(finish()); }

Sm3Digest sm3(std::string_view data) { return Sm3().update(data).finish(); }

std::string sm3_hex(std::string_view data) { return to_hex(sm3(data)); }

Sm3Digest hmac_sm3(std::span<const std::uint8_t> key, std::string_view data) {
  return hmac_sm3_parts(key, {as_bytes(data)});
}

std::string keyed_hash(std::span<const std::uint8_t> key, std::string_view value) {
  return to_hex(hmac_sm3(key, value));
}

// ---- PiiProtector ----

PiiProtector::PiiProtector(std::span<const std::uint8_t, kMasterKeySize> master_key) {
  auto enc = hmac_sm3(master_key, "yizhan/pii/v1/sm4-cbc");
  std::copy_n(enc.begin(), enc_key_.size(), enc_key_.begin());
  OPENSSL_cleanse(enc.data(), enc.size());
  mac_key_ = hmac_sm3(master_key, "yizhan/pii/v1/mac");
  hash_key_ = hmac_sm3(master_key, "yizhan/pii/v1/hash");
}

PiiProtector PiiProtector::from_hex(std::string_view master_key_hex) {
  if (master_key_hex.size() != 2 * kMasterKeySize)
    throw CryptoError("PII master key must be " + std::to_string(2 * kMasterKeySize) + " hex digits (32 bytes), got " +
                      std::to_string(master_key_hex.size()) + " characters");
  Bytes key;
  try {
    key = crypto::from_hex(master_key_hex);
  } catch (const CryptoError&) {
    throw CryptoError("PII master key must be hex digits only (0-9, a-f)");
  }
  PiiProtector p(std::span<const std::uint8_t, kMasterKeySize>(key.data(), kMasterKeySize));
  OPENSSL_cleanse(key.data(), key.size());
  return p;
}

PiiProtector::~PiiProtector() {
  OPENSSL_cleanse(enc_key_.data(), enc_key_.size());
  OPENSSL_cleanse(mac_key_.data(), mac_key_.size());
  OPENSSL_cleanse(hash_key_.data(), hash_key_.size());
}

namespace {

std::array<std::uint8_t, kTagSize> seal_tag(std::span<const std::uint8_t> mac_key, std::string_view context,
                                            std::span<const std::uint8_t> iv, std::span<const std::uint8_t> ct) {
  const auto n = static_cast<std::uint32_t>(context.size());
  const std::uint8_t len_be[4] = {std::uint8_t(n >> 24), std::uint8_t(n >> 16), std::uint8_t(n >> 8), std::uint8_t(n)};
  const auto full = hmac_sm3_parts(mac_key, {as_bytes(kVersionLabel), len_be, as_bytes(context), iv, ct});
  std::array<std::uint8_t, kTagSize> tag{};
  std::copy_n(full.begin(), kTagSize, tag.begin());
  return tag;
}

// SM4-CBC with PKCS#7 padding, one direction.
Bytes sm4_cbc_run(bool encrypt, std::span<const std::uint8_t, 16> key, std::span<const std::uint8_t> iv,
                  std::span<const std::uint8_t> in) {
  std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter> ctx{EVP_CIPHER_CTX_new()};
  if (!ctx) throw_openssl("EVP_CIPHER_CTX_new");
  if (EVP_CipherInit_ex2(ctx.get(), sm4_cbc(), key.data(), iv.data(), encrypt ? 1 : 0, nullptr) != 1)
    throw_openssl("SM4-CBC init");
  Bytes out(in.size() + kBlockSize);
  int len1 = 0, len2 = 0;
  if (!in.empty() && EVP_CipherUpdate(ctx.get(), out.data(), &len1, in.data(), static_cast<int>(in.size())) != 1)
    throw_openssl("SM4-CBC update");
  if (EVP_CipherFinal_ex(ctx.get(), out.data() + len1, &len2) != 1) {
    ERR_clear_error();
    throw DecryptError("SM4-CBC padding is invalid");
  }
  out.resize(static_cast<std::size_t>(len1 + len2));
  return out;
}

}  // namespace

Bytes random_bytes(std::size_t n) {
  Bytes out(n);
  if (n && RAND_bytes(out.data(), static_cast<int>(n)) != 1) throw_openssl("RAND_bytes");
  return out;
}

std::string PiiProtector::encrypt(std::string_view plaintext, std::string_view context) const {
  std::array<std::uint8_t, kIvSize> iv{};
  if (RAND_bytes(iv.data(), static_cast<int>(iv.size())) != 1) throw_openssl("RAND_bytes for the SM4 IV");
  const Bytes ct = sm4_cbc_run(true, enc_key_, iv, as_bytes(plaintext));
  const auto tag = seal_tag(mac_key_, context, iv, ct);
  Bytes blob;
  blob.reserve(iv.size() + ct.size() + tag.size());
  blob.insert(blob.end(), iv.begin(), iv.end());
  blob.insert(blob.end(), ct.begin(), ct.end());
  blob.insert(blob.end(), tag.begin(), tag.end());
  return std::string(kSealedPrefix) + base64url_encode(blob);
}

std::string PiiProtector::decrypt(std::string_view sealed, std::string_view context) const {
  if (!sealed.starts_with(kSealedPrefix)) throw DecryptError("sealed PII value does not start with \"v1.\"");
  Bytes blob;
  try {
    blob = base64url_decode(sealed.substr(kSealedPrefix.size()));
  } catch (const CryptoError& e) {
    throw DecryptError(std::string("sealed PII value is not valid base64url: ") + e.what());
  }
  if (blob.size() < kIvSize + kBlockSize + kTagSize || (blob.size() - kIvSize - kTagSize) % kBlockSize != 0)
    throw DecryptError("sealed PII value has an impossible length (" + std::to_string(blob.size()) + " bytes)");
  const std::span<const std::uint8_t> all(blob);
  const auto iv = all.first(kIvSize);
  const auto ct = all.subspan(kIvSize, blob.size() - kIvSize - kTagSize);
  const auto tag = all.last(kTagSize);
  const auto expected = seal_tag(mac_key_, context, iv, ct);
  if (CRYPTO_memcmp(expected.data(), tag.data(), kTagSize) != 0)
    throw DecryptError("sealed PII value failed authentication (altered, another key, or another field's value)");
  const Bytes plain = sm4_cbc_run(false, enc_key_, iv, ct);
  return std::string(plain.begin(), plain.end());
}

std::string PiiProtector::hash(std::string_view value) const { return keyed_hash(hash_key_, value); }

// ---- masks ----

namespace {

std::string mask_middle(std::string_view text, std::size_t keep_front, std::size_t keep_back) {
  const std::u32string cps = core::decode_utf8(text);
  const std::size_t n = cps.size();
  if (n <= keep_front + keep_back) return std::string(n, '*');
  std::u32string out = cps;
  for (std::size_t i = keep_front; i < n - keep_back; ++i) out[i] = U'*';
  return core::encode_utf8(out);
}

}  // namespace

std::string PiiProtector::mask_phone(std::string_view phone) { return mask_middle(phone, 3, 4); }

std::string PiiProtector::mask_id_number(std::string_view id_number) { return mask_middle(id_number, 6, 4); }

std::string PiiProtector::mask_name(std::string_view name) {
  std::u32string cps = core::decode_utf8(name);
  if (cps.size() <= 1) return std::string(cps.size(), '*');
  for (std::size_t i = 1; i < cps.size(); ++i) {
    const char32_t c = cps[i];
    const bool separator = c == U' ' || c == U'\u00B7' || c == U'\u2022' || c == U'\u30FB' || c == U'\u3000';
    if (!separator) cps[i] = U'*';
  }
  return core::encode_utf8(cps);
}

}  // namespace yizhan::crypto
