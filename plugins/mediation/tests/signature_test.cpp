// The request signature, checked against a published HMAC-SHA256 vector and its checks' order.
#include "signature.hpp"

#include <gtest/gtest.h>

namespace {
using namespace yizhan::plugins::mediation;
using std::chrono::seconds;

TEST(Signature, HmacSha256MatchesRfc4231TestCase2) {
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Signature, SignsTimestampNonceAndBodyJoinedByNewlines) {
  EXPECT_EQ(sign("k", "1772330000", "abc", "{}"), hmac_sha256_hex("k", "1772330000\nabc\n{}"));
}

TEST(Signature, VerifiesAGenuineRequestAndUpperCaseHex) {
  auto now = std::chrono::system_clock::time_point(seconds(1772330000));
  std::string sig = sign("s3", "1772330000", "n1", "body");
  EXPECT_FALSE(verify({"1772330000", "n1", sig}, "body", "s3", seconds(300), now));
  for (char& c : sig) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_FALSE(verify({"1772330000", "n1", sig}, "body", "s3", seconds(300), now));
}

TEST(Signature, NamesTheCheckThatFailedAndNeverTheSecret) {
  auto now = std::chrono::system_clock::time_point(seconds(1772330000));
  const std::string sig = sign("s3cr3t", "1772330000", "n1", "body");
  auto missing = verify({"1772330000", "n1", ""}, "body", "s3cr3t", seconds(300), now);
  ASSERT_TRUE(missing);
  EXPECT_NE(missing->find("X-Mediation-Signature"), std::string::npos);
  auto tampered = verify({"1772330000", "n1", sig}, "body!", "s3cr3t", seconds(300), now);
  ASSERT_TRUE(tampered);
  EXPECT_NE(tampered->find("signature does not verify"), std::string::npos);
  EXPECT_EQ(tampered->find("s3cr3t"), std::string::npos);
  EXPECT_EQ(tampered->find(sig), std::string::npos) << "the expected signature must not be shown";
  // Correctly signed but 301 s old: the window, not the signature.
  auto late = verify({"1772330000", "n1", sig}, "body", "s3cr3t", seconds(300), now + seconds(301));
  ASSERT_TRUE(late);
  EXPECT_NE(late->find("timestamp outside the window"), std::string::npos) << *late;
  EXPECT_NE(late->find("301 s behind"), std::string::npos) << *late;
  EXPECT_FALSE(verify({"1772330000", "n1", sig}, "body", "s3cr3t", seconds(300), now + seconds(300)));
  auto ahead = verify({"1772330000", "n1", sig}, "body", "s3cr3t", seconds(300), now - seconds(400));
  ASSERT_TRUE(ahead);
  EXPECT_NE(ahead->find("ahead of"), std::string::npos);
}

TEST(Signature, ConstantTimeEqualComparesWholeStrings) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
}

}  // namespace
