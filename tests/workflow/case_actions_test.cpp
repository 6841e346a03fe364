// Staff actions at the workflow layer (workflow/case_actions.hpp), on both stores: who
// may take an action, the stale-page refusal, and what a move does to the case and its
// obligations — through the owners' functions, with no HTTP in between.
#include "workflow/case_actions.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "store/case_reader.hpp"
#include "store/case_writer.hpp"
#include "support/ingest_support.hpp"
#include "support/store_backends.hpp"
#include "support/test_paths.hpp"

namespace {

using namespace yizhan;

const std::string kKeyHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

core::Instant at(const std::string& text) { return *core::parse_instant(text); }

workflow::ActionRequest request(const std::string& action, const std::string& reason = "",
                                const std::string& text = "") {
  workflow::ActionRequest r;
  r.action = action;
  r.actor = "user:staff";
  r.reason = reason;
  r.text = text;
  return r;
}

class CaseActions : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    backend_ = test::make_backend(GetParam());
    sql_ = backend_.db->connect();
    store::CaseWrite w;
    w.record.external_id = "A-1";
    w.record.version = "1";
    w.record.title = "楼道堆放杂物";
    w.record.category = "公共服务";
    w.record.status = "dispatched";
    w.record.place.division_code = "140929100201";
    w.raw = "{}";
    w.record.received_at = w.record.updated_at = "2026-03-02T01:00:00Z";
    test::store_records(*sql_, backend_.db->dialect(), pii_, "inst_a", "system_a", {w}, {});
    const auto file = dir_.path() / "sla.yaml";
    std::ofstream(file) << "defaults:\n"
                           "  - {duty: sign_for, within: 2, unit: hours}\n"
                           "  - {duty: handle, within: 1, unit: workdays}\n"
                           "  - {duty: follow_up, within: 3, unit: workdays}\n"
                           "escalation: {warn_at: 0.8, within: 1, unit: workdays,\n"
                           "  to: {village: {level: town, department: \"{town}\"}}}\n";
    sla_.policy = std::make_shared<const sla::SlaPolicy>(sla::SlaPolicy::load(file));
    sla_.calendar =
        std::make_shared<const sla::WorkCalendar>(sla::WorkCalendar::load_dir(test::source_dir() / "config"));
    in_transaction([&](ledger::EventAppender& events) {
      sla::open_obligations(*sql_, events, sla_, 1, "village", {"village-1"}, "hub:router", now_);
    });
  }

  template <class F>
  void in_transaction(F&& f) {
    db::WriteTransaction tx(*sql_, backend_.db->dialect());
    ledger::EventAppender events(*sql_, backend_.db->dialect());
    f(events);
    events.flush();
    tx.commit();
  }
  std::string act(workflow::ActionRequest r) {
    std::string status;
    in_transaction([&](ledger::EventAppender& events) {
      status = workflow::apply_action(*sql_, events, sla_, nullptr, 1, r, now_);
    });
    return status;
  }
  std::string error_code(workflow::ActionRequest r) {
    try {
      act(std::move(r));
    } catch (const workflow::ActionError& e) {
      return e.code;
    }
    return "none";
  }
  std::map<std::string, std::string> obligation_states() {
    std::map<std::string, std::string> out;
    for (const auto& o : sla::case_obligations(*sql_, 1)) out[o.duty] = o.state;
    return out;
  }

  test::TempDir dir_;
  test::Backend backend_;
  std::unique_ptr<soci::session> sql_;
  crypto::PiiProtector pii_ = crypto::PiiProtector::from_hex(kKeyHex);
  sla::SlaSettings sla_;
  core::Instant now_ = at("2026-03-02T09:00:00+08:00");
};

TEST_P(CaseActions, DepartmentTakesOnlyItsActionsAndTheCounterTheRest) {
  auto accept = request("accept");
  accept.by_counter = false;
  EXPECT_EQ(act(accept), "in_progress");
  EXPECT_EQ(obligation_states().at("sign_for"), "met");
  EXPECT_EQ(obligation_states().at("handle"), "open");
  auto reply = request("reply", "", "已清理");
  reply.by_counter = false;
  EXPECT_EQ(act(reply), "replied");
  auto close = request("close", "", "办结");
  close.by_counter = false;
  EXPECT_EQ(error_code(close), "forbidden");  // closing the loop is the counter's
  EXPECT_EQ(store::case_status(*sql_, 1), "replied");
  close.by_counter = true;
  EXPECT_EQ(act(close), "closed");
  EXPECT_EQ(obligation_states().at("follow_up"), "met");
}

TEST_P(CaseActions, ActingOnWhatAnOldPageShowedIsRefusedAsStale) {
  auto accept = request("accept");
  accept.expected_status = "dispatched";
  EXPECT_EQ(act(accept), "in_progress");
  auto suspend = request("suspend", "等待鉴定");
  suspend.expected_status = "dispatched";  // what the page showed before the accept
  EXPECT_EQ(error_code(suspend), "stale");
  EXPECT_EQ(store::case_status(*sql_, 1), "in_progress");  // nothing moved
  suspend.expected_status = "in_progress";
  EXPECT_EQ(act(suspend), "suspended");
}

TEST_P(CaseActions, ReplyMeetsEveryDutyButTheFollowUpAndResumeReturnsToTheStatusBefore) {
  EXPECT_EQ(act(request("accept")), "in_progress");
  EXPECT_EQ(act(request("suspend", "等待鉴定")), "suspended");
  EXPECT_EQ(act(request("resume")), "in_progress");
  EXPECT_EQ(act(request("reply", "", "已清理")), "replied");
  const auto states = obligation_states();
  EXPECT_EQ(states.at("handle"), "met");
  ASSERT_TRUE(states.contains("follow_up"));
  EXPECT_EQ(states.at("follow_up"), "open");
}

INSTANTIATE_TEST_SUITE_P(Backends, CaseActions, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
