// Reading one reply of the event list endpoint.
//
// The reply is {"code":0,"msg":"success","data":{"total":N,"pageNo":1,"pageSize":50,
// "records":[...]}}. Each element of data.records is returned as the exact bytes the
// upstream sent, so a rejected event reaches the dead-letter table as received. One
// broken element does not spoil the page: elements are mapped one by one afterwards.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace yizhan::plugins::zongzhi {

struct Page {
  std::vector<std::string_view> records;  // raw JSON of each element, views into the body
  std::int64_t total = -1;                // data.total if given: events with updateTime >= updatedSince
};

// Parses a reply body. Throws sdk::UpstreamError when it is not such an envelope or its
// code is not 0.
Page read_page(std::string_view body);

// The raw text of each element of the array at data.records in a JSON text that is
// already known to be well-formed; empty if there is none.
std::vector<std::string_view> raw_records(std::string_view json);

// The start of a reply as one line of printable text, for an error message.
std::string excerpt(std::string_view body);

}  // namespace yizhan::plugins::zongzhi
