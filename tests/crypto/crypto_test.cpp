#include "crypto/crypto.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <set>

namespace {

using namespace yizhan::crypto;

std::span<const std::uint8_t> bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

const std::string kMasterHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const std::string kOtherHex = "ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

// Flips one bit in the base64url body of a sealed value, keeping it valid base64url.
std::string flip_char(std::string sealed, std::size_t pos) {
  char& c = sealed[pos];
  c = (c == 'A') ? 'B' : 'A';
  return sealed;
}

TEST(Sm3, MatchesTheStandardVectors) {
  // GB/T 32905-2016, appendix A.
  EXPECT_EQ(sm3_hex("abc"), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  EXPECT_EQ(sm3_hex("abcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcd"),
            "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
}

TEST(Sm3, MatchesOpensslDgstOnEmptyAndChineseInput) {
  // `printf '' | openssl dgst -sm3`, `printf '噪音扰民' | openssl dgst -sm3`
  EXPECT_EQ(sm3_hex(""), "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b");
  EXPECT_EQ(sm3_hex("噪音扰民"), "ee0202e611ae67a1d2a5a62ee39ef62a2a3ac3790ec664db3a3c40f065328e67");
}

TEST(Sm3, RawDigestIsTheHexDecoded) {
  const Sm3Digest d = sm3("abc");
  EXPECT_EQ(to_hex(d), sm3_hex("abc"));
  EXPECT_EQ(d[0], 0x66);
  EXPECT_EQ(d[31], 0xe0);
}

TEST(Sm3, IncrementalHashingEqualsOneShot) {
  const std::string text = "prev-hash-hex{\"event\":\"received\",\"title\":\"噪音扰民\"}";
  for (std::size_t split = 0; split <= text.size(); split += 7) {
    Sm3 h;
    h.update(std::string_view(text).substr(0, split)).update(std::string_view(text).substr(split));
    EXPECT_EQ(h.finish_hex(), sm3_hex(text)) << "split at " << split;
  }
  Sm3 h;
  for (char c : std::string("abc")) h.update(std::string_view(&c, 1));
  EXPECT_EQ(to_hex(h.finish()), sm3_hex("abc"));
}

TEST(Sm3, AcceptsByteSpans) {
  const std::uint8_t abc[] = {'a', 'b', 'c'};
  EXPECT_EQ(Sm3().update(std::span<const std::uint8_t>(abc)).finish_hex(), sm3_hex("abc"));
}

TEST(Sm3, AFinishedOrMovedFromHasherRefusesMoreInput) {
  Sm3 h;
  h.update("abc");
  Sm3 moved = std::move(h);
  EXPECT_THROW(h.update("x"), CryptoError);  // NOLINT(bugprone-use-after-move): that is the point
  EXPECT_EQ(moved.finish_hex(), sm3_hex("abc"));
  EXPECT_THROW(moved.finish(), CryptoError);
}

TEST(HmacSm3, MatchesOpensslDgstHmac) {
  // `printf 'what do ya want for nothing?' | openssl dgst -sm3 -hmac Jefe`
  EXPECT_EQ(to_hex(hmac_sm3(bytes("Jefe"), "what do ya want for nothing?")),
            "2e87f1d16862e6d964b50a5200bf2b10b764faa9680a296a2405f24bec39f882");
  EXPECT_EQ(keyed_hash(bytes("yizhan-test-key"), "13800138000"),
            "1bd097ca3ec70e5cf9a48acc5adfa4f64b8e011f6cf60a7c56819b8da5b06ae7");
}

TEST(HmacSm3, DependsOnKeyAndValue) {
  EXPECT_NE(keyed_hash(bytes("k1"), "13800138000"), keyed_hash(bytes("k2"), "13800138000"));
  EXPECT_NE(keyed_hash(bytes("k1"), "13800138000"), keyed_hash(bytes("k1"), "13800138001"));
  EXPECT_EQ(keyed_hash(bytes("k1"), "13800138000"), keyed_hash(bytes("k1"), "13800138000"));
  EXPECT_EQ(keyed_hash({}, "x").size(), 64u);  // an empty key is allowed by HMAC
}

TEST(Hex, RoundTripsAndRejectsBadText) {
  const Bytes b = {0x00, 0x7f, 0x80, 0xff};
  EXPECT_EQ(to_hex(b), "007f80ff");
  EXPECT_EQ(from_hex("007F80ff"), b);
  EXPECT_THROW(from_hex("abc"), CryptoError);
  EXPECT_THROW(from_hex("zz"), CryptoError);
}

TEST(Base64Url, MatchesRfc4648Vectors) {
  // RFC 4648 §10 without padding.
  EXPECT_EQ(base64url_encode(bytes("")), "");
  EXPECT_EQ(base64url_encode(bytes("f")), "Zg");
  EXPECT_EQ(base64url_encode(bytes("fo")), "Zm8");
  EXPECT_EQ(base64url_encode(bytes("foo")), "Zm9v");
  EXPECT_EQ(base64url_encode(bytes("foobar")), "Zm9vYmFy");
  const Bytes high = {0xfb, 0xff, 0xfe};
  EXPECT_EQ(base64url_encode(high), "-__-");
  EXPECT_EQ(base64url_decode("-__-"), high);
  EXPECT_EQ(base64url_decode("Zm8"), Bytes({'f', 'o'}));
}

TEST(Base64Url, DecodingIsStrict) {
  EXPECT_THROW(base64url_decode("Zm9v="), CryptoError);  // padding is not part of the form
  EXPECT_THROW(base64url_decode("Zm+v"), CryptoError);   // standard alphabet
  EXPECT_THROW(base64url_decode("Z"), CryptoError);      // impossible length
  EXPECT_THROW(base64url_decode("Zh"), CryptoError);     // non-zero trailing bits ("Zg" is canonical)
}

TEST(PiiProtector, EncryptDecryptRoundTrips) {
  const auto p = PiiProtector::from_hex(kMasterHex);
  for (std::string v : {"13812341234", "张三", "阿依古丽·买买提", "140929199001011234", "", "0123456789abcdef",
                        "山西省忻州市岢岚县岚漪镇某某村 3 号院"}) {
    const std::string sealed = p.encrypt(v);
    EXPECT_TRUE(sealed.starts_with("v1.")) << sealed;
    EXPECT_EQ(sealed.find(v.empty() ? "\x01" : v), std::string::npos);
    EXPECT_EQ(p.decrypt(sealed), v);
  }
}

TEST(PiiProtector, SealedTextIsCompactUrlSafeAscii) {
  const auto p = PiiProtector::from_hex(kMasterHex);
  const std::string sealed = p.encrypt("13812341234");
  // 16 IV + 16 ciphertext + 16 tag = 48 bytes = 64 base64url characters.
  EXPECT_EQ(sealed.size(), 3u + 64u);
  for (char c : sealed.substr(3)) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
}

TEST(PiiProtector, EqualValuesEncryptDifferently) {
  const auto p = PiiProtector::from_hex(kMasterHex);
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) seen.insert(p.encrypt("13812341234"));
  EXPECT_EQ(seen.size(), 20u);
}

TEST(PiiProtector, DetectsTamperingAnywhere) {
  const auto p = PiiProtector::from_hex(kMasterHex);
  const std::string sealed = p.encrypt("13812341234");
  for (std::size_t pos = 3; pos < sealed.size(); ++pos)  // IV, ciphertext and tag
    EXPECT_THROW(p.decrypt(flip_char(sealed, pos)), DecryptError) << "position " << pos;
  EXPECT_THROW(p.decrypt(sealed.substr(0, sealed.size() - 22)), DecryptError);  // a block dropped
  EXPECT_THROW(p.decrypt(sealed + "AAAAAAAAAAAAAAAAAAAAAA"), DecryptError);
  EXPECT_THROW(p.decrypt("v2." + sealed.substr(3)), DecryptError);
  EXPECT_THROW(p.decrypt("13812341234"), DecryptError);
  EXPECT_THROW(p.decrypt("v1.!!!"), DecryptError);
  EXPECT_THROW(p.decrypt("v1."), DecryptError);
}

TEST(PiiProtector, RejectsAnotherKeysValues) {
  const auto p = PiiProtector::from_hex(kMasterHex);
  const auto q = PiiProtector::from_hex(kOtherHex);
  EXPECT_THROW(q.decrypt(p.encrypt("13812341234")), DecryptError);
}

TEST(PiiProtector, ContextBindsAValueToItsField) {
  const auto p = PiiProtector::from_hex(kMasterHex);
  const std::string sealed = p.encrypt("13812341234", "reporter.phone");
  EXPECT_EQ(p.decrypt(sealed, "reporter.phone"), "13812341234");
  EXPECT_THROW(p.decrypt(sealed, "reporter.name"), DecryptError);
  EXPECT_THROW(p.decrypt(sealed), DecryptError);
}

TEST(PiiProtector, HashIsKeyedStableAndSeparateFromThePlainKeyedHash) {
  const auto p = PiiProtector::from_hex(kMasterHex);
  const auto q = PiiProtector::from_hex(kOtherHex);
  EXPECT_EQ(p.hash("13812341234"), p.hash("13812341234"));
  EXPECT_NE(p.hash("13812341234"), p.hash("13812341235"));
  EXPECT_NE(p.hash("13812341234"), q.hash("13812341234"));
  EXPECT_EQ(p.hash("13812341234").size(), 64u);
  // The hash key is derived, not the master key itself.
  const Bytes master = from_hex(kMasterHex);
  EXPECT_NE(p.hash("13812341234"), keyed_hash(master, "13812341234"));
  const Bytes derived = from_hex(to_hex(hmac_sm3(master, "yizhan/pii/v1/hash")));
  EXPECT_EQ(p.hash("13812341234"), keyed_hash(derived, "13812341234"));
}

TEST(PiiProtector, MasterKeyMustBe64HexDigits) {
  EXPECT_THROW(PiiProtector::from_hex(""), CryptoError);
  EXPECT_THROW(PiiProtector::from_hex(kMasterHex.substr(2)), CryptoError);
  EXPECT_THROW(PiiProtector::from_hex(kMasterHex + "00"), CryptoError);
  std::string bad = kMasterHex;
  bad[10] = 'g';
  try {
    PiiProtector::from_hex(bad);
    FAIL() << "expected CryptoError";
  } catch (const CryptoError& e) {
    EXPECT_EQ(std::string(e.what()).find(bad), std::string::npos) << "the key must not be echoed";
  }
  const Bytes raw = from_hex(kMasterHex);
  const PiiProtector direct(std::span<const std::uint8_t, 32>(raw.data(), 32));
  EXPECT_EQ(direct.decrypt(PiiProtector::from_hex(kMasterHex).encrypt("x")), "x");
}

TEST(PiiProtector, MasksPhoneNumbers) {
  EXPECT_EQ(PiiProtector::mask_phone("13812341234"), "138****1234");
  EXPECT_EQ(PiiProtector::mask_phone("03515551234"), "035****1234");
  EXPECT_EQ(PiiProtector::mask_phone("+8613812341234"), "+86*******1234");
  EXPECT_EQ(PiiProtector::mask_phone("12345678"), "123*5678");
  EXPECT_EQ(PiiProtector::mask_phone("1234567"), "*******");  // too short to show both ends
  EXPECT_EQ(PiiProtector::mask_phone("12345"), "*****");
  EXPECT_EQ(PiiProtector::mask_phone(""), "");
}

TEST(PiiProtector, MasksIdNumbers) {
  EXPECT_EQ(PiiProtector::mask_id_number("140929199001011234"), "140929********1234");
  EXPECT_EQ(PiiProtector::mask_id_number("14092919900101123X"), "140929********123X");
  EXPECT_EQ(PiiProtector::mask_id_number("140929900101123"), "140929*****1123");  // old 15-digit
  EXPECT_EQ(PiiProtector::mask_id_number("1234567890"), "**********");
}

TEST(PiiProtector, MasksChineseNamesKeepingTheFirstCharacter) {
  EXPECT_EQ(PiiProtector::mask_name("张三"), "张*");
  EXPECT_EQ(PiiProtector::mask_name("张三丰"), "张**");
  EXPECT_EQ(PiiProtector::mask_name("欧阳娜娜"), "欧***");
  EXPECT_EQ(PiiProtector::mask_name("阿依古丽·买买提"), "阿***·***");
  EXPECT_EQ(PiiProtector::mask_name("李"), "*");
  EXPECT_EQ(PiiProtector::mask_name("Li Lei"), "L* ***");
  EXPECT_EQ(PiiProtector::mask_name(""), "");
}

TEST(PiiProtector, MasksNeverSplitAChineseCharacter) {
  const std::string masked = PiiProtector::mask_phone("一二三四五六七八九十");
  EXPECT_EQ(masked, "一二三***七八九十");
}

}  // namespace
