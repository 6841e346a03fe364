#include "core/text.hpp"

#include <algorithm>
#include <unordered_set>

namespace yizhan::core {

namespace {

constexpr bool in(unsigned char b, unsigned char lo, unsigned char hi) { return b >= lo && b <= hi; }

// Decodes the sequence of known-good `len` bytes at p.
char32_t decode_at(const unsigned char* p, std::size_t len) {
  switch (len) {
    case 1:
      return p[0];
    case 2:
      return (char32_t(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
    case 3:
      return (char32_t(p[0] & 0x0F) << 12) | (char32_t(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    default:
      return (char32_t(p[0] & 0x07) << 18) | (char32_t(p[1] & 0x3F) << 12) | (char32_t(p[2] & 0x3F) << 6) |
             (p[3] & 0x3F);
  }
}

}  // namespace

std::size_t utf8_sequence_length(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return 0;
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[pos + i]); };
  const std::size_t left = text.size() - pos;
  const unsigned char b0 = byte(0);
  if (b0 < 0x80) return 1;
  // Table 3-7 of the Unicode Standard: the allowed range of the second byte depends on
  // the first; this is what excludes overlongs, surrogates and values above U+10FFFF.
  unsigned char lo = 0x80, hi = 0xBF;
  std::size_t len = 0;
  if (in(b0, 0xC2, 0xDF)) {
    len = 2;
  } else if (b0 == 0xE0) {
    len = 3, lo = 0xA0;
  } else if (in(b0, 0xE1, 0xEC) || in(b0, 0xEE, 0xEF)) {
    len = 3;
  } else if (b0 == 0xED) {
    len = 3, hi = 0x9F;
  } else if (b0 == 0xF0) {
    len = 4, lo = 0x90;
  } else if (in(b0, 0xF1, 0xF3)) {
    len = 4;
  } else if (b0 == 0xF4) {
    len = 4, hi = 0x8F;
  } else {
    return 0;  // 0x80..0xC1 (continuation or overlong lead) and 0xF5..0xFF
  }
  if (left < len || !in(byte(1), lo, hi)) return 0;
  for (std::size_t i = 2; i < len; ++i)
    if (!in(byte(i), 0x80, 0xBF)) return 0;
  return len;
}

bool is_valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8_sequence_length(text, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::u32string decode_utf8(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8_sequence_length(text, i);
    if (n == 0) {
      out.push_back(kReplacementChar);
      ++i;
    } else {
      out.push_back(decode_at(p + i, n));
      i += n;
    }
  }
  return out;
}

void append_utf8(std::string& out, char32_t cp) {
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = kReplacementChar;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string encode_utf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size() * 3);
  for (char32_t cp : text) append_utf8(out, cp);
  return out;
}

std::string_view utf8_truncate(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = 0;
  while (end < text.size()) {
    const std::size_t n = std::max<std::size_t>(utf8_sequence_length(text, end), 1);
    if (end + n > max_bytes) break;
    end += n;
  }
  return text.substr(0, end);
}

char32_t fold_for_search(char32_t cp) {
  if (cp >= U'A' && cp <= U'Z') return cp + (U'a' - U'A');
  if (cp >= 0xFF01 && cp <= 0xFF5E) return fold_for_search(cp - 0xFF01 + 0x21);
  if (cp == 0x3000) return U' ';
  return cp;
}

bool is_search_separator(char32_t cp) {
  if (cp < 0x80) {
    const bool alnum = (cp >= U'0' && cp <= U'9') || (cp >= U'a' && cp <= U'z') || (cp >= U'A' && cp <= U'Z');
    return !alnum;  // controls, space, punctuation and symbols
  }
  return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||  // C1 controls, Latin-1 punctuation
         (cp >= 0x2000 && cp <= 0x206F) ||                          // General Punctuation, spaces
         (cp >= 0x3000 && cp <= 0x303F) ||                          // CJK Symbols and Punctuation
         cp == 0x30FB ||                                            // katakana middle dot
         (cp >= 0xFE10 && cp <= 0xFE1F) ||                          // vertical forms
         (cp >= 0xFE30 && cp <= 0xFE6F) ||                          // CJK compatibility, small forms
         (cp >= 0xFF61 && cp <= 0xFF65) ||                          // half-width CJK punctuation
         cp == 0xFEFF || cp == kReplacementChar;
}

std::vector<std::u32string> search_segments(std::string_view text) {
  std::vector<std::u32string> segments;
  std::u32string current;
  for (char32_t cp : decode_utf8(text)) {
    cp = fold_for_search(cp);
    if (is_search_separator(cp)) {
      if (!current.empty()) segments.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(cp);
    }
  }
  if (!current.empty()) segments.push_back(std::move(current));
  return segments;
}

std::string bigram_text(std::int64_t key) {
  std::string out;
  append_utf8(out, static_cast<char32_t>((key >> 21) & 0x1FFFFF));
  append_utf8(out, static_cast<char32_t>(key & 0x1FFFFF));
  return out;
}

namespace {
template <typename Fn>
void for_each_bigram(std::string_view text, Fn&& fn) {
  for (const auto& segment : search_segments(text))
    for (std::size_t i = 0; i + 1 < segment.size(); ++i) fn(bigram_key(segment[i], segment[i + 1]));
}
}  // namespace

std::vector<std::int64_t> bigram_keys(std::string_view text) {
  std::vector<std::int64_t> keys;
  for_each_bigram(text, [&](std::int64_t k) { keys.push_back(k); });
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

std::vector<std::int64_t> query_bigrams(std::string_view query) {
  std::vector<std::int64_t> keys;
  std::unordered_set<std::int64_t> seen;
  for_each_bigram(query, [&](std::int64_t k) {
    if (seen.insert(k).second) keys.push_back(k);
  });
  return keys;
}

}  // namespace yizhan::core
