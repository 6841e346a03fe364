// iconv, strictly: EILSEQ and EINVAL are failures with the offending offset.
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

}  // namespace yizhan::plugins::xinfang
