// Which of two versions of one upstream record is newer. A system gives a version as
// a revision number, an updated-at instant (stored normalised to UTC text, which sorts
// as time does), or nothing; with nothing, the hub derives one from the record's
// content ("sm3:" + the SM3 of its JSON), and a content hash has no order: any other
// content is a change, never "older".
#pragma once

#include <string>
#include <string_view>

namespace yizhan::core {

enum class VersionOrder { same, newer, older };

// How `incoming` stands against `stored`:
//   equal text                     same
//   either a content hash ("sm3:") newer (a different content is a change)
//   either empty                   newer
//   both decimal integers          numeric order ("10" is newer than "9")
//   otherwise                      text order (UTC instants, dated revisions)
VersionOrder compare_versions(std::string_view incoming, std::string_view stored);

// The prefix of the version the hub gives a record whose system gave neither a version
// nor an updated-at: "sm3:" + the SM3 digest (hex) of the record's case JSON (made by
// ingest/record_validator.cpp).
inline constexpr std::string_view kContentVersionPrefix = "sm3:";

}  // namespace yizhan::core
