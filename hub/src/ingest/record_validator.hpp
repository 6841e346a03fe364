// Checks every record a plugin returns before it reaches the store (docs/architecture.md §2 step 2).
// A record that fails becomes a dead letter with the reason and its raw payload:
// nothing a department system sends is lost, and nothing malformed is stored as a case.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <yizhan/sdk/case.hpp>

#include "ingest/ingest_config.hpp"
#include "plugin/plugin_instance.hpp"
#include "store/case_writer.hpp"

namespace yizhan::ingest {

using IncomingRecord = plugin::PolledRecord;

using Checked = std::variant<store::CaseWrite, store::DeadLetterWrite>;

// Validates: the plugin's own rejection, external id present and consistent, the
// case JSON parseable, every text field valid UTF-8 without NUL and within the
// limits, instants parseable with a zone, status one of the hub's ids.
Checked validate_record(const IncomingRecord& in, const IngestLimits& limits);

// The SDK's record as the hub's unified case (core/case.hpp), its instants given as
// normalized UTC text.
core::Case to_case(const sdk::CaseRecord& r, std::string received_at_utc, std::string updated_at_utc);

// Raw payloads are stored as text: valid UTF-8 is kept as is, anything else (GBK
// bytes, NULs, binary) as "base64:" + the base64 of the bytes, so it can be replayed.
std::string storable_raw(std::string_view raw, size_t max_bytes);

}  // namespace yizhan::ingest
