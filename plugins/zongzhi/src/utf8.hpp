// The SDK's UTF-8 checks (yizhan/sdk/utf8.hpp), under this plugin's names.
#pragma once

#include <yizhan/sdk/utf8.hpp>

namespace yizhan::plugins::zongzhi {
using sdk::first_invalid_utf8;
using sdk::printable_utf8;
using sdk::utf8_length;
}  // namespace yizhan::plugins::zongzhi
