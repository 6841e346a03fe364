// Character-set conversion at the edge: the 信访 system writes GB 18030 (GBK) bytes, now
// and then a UTF-8 file with a byte-order mark, and imports GBK receipt files; the hub
// speaks only UTF-8 (glibc iconv).
#pragma once

#include <iconv.h>

#include <optional>
#include <string>
#include <string_view>

namespace yizhan::plugins::xinfang {

// The UTF-8 byte-order mark EF BB BF.
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// A converter from one iconv encoding (e.g. "GB18030", "GBK", "UTF-8") to UTF-8.
// Strict: an invalid or incomplete input sequence is an error, never replaced or skipped.
// Not thread-safe (iconv state); one per instance, used from the poll thread.
class ToUtf8 {
 public:
  // Throws std::invalid_argument naming the encoding when iconv does not know it.
  explicit ToUtf8(std::string encoding);
  ~ToUtf8();
  ToUtf8(const ToUtf8&) = delete;
  ToUtf8& operator=(const ToUtf8&) = delete;

  struct Failure {
    size_t offset;  // of the first byte that cannot be converted
  };
  // The text in UTF-8, or where the input stops being valid.
  std::optional<std::string> convert(std::string_view bytes, Failure* failure = nullptr);
  const std::string& encoding() const { return encoding_; }

 private:
  std::string encoding_;
  iconv_t cd_;
};

// A converter from UTF-8 to one iconv encoding, for the receipt files the system imports.
// A character the target cannot hold (an emoji in a reply, for a GBK importer) becomes
// '?' and is counted, so that one character never blocks a write-back; input that is not
// UTF-8 is an error. Not thread-safe (iconv state): make one per use.
class FromUtf8 {
 public:
  // Throws std::invalid_argument naming the encoding when iconv does not know it.
  explicit FromUtf8(std::string encoding);
  ~FromUtf8();
  FromUtf8(const FromUtf8&) = delete;
  FromUtf8& operator=(const FromUtf8&) = delete;

  struct Converted {
    std::string bytes;
    size_t substituted = 0;  // characters written as '?'
  };
  // The text in the target encoding, or nullopt when `utf8` is not valid UTF-8.
  std::optional<Converted> convert(std::string_view utf8);
  const std::string& encoding() const { return encoding_; }

 private:
  std::string encoding_;
  iconv_t cd_;
};

}  // namespace yizhan::plugins::xinfang
