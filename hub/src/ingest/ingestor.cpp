#include "ingest/ingestor.hpp"

#include <algorithm>
#include <set>

#include "core/case_status.hpp"
#include "core/time.hpp"
#include "ingest/record_validator.hpp"
#include "ledger/event_log.hpp"
#include "link/linker.hpp"
#include "store/case_groups.hpp"
#include "store/dead_letter_store.hpp"
#include "store/source_cursors.hpp"
#include "workflow/case_router.hpp"

namespace yizhan::ingest {

IngestSettings IngestSettings::store_only() {
  IngestSettings s;
  s.linking.enabled = false;
  return s;
}

IngestSettings load_ingest_settings(const link::LinkingConfig& linking, const routing::RoutingConfig& routing,
                                    const sla::SlaConfig& sla) {
  IngestSettings s;
  s.linking = linking;
  if (!routing.rules.empty()) {
    const auto departments =
        routing.county.empty() ? std::set<std::string>() : routing::RuleSet::county_departments(routing.county);
    s.rules = std::make_shared<const routing::RuleSet>(routing::RuleSet::load(routing.rules, departments));
  }
  if (!sla.file.empty()) {
    s.sla.policy = std::make_shared<const sla::SlaPolicy>(sla::SlaPolicy::load(sla.file));
    s.sla.calendar = std::make_shared<const sla::WorkCalendar>(sla::WorkCalendar::load_dir(sla.calendars));
  }
  return s;
}

Ingestor::Ingestor(soci::session& sql, db::Dialect dialect, const crypto::PiiProtector& pii,
                   const IngestSettings& settings, IngestLimits limits)
    : sql_(sql), dialect_(dialect), pii_(pii), settings_(settings), limits_(limits) {}

store::BatchOutcome Ingestor::ingest(const Batch& batch, const std::vector<plugin::PolledRecord>& records) {
  std::vector<store::CaseWrite> good;
  std::vector<store::DeadLetterWrite> bad;
  good.reserve(records.size());
  for (const auto& r : records) {
    auto checked = validate_record(r, limits_);
    if (auto* w = std::get_if<store::CaseWrite>(&checked))
      good.push_back(std::move(*w));
    else
      bad.push_back(std::move(std::get<store::DeadLetterWrite>(checked)));
  }
  return commit(batch, good, bad);
}

store::BatchOutcome Ingestor::commit(const Batch& batch, const std::vector<store::CaseWrite>& records,
                                     const std::vector<store::DeadLetterWrite>& dead) {
  const std::string now = core::format_utc(core::now());
  const std::string actor = batch.actor.empty() ? "plugin:" + batch.instance : batch.actor;
  try {
    db::WriteTransaction tx(sql_, dialect_);
    ledger::EventAppender events(sql_, dialect_);
    store::CaseGroups groups(sql_, events, settings_.linking.authority);

    // 2. The records themselves.
    store::CaseWriter writer(sql_, dialect_, pii_, events, groups);
    store::UpsertResult changed = writer.upsert(batch.instance, batch.system, records, actor, now);

    // 4. A source closed a case: its running clocks are met.
    for (const auto& s : changed.status_changes)
      if (core::is_closed(s.status)) sla::meet_running_obligations(sql_, s.case_id, now);

    // 3. New cases: linked, then every group root they are in routed. A new case no
    //    join touched is alone in its group and routed as the store returned it; the
    //    groups a join changed are read again.
    if (!changed.created.empty()) {
      link::Linker linker(settings_.linking);
      linker.link_new_cases(sql_, groups, events, changed.created, now);
      if (settings_.rules) {
        std::set<int64_t> roots;
        for (const auto& c : changed.created) {
          if (!linker.joined().contains(c.id)) {
            // Its clocks start when the matter was registered in its system, not when
            // the hub got to it (a backlog ingested late gets no extra time).
            const core::Instant ingested = *core::parse_instant(now);
            const core::Instant registered = std::min(core::parse_instant(c.received_at).value_or(ingested), ingested);
            workflow::route_case(sql_, events, *settings_.rules, c, {{c.system, registered}}, "hub:router", now,
                                 &settings_.sla, settings_.outbox.get(), registered);
            continue;
          }
          roots.insert(groups.root_of(c.id));
        }
        for (int64_t root : roots)
          workflow::route_case(sql_, events, *settings_.rules, root, "hub:router", now, &settings_.sla,
                               settings_.outbox.get());
      }
    }

    // 5. Dead letters; 6. the cursor, in the same transaction as what it covers.
    std::vector<std::string> stored_ids;
    stored_ids.reserve(records.size());
    for (const auto& w : records) stored_ids.push_back(w.record.external_id);
    store::DeadLetterStore letters(sql_, dialect_);
    const auto kept =
        letters.record_batch(batch.instance, stored_ids, dead, batch.replayed_dead_letters, events, actor, now);
    changed.outcome.dead_lettered = kept.dead_lettered;
    changed.outcome.dead_repeated = kept.dead_repeated;
    if (batch.next_cursor) store::save_cursor(sql_, batch.instance, *batch.next_cursor, now);

    // 7. The ledger, then commit.
    events.flush();
    tx.commit();
    return changed.outcome;
  } catch (const soci::soci_error& e) {
    throw db::StoreError("storing a batch from instance '" + batch.instance + "' failed: " + e.get_error_message());
  }
}

}  // namespace yizhan::ingest
