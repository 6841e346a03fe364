#include "ingest/new_case_pipeline.hpp"

#include <set>

#include "core/case_status.hpp"

namespace yizhan::ingest {

void NewCasePipeline::on_new_cases(soci::session& sql, store::CaseGroups& groups, store::EventAppender& events,
                                   const std::vector<int64_t>& case_ids, const std::string& actor,
                                   const std::string& now) {
  if (linker_) linker_->on_new_cases(sql, groups, events, case_ids, actor, now);
  if (!rules_) return;
  std::set<int64_t> roots;
  for (int64_t id : case_ids) roots.insert(groups.root_of(id));
  for (int64_t root : roots) route::route_case(sql, events, *rules_, root, "hub:router", now, sla_, outbox_);
}

NewCaseSettings load_new_case_settings(const core::HubConfig& config) {
  NewCaseSettings s;
  s.linking = config.linking;
  if (!config.routing.rules.empty()) {
    const auto departments = config.routing.county.empty() ? std::set<std::string>()
                                                           : route::RuleSet::county_departments(config.routing.county);
    s.rules = std::make_shared<const route::RuleSet>(route::RuleSet::load(config.routing.rules, departments));
  }
  if (!config.sla.file.empty()) {
    s.sla.policy = std::make_shared<const route::SlaPolicy>(route::SlaPolicy::load(config.sla.file));
    s.sla.calendar = std::make_shared<const route::WorkCalendar>(route::WorkCalendar::load_dir(config.sla.calendars));
  }
  return s;
}

void NewCasePipeline::on_status_changed(soci::session& sql, int64_t case_id, const std::string& status,
                                        const std::string& now) {
  if (core::is_closed(status)) route::meet_running_obligations(sql, case_id, now);
}

}  // namespace yizhan::ingest
