// Mapping one mediation case (调解案件) of a pushed batch to a CaseRecord, or rejecting it.
//
//   caseNo → external_id (required)           version → version, zero-padded to 10 digits
//   caseName, summary → title, description     disputeType → category (dispute_type_map)
//   stage → status (status_map)                acceptDate → received_at, updateTime → updated_at
//   applicant {name, phone, idCard} → reporter areaCode, address → place (+ division_year)
//   orgCode/orgName (the mediation body), disputeType, stage, outcome (+ its outcome_map id),
//   agreementAmount, respondent.name, acceptDate, closeDate, updateTime, version → extra.
// The respondent's phone and ID number are never mapped. Channel is settings.channel,
// urgency normal.
// Rejected (dead-lettered by the hub, raw kept): not an object; caseNo missing or empty;
// version not a positive integer; acceptDate / closeDate not YYYY-MM-DD, updateTime not
// "YYYY-MM-DD HH:MM:SS[.mmm]"; an outcome not in outcome_map; agreementAmount not a
// non-negative decimal; areaCode not 12 digits; a field of the wrong JSON type. A stage or
// disputeType the tables lack is not an error: the field stays empty and extra.unmapped
// names it.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <vector>
#include <yizhan/sdk/plugin.hpp>

#include "settings.hpp"

namespace yizhan::plugins::mediation {

struct MappedCase {
  sdk::Record record;                 // Record::ok or Record::rejected; raw is the case's JSON text
  std::vector<std::string> warnings;  // for the log; personal data already masked
};

MappedCase map_case(const boost::json::value& item, const Settings& settings);

// Width of the zero-padded version: "0000000003" sorts after "0000000002" as text.
inline constexpr size_t kVersionWidth = 10;

}  // namespace yizhan::plugins::mediation
