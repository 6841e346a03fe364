// Yizhan SDK — UTF-8 checks for plugins: upstream systems sometimes send invalid bytes,
// and the hub accepts only valid UTF-8 text in a case record (it dead-letters the
// rest), so a plugin checks at the edge and says which field and offset is bad.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace yizhan::sdk {

// The offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF), or nullopt if `s` is valid.
std::optional<size_t> first_invalid_utf8(std::string_view s);

// `s` with every byte that is not part of well-formed UTF-8 replaced by '?': for
// messages and logs, which must be text.
std::string printable_utf8(std::string_view s);

// The number of code points in valid UTF-8 text (what a user calls "characters").
size_t utf8_length(std::string_view valid);

}  // namespace yizhan::sdk
