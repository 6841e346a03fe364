// iconv: strictly when reading (EILSEQ and EINVAL are failures with the offending offset);
// when writing, characters the target lacks become '?'.
#include "text_encoding.hpp"

#include <cerrno>
#include <stdexcept>

namespace yizhan::plugins::xinfang {

ToUtf8::ToUtf8(std::string encoding) : encoding_(std::move(encoding)), cd_(iconv_open("UTF-8", encoding_.c_str())) {
  if (cd_ == reinterpret_cast<iconv_t>(-1))
    throw std::invalid_argument("encoding '" + encoding_ + "' is not known to iconv (try gb18030, gbk or utf-8)");
}

ToUtf8::~ToUtf8() { iconv_close(cd_); }

std::optional<std::string> ToUtf8::convert(std::string_view bytes, Failure* failure) {
  iconv(cd_, nullptr, nullptr, nullptr, nullptr);  // reset the shift state
  std::string out(bytes.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  size_t done = 0;
  while (in_left > 0) {
    char* dst = out.data() + done;
    size_t out_left = out.size() - done;
    size_t rc = iconv(cd_, &in, &in_left, &dst, &out_left);
    done = out.size() - out_left;
    if (rc != static_cast<size_t>(-1)) break;
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
      continue;
    }
    if (failure) failure->offset = bytes.size() - in_left;
    return std::nullopt;
  }
  out.resize(done);
  return out;
}

namespace {

// The length of the UTF-8 sequence starting with `lead`, or 0 if it cannot start one.
size_t utf8_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

}  // namespace

FromUtf8::FromUtf8(std::string encoding) : encoding_(std::move(encoding)), cd_(iconv_open(encoding_.c_str(), "UTF-8")) {
  if (cd_ == reinterpret_cast<iconv_t>(-1))
    throw std::invalid_argument("encoding '" + encoding_ + "' is not known to iconv (try gb18030, gbk or utf-8)");
}

FromUtf8::~FromUtf8() { iconv_close(cd_); }

std::optional<FromUtf8::Converted> FromUtf8::convert(std::string_view utf8) {
  iconv(cd_, nullptr, nullptr, nullptr, nullptr);
  Converted out;
  out.bytes.assign(utf8.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(utf8.data());
  size_t in_left = utf8.size();
  size_t done = 0;
  while (in_left > 0) {
    char* dst = out.bytes.data() + done;
    size_t out_left = out.bytes.size() - done;
    size_t rc = iconv(cd_, &in, &in_left, &dst, &out_left);
    done = out.bytes.size() - out_left;
    if (rc != static_cast<size_t>(-1)) break;
    if (errno == E2BIG) {
      out.bytes.resize(out.bytes.size() * 2);
      continue;
    }
    // EILSEQ: a valid UTF-8 character the target cannot hold becomes '?'; invalid UTF-8
    // (or EINVAL, a truncated sequence) is an error.
    const size_t n = errno == EILSEQ ? utf8_length(static_cast<unsigned char>(*in)) : 0;
    if (n == 0 || n > in_left) return std::nullopt;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(in[k]) & 0xC0) != 0x80) return std::nullopt;
    if (out.bytes.size() - done < 1) out.bytes.resize(out.bytes.size() * 2);
    out.bytes[done++] = '?';
    ++out.substituted;
    in += n;
    in_left -= n;
  }
  out.bytes.resize(done);
  return out;
}

}  // namespace yizhan::plugins::xinfang
