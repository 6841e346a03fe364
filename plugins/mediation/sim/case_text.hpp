// The words of the simulated mediation system: dispute types, the mediation bodies that
// handle them, case names and summaries as its staff write them.
#pragma once

#include <string>
#include <string_view>

#include "divisions.hpp"
#include "sim_support/rng.hpp"

namespace yizhan::sim::mediation {

// The system's dispute types (disputeType), in the order the generator picks from.
inline constexpr std::string_view kDisputeTypes[] = {"土地", "医患", "劳资", "交通事故", "婚姻家庭", "邻里", "其他"};

struct MediationBody {
  std::string code, name;
};

// The committee that handles a dispute of this type in this village's town: the four
// industry committees (土地, 医患, 劳资, 交通事故) are county-wide; the others go to the
// town's committee or the centre's own mediation room.
MediationBody body_for(std::string_view dispute_type, const Village& village, Rng& rng);

// 案件名称 and 案情简介 of a new case.
std::string case_name(std::string_view dispute_type, const Village& village, Rng& rng);
std::string case_summary(std::string_view dispute_type, const Village& village, std::string_view applicant,
                         std::string_view respondent, Rng& rng);
// A respondent: a person, or for 医患/劳资 an organisation.
std::string respondent_name(std::string_view dispute_type, Rng& rng);
// A sentence the mediator adds at a later stage.
std::string progress_note(int step, Rng& rng);

}  // namespace yizhan::sim::mediation
