// Mapping one grid event (网格事件) to a CaseRecord, or rejecting it with a reason.
//
//   eventId → external_id                title, content → title, description
//   eventType / eventClass → category (subtype_map first, then class_map)
//   status → status (status_map)         urgency → urgency (urgency_map)
//   reportTime → received_at             updateTime → updated_at, version (13-digit ms)
//   villageCode, address, gridCode, lat, lon → place
//   partyName / partyPhone / partyIdNo (the citizen involved) → reporter
//   reporterName / reporterId (the grid worker, not the citizen) → extra.grid_worker
//   eventTime, townCode, names, handleDept, handleOpinion, returnReason, version → extra
// The channel is always 网格员.
// Rejected (dead-lettered by the hub, raw payload kept): not an object, eventId missing
// or empty, updateTime / reportTime / eventTime not epoch ms in 2000-2100, lat outside
// [-90, 90] or lon outside [-180, 180], a text field of the wrong JSON type, invalid
// UTF-8, a villageCode that is not 12 digits. Codes a mapping table lacks are not errors:
// the mapped field stays empty and extra.unmapped names the upstream field.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include <yizhan/sdk/plugin.hpp>

#include "cursor.hpp"
#include "settings.hpp"

namespace yizhan::plugins::zongzhi {

struct MappedEvent {
  sdk::Record record;                 // Record::ok or Record::rejected; raw is `raw`, byte for byte
  std::optional<Position> at;         // its place in the list order, when updateTime is readable
  std::vector<std::string> warnings;  // for the log; personal data already masked
};

MappedEvent map_event(std::string_view raw, const Settings& settings);

}  // namespace yizhan::plugins::zongzhi
