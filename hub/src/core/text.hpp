// UTF-8 handling and the character-bigram keys behind search (docs/architecture.md §8).
//
// Chinese has no spaces, and both stores fail on two-character words (噪音, 漏水), so
// search indexes every pair of adjacent characters as one integer key. These functions
// define those keys; the index and the query side must use the same ones.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace yizhan::core {

// The replacement character decode_utf8 puts in place of each invalid byte.
inline constexpr char32_t kReplacementChar = U'\uFFFD';

// True if `text` is well-formed UTF-8 (Unicode 15, Table 3-7): no overlong forms,
// no surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequences.
bool is_valid_utf8(std::string_view text);

// Length in bytes of the well-formed sequence starting at text[pos], or 0 if the bytes
// there do not start one (or pos is past the end).
std::size_t utf8_sequence_length(std::string_view text, std::size_t pos);

// The code points of `text`. Each byte that does not begin a well-formed sequence
// becomes one U+FFFD, so decoding never fails and never skips input silently.
std::u32string decode_utf8(std::string_view text);

// UTF-8 for one code point (surrogates and values above U+10FFFF become U+FFFD).
void append_utf8(std::string& out, char32_t cp);
std::string encode_utf8(std::u32string_view text);

// The longest prefix of `text` of at most `max_bytes` bytes that does not cut a code
// point in two (an invalid byte counts as a unit of its own). For column limits.
std::string_view utf8_truncate(std::string_view text, std::size_t max_bytes);

// Search normalization of one code point: ASCII letters to lower case, full-width
// ASCII (U+FF01..U+FF5E) to its half-width form, U+3000 to a space. Others unchanged.
char32_t fold_for_search(char32_t cp);

// True for code points that separate words for search: whitespace, control
// characters, ASCII punctuation and symbols, Latin-1 punctuation (U+00A0..U+00BF,
// U+00D7, U+00F7), General Punctuation (U+2000..U+206F), CJK Symbols and Punctuation
// (U+3000..U+303F), U+30FB (・), CJK compatibility and small forms (U+FE10..U+FE1F,
// U+FE30..U+FE6F), half-width CJK punctuation (U+FF61..U+FF65), U+FEFF and U+FFFD.
// Apply to the folded code point (full-width punctuation folds to ASCII first).
bool is_search_separator(char32_t cp);

// The normalized runs of `text` between separators, each folded, none empty. A bigram
// is taken only inside one run, never across a separator.
std::vector<std::u32string> search_segments(std::string_view text);

// The index key of two adjacent code points: (first << 21) | second. A code point
// fits in 21 bits, so the key is unique, positive and below 2^42.
constexpr std::int64_t bigram_key(char32_t first, char32_t second) {
  return (static_cast<std::int64_t>(first) << 21) | static_cast<std::int64_t>(second);
}
// The two code points of a key, as UTF-8 text (for logs and tests).
std::string bigram_text(std::int64_t key);

// The keys to index `text` under: every bigram of every segment, sorted, unique.
// Text with no two adjacent characters (e.g. "门") has none.
std::vector<std::int64_t> bigram_keys(std::string_view text);

// The keys to look up for a query, in the order they occur in it, each once (first
// occurrence kept). A document matches only if it holds all of them; the caller then
// checks the actual text, since bigrams alone cannot tell "噪音扰" from "噪音 音扰".
// A query of single characters only (e.g. "门") yields none: the caller must scan.
std::vector<std::int64_t> query_bigrams(std::string_view query);

}  // namespace yizhan::core
