// Yizhan SDK — the unified case record a plugin maps its system's records into.
//
// A CaseRecord is what one department system says about one matter. The hub
// validates it, links it to a case (or opens one) and keeps the raw payload.
// Every field is optional except `external_id`; leave unknown fields empty.
// Text is UTF-8: convert other encodings (GB 18030/GBK) in the plugin, at the edge.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace yizhan::sdk {

// Who reported the matter. Stored SM4-encrypted by the hub and shown masked.
struct Reporter {
  std::string name;
  std::string phone;      // digits, e.g. "13812341234"
  std::string id_number;  // 18-character resident ID number
};

// Where the matter is. Division codes change between editions: give the year.
struct Place {
  std::string division_code;  // 12-digit 统计用区划代码 (or a shorter prefix)
  int division_year = 0;      // edition of the code, e.g. 2023
  std::string address;
  std::string grid_id;
  std::optional<double> lat, lon;
};

// The hub's status vocabulary (every state a case can be in; a case's own status is the
// latest of its records'). A plugin maps its system's statuses onto
// these ids through a mapping table in its config, never in code.
//   received routed dispatched in_progress replied closed followed_up rated
//   returned supervised suspended
inline constexpr std::string_view kStatusIds[] = {"received", "routed",     "dispatched",  "in_progress",
                                                  "replied",  "closed",     "followed_up", "rated",
                                                  "returned", "supervised", "suspended"};

// One matter as one system reports it.
struct CaseRecord {
  std::string external_id;  // Required. The upstream id, stable across updates.
  std::string version;      // Upstream revision or updated-at; same version => skipped.
  std::string title;
  std::string description;
  std::string category;     // an id from config/taxonomy.yaml, e.g. "矛盾纠纷/土地"
  std::string channel;      // 窗口 电话 网格员 网上 来信 来访
  std::string urgency;      // normal | urgent
  std::string status;       // one of kStatusIds, or empty
  std::string received_at;  // ISO 8601 with offset, e.g. "2026-02-26T14:30:00+08:00"
  std::string updated_at;   // ISO 8601 with offset
  std::string url;          // link back to the record in its own system
  Reporter reporter;
  Place place;
  std::string extra_json;  // a JSON object for what the model lacks; empty for none
};

// JSON form used across the ABI (yz_record::case_json). Keys are the member names;
// reporter and place are nested objects; empty strings are omitted.
std::string to_json(const CaseRecord& record);

// Parses the JSON form. Throws std::invalid_argument naming the offending key.
CaseRecord case_record_from_json(std::string_view json);

}  // namespace yizhan::sdk
