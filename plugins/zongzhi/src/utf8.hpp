// UTF-8 checks done by the plugin itself: the upstream sometimes sends invalid bytes,
// and the hub only accepts valid UTF-8 text in a case record.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace yizhan::plugins::zongzhi {

// The offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF), or nullopt if `s` is valid.
std::optional<size_t> first_invalid_utf8(std::string_view s);

// `s` with every byte that is not part of well-formed UTF-8 replaced by '?': for
// messages and logs, which must be text.
std::string printable_utf8(std::string_view s);

// The number of code points in valid UTF-8 text (what a user calls "characters").
size_t utf8_length(std::string_view valid);

}  // namespace yizhan::plugins::zongzhi
