// The unified case as the hub passes it between layers (docs/architecture.md §4).
//
// A source record is translated into a Case once, at the edge (ingest/record_validator:
// instants to UTC, the SDK's CaseRecord left behind), and handed down the unit of work:
// the store writes it and fills in what storing decides (id, the keyed hashes of the
// reporter's data, the status and urgency as stored), linking scores it, routing and the
// clocks read its traits — none of them reads a new case back from the database. A case
// already stored is read as a Case too (store::stored_case), so every layer sees one
// shape. The page's read models (store/case_reader.hpp) are projections for display.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace yizhan::core {

// Who reported the matter. Clear values live only in memory at ingest; the store keeps
// them sealed (SM4) and as keyed SM3 hashes (`*_hash` below), never in clear.
struct Reporter {
  std::string name;
  std::string phone;      // digits
  std::string id_number;  // 18-character resident ID number
};

struct Place {
  std::string division_code;  // 12-digit 统计用区划代码 (or a shorter prefix)
  int division_year = 0;      // the edition of the code
  std::string address;
  std::string grid_id;
  std::optional<double> lat, lon;
};

struct Case {
  // In the hub: 0 / empty until stored.
  int64_t id = 0;
  std::string level;                   // the level it is handled at (routing sets it)
  std::optional<int64_t> merged_into;  // its group's root, when merged into another case

  // The source that reported it, and the record's identity there.
  std::string instance, system;
  std::string external_id;  // stable across updates in its system
  std::string version;      // its system's revision (core/record_version.hpp)
  std::string url;          // the record in its own system

  // The matter.
  std::string title, description;
  std::string category;  // an id of the county taxonomy
  std::string channel;
  std::string urgency;                  // normal | urgent
  std::string status;                   // core/case_status.hpp
  std::string received_at, updated_at;  // UTC (core::format_utc)
  Reporter reporter;
  Place place;
  std::string extra_json;  // the plugin's extra object, as JSON text ("" for none)

  // Filled in by the store: keyed hashes of the normalized reporter data ("" when none).
  std::string phone_hash, id_hash, name_hash;
};

}  // namespace yizhan::core
