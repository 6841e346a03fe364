// Reading one reply of the work-order list endpoint.
//
// The reply is {"code":0,"msg":"success","data":{"total":N,"list":[...],"next":{...}|null}}.
// Each element of data.list is returned as the exact bytes the upstream sent, so a
// rejected work order reaches the dead-letter table as received, byte for byte. One
// broken element (invalid UTF-8, a field of the wrong type) does not spoil the page:
// elements are mapped one by one afterwards.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "cursor.hpp"

namespace yizhan::plugins::hotline12345 {

struct Page {
  std::vector<std::string_view> items;  // raw JSON of each list element, views into the body
  std::optional<Cursor> next;           // data.next: the position after this page, when more remain
  std::int64_t total = -1;              // data.total if given: work orders after the requested position
};

// Parses a reply body. Throws sdk::UpstreamError when the body is not such an envelope
// or its code is not 0 (the upstream's "busy" and error replies come as HTTP 200 too).
Page read_page(std::string_view body);

// The raw text of each element of the array found at `path` (a chain of object keys)
// in a well-formed JSON document; empty if there is no array there.
std::vector<std::string_view> raw_array_elements(std::string_view json,
                                                 std::initializer_list<std::string_view> path);

}  // namespace yizhan::plugins::hotline12345
