#include "core/text.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace {

using namespace yizhan::core;

std::vector<std::string> texts(const std::vector<std::int64_t>& keys) {
  std::vector<std::string> out;
  for (auto k : keys) out.push_back(bigram_text(k));
  return out;
}

TEST(Utf8, AcceptsWellFormedTextOfEveryLength) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("é"));            // 2 bytes
  EXPECT_TRUE(is_valid_utf8("噪音扰民"));      // 3 bytes each
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x98\x80"));  // U+1F600, 4 bytes
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
  EXPECT_TRUE(is_valid_utf8("\xED\x9F\xBF"));      // U+D7FF, just below the surrogates
  EXPECT_TRUE(is_valid_utf8("\xEE\x80\x80"));      // U+E000, just above them
  EXPECT_TRUE(is_valid_utf8(std::string_view("a\0b", 3)));
}

TEST(Utf8, RejectsOverlongForms) {
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // '/' in 2 bytes
  EXPECT_FALSE(is_valid_utf8("\xC1\xBF"));
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // '/' in 3 bytes
  EXPECT_FALSE(is_valid_utf8("\xE0\x9F\xBF"));      // U+07FF in 3 bytes
  EXPECT_FALSE(is_valid_utf8("\xF0\x80\x80\xAF"));  // '/' in 4 bytes
  EXPECT_FALSE(is_valid_utf8("\xF0\x8F\xBF\xBF"));  // U+FFFF in 4 bytes
}

TEST(Utf8, RejectsSurrogatesAndValuesAboveTheLastCodePoint) {
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // U+D800
  EXPECT_FALSE(is_valid_utf8("\xED\xBF\xBF"));      // U+DFFF
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\xBD\xED\xB8\x80"));  // CESU-8 pair
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(is_valid_utf8("\xFF"));
  EXPECT_FALSE(is_valid_utf8("\xFE"));
}

TEST(Utf8, RejectsTruncatedAndStraySequences) {
  EXPECT_FALSE(is_valid_utf8("\xE5\x99"));          // 噪 missing its last byte
  EXPECT_FALSE(is_valid_utf8("噪\xE9\x9F"));        // 音 cut at the end
  EXPECT_FALSE(is_valid_utf8("\xF0\x9F\x98"));
  EXPECT_FALSE(is_valid_utf8("\xC3"));
  EXPECT_FALSE(is_valid_utf8("\x80"));              // a lone continuation byte
  EXPECT_FALSE(is_valid_utf8("a\xBF" "b"));
  EXPECT_FALSE(is_valid_utf8("\xE5" "a\x99"));      // lead byte followed by ASCII
}

TEST(Utf8, DecodesCodePoints) {
  EXPECT_EQ(decode_utf8("a噪😀"), (std::u32string{U'a', U'噪', U'\U0001F600'}));
  EXPECT_EQ(decode_utf8(""), std::u32string{});
}

TEST(Utf8, DecodeReplacesEachBadByteAndKeepsGoing) {
  EXPECT_EQ(decode_utf8("a\xFF" "b"), (std::u32string{U'a', kReplacementChar, U'b'}));
  EXPECT_EQ(decode_utf8("\xE5\x99"), (std::u32string{kReplacementChar, kReplacementChar}));
  EXPECT_EQ(decode_utf8("\xED\xA0\x80" "x"),
            (std::u32string{kReplacementChar, kReplacementChar, kReplacementChar, U'x'}));
}

TEST(Utf8, EncodeRoundTripsDecode) {
  const std::string s = "噪音 noise é 😀 \xF4\x8F\xBF\xBF";
  EXPECT_EQ(encode_utf8(decode_utf8(s)), s);
  std::string out;
  append_utf8(out, 0xD800);
  EXPECT_EQ(out, "\xEF\xBF\xBD");
}

TEST(Utf8, TruncateNeverCutsACodePoint) {
  const std::string s = "噪音扰民";  // 12 bytes
  EXPECT_EQ(utf8_truncate(s, 100), s);
  EXPECT_EQ(utf8_truncate(s, 12), s);
  EXPECT_EQ(utf8_truncate(s, 11), "噪音扰");
  EXPECT_EQ(utf8_truncate(s, 9), "噪音扰");
  EXPECT_EQ(utf8_truncate(s, 4), "噪");
  EXPECT_EQ(utf8_truncate(s, 2), "");
  EXPECT_EQ(utf8_truncate(s, 0), "");
  EXPECT_EQ(utf8_truncate("ab😀", 5), "ab");
  EXPECT_EQ(utf8_truncate("ab😀", 6), "ab😀");
}

TEST(Utf8, TruncateTreatsInvalidBytesAsSingleUnits) {
  EXPECT_EQ(utf8_truncate("a\xFF\xFF" "b", 2), "a\xFF");
  EXPECT_EQ(utf8_truncate("a\x80噪", 3), "a\x80");
}

TEST(Bigrams, TwoCharacterWordGivesExactlyOneKey) {
  const auto keys = bigram_keys("噪音");
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0], (std::int64_t{U'噪'} << 21) | U'音');
  EXPECT_EQ(bigram_text(keys[0]), "噪音");
}

TEST(Bigrams, FourCharactersGiveThreeOverlappingKeys) {
  EXPECT_EQ(bigram_keys("噪音扰民").size(), 3u);
  EXPECT_EQ(texts(query_bigrams("噪音扰民")), (std::vector<std::string>{"噪音", "音扰", "扰民"}));
}

TEST(Bigrams, IndexKeysAreSortedAndUnique) {
  const auto keys = bigram_keys("漏水漏水漏水");  // 漏水, 水漏, 漏水, ...
  EXPECT_EQ(keys.size(), 2u);
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
}

TEST(Bigrams, QueryKeysKeepTextOrderAndDropRepeats) {
  EXPECT_EQ(texts(query_bigrams("漏水漏水")), (std::vector<std::string>{"漏水", "水漏"}));
}

TEST(Bigrams, NeverSpanASeparator) {
  // Space, full-width comma, ideographic full stop and ASCII punctuation all separate.
  EXPECT_EQ(texts(query_bigrams("噪音 扰民")), (std::vector<std::string>{"噪音", "扰民"}));
  EXPECT_EQ(texts(query_bigrams("噪音，扰民。楼上")), (std::vector<std::string>{"噪音", "扰民", "楼上"}));
  EXPECT_EQ(texts(query_bigrams("噪音!扰民")), (std::vector<std::string>{"噪音", "扰民"}));
  EXPECT_EQ(texts(query_bigrams("“噪音”、《扰民》")), (std::vector<std::string>{"噪音", "扰民"}));
  EXPECT_EQ(texts(query_bigrams("阿依古丽·买买提")), (std::vector<std::string>{"阿依", "依古", "古丽", "买买", "买提"}));
  EXPECT_TRUE(bigram_keys("噪 音").empty());
}

TEST(Bigrams, SingleCharactersAndEmptyTextGiveNone) {
  EXPECT_TRUE(bigram_keys("").empty());
  EXPECT_TRUE(bigram_keys("门").empty());
  EXPECT_TRUE(query_bigrams("，。 !").empty());
}

TEST(Bigrams, MixedAsciiIsLowerCasedAndJoinsChineseWithinARun) {
  EXPECT_EQ(texts(query_bigrams("WiFi信号差")), (std::vector<std::string>{"wi", "if", "fi", "i信", "信号", "号差"}));
  EXPECT_EQ(bigram_keys("WIFI"), bigram_keys("wifi"));
  EXPECT_EQ(texts(query_bigrams("3号楼")), (std::vector<std::string>{"3号", "号楼"}));
}

TEST(Bigrams, FullWidthAsciiFoldsToHalfWidth) {
  EXPECT_EQ(bigram_keys("ＷｉＦｉ"), bigram_keys("wifi"));
  EXPECT_EQ(bigram_keys("１２３４５"), bigram_keys("12345"));
  EXPECT_EQ(texts(query_bigrams("ＡＢ　ＣＤ")), (std::vector<std::string>{"ab", "cd"}));  // U+3000 separates
}

TEST(Bigrams, InvalidBytesActAsSeparators) {
  EXPECT_EQ(texts(query_bigrams("噪音\xFF扰民")), (std::vector<std::string>{"噪音", "扰民"}));
}

TEST(Bigrams, IndexCoversEveryQueryKeyOfASubstring) {
  const std::string doc = "小区楼上装修噪音扰民，夜间施工，多次协调无果。";
  const auto index = bigram_keys(doc);
  for (const char* q : {"噪音", "扰民", "噪音扰民", "夜间施工", "协调"}) {
    for (auto k : query_bigrams(q)) EXPECT_TRUE(std::binary_search(index.begin(), index.end(), k)) << q;
  }
  EXPECT_FALSE(std::binary_search(index.begin(), index.end(), query_bigrams("漏水")[0]));
}

TEST(Bigrams, KeysFitIn42Bits) {
  const auto k = bigram_key(0x10FFFF, 0x10FFFF);
  EXPECT_LT(k, std::int64_t{1} << 42);
  EXPECT_GT(k, 0);
  EXPECT_EQ(bigram_text(k), "\xF4\x8F\xBF\xBF\xF4\x8F\xBF\xBF");
}

}  // namespace
