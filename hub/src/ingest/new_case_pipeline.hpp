// What happens to the cases a batch created, inside the batch's transaction: linking
// first (link::Linker, DESIGN §6), then routing (DESIGN §5) of every group root they
// touched — a new case, or the case a new record joined, whose systems changed.
#pragma once

#include <memory>

#include "core/crypto.hpp"
#include "core/hub_config.hpp"
#include "link/linker.hpp"
#include "route/case_router.hpp"
#include "store/case_writer.hpp"

namespace yizhan::ingest {

// What every ingest path applies to new cases: linking settings and the routing rules
// (null: no routing).
struct NewCaseSettings {
  core::LinkingConfig linking;
  std::shared_ptr<const route::RuleSet> rules;
  route::SlaSettings sla;  // obligations opened when a case is routed (empty: none)
  // Write-back of dispatches and the other steps (null: none); which instances take it
  // is known once the plugins are loaded (serve sets it).
  std::shared_ptr<const writeback::Outbox> outbox;
};

class NewCasePipeline : public store::NewCaseHook {
 public:
  // Either may be null (that step is off). Both must outlive the pipeline.
  NewCasePipeline(link::Linker* linker, const route::RuleSet* rules, const route::SlaSettings* sla = nullptr,
                  const writeback::Outbox* outbox = nullptr)
      : linker_(linker), rules_(rules), sla_(sla), outbox_(outbox) {}

  void on_new_cases(soci::session& sql, store::CaseGroups& groups, store::EventAppender& events,
                    const std::vector<int64_t>& case_ids, const std::string& actor, const std::string& now) override;
  // Closed where it was handled: the case's running clocks are met (route/obligations.hpp).
  void on_status_changed(soci::session& sql, int64_t case_id, const std::string& status,
                         const std::string& now) override;

  // Null when neither step is on: CaseWriter then skips the hook altogether.
  store::NewCaseHook* hook() { return linker_ || rules_ ? this : nullptr; }

 private:
  link::Linker* linker_;
  const route::RuleSet* rules_;
  const route::SlaSettings* sla_;
  const writeback::Outbox* outbox_;
};

// The settings of a hub config: its linking section, and its routing rules loaded and
// checked against the county file. Throws route::RuleFileError naming the file.
NewCaseSettings load_new_case_settings(const core::HubConfig& config);

// A CaseWriter with the pipeline behind it, for one batch (or a few) on one session.
class PipelineWriter {
 public:
  PipelineWriter(soci::session& sql, store::Dialect dialect, const core::PiiProtector& pii,
                 const NewCaseSettings& settings)
      : linker_(settings.linking),
        pipeline_(settings.linking.enabled ? &linker_ : nullptr, settings.rules.get(), &settings.sla,
                  settings.outbox.get()),
        writer_(sql, dialect, pii, &settings.linking, pipeline_.hook()) {}
  store::CaseWriter& writer() { return writer_; }

 private:
  link::Linker linker_;
  NewCasePipeline pipeline_;
  store::CaseWriter writer_;
};

}  // namespace yizhan::ingest
