// Deadlines that hold when several systems report one matter (docs/configuration.md,
// "SLA durations"), on both stores, through the ingest unit of work, the counter's merge
// and staff actions. Every due instant below is worked by hand on config/calendar-cn-2026:
//
//   grid record registered Mon 2026-09-14 10:00 (+08): sign_for 1 workday → end of Tue
//     09-15 → due 2026-09-15T16:00:00Z.
//   信访 letter registered Fri 2026-09-18 09:00 (+08): acceptance (sign_for) 15 natural
//     days → Sat 10-03, inside 国庆 (10-01…10-07) → the next working day, Thu 10-08 → due
//     2026-10-08T16:00:00Z; handle 60 natural days → Tue 11-17 → due 2026-11-17T16:00:00Z.
//   信访 accepted Mon 09-21 10:00 (+08), handling 60 natural days from the acceptance
//     (starts: accepted) → Fri 11-20 → due 2026-11-20T16:00:00Z.
//   12345 call registered Mon 2026-03-02 09:22 (+08), ingested months later: sign_for 2
//     hours from 09:22 → due 2026-03-02T03:22:00Z (not from the hub's time).
//   reply 12 workdays from registration Mon 09-14 → Wed 09-30, the 12th working day
//     (15,16,17,18, Sun 20 调休上班, 21,22,23,24, 中秋 25–27 off, 28,29,30) → due
//     2026-09-30T16:00:00Z.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <tuple>

#include "ingest/ingestor.hpp"
#include "sla/obligations.hpp"
#include "store/case_groups.hpp"
#include "support/store_backends.hpp"
#include "support/test_paths.hpp"
#include "workflow/case_actions.hpp"
#include "workflow/case_router.hpp"

namespace {

using namespace yizhan;

const std::string kKeyHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

struct Rec {
  std::string id, title, description, category, phone, at;
};

store::CaseWrite make_write(const Rec& r) {
  store::CaseWrite w;
  w.record.external_id = r.id;
  w.record.version = "1";
  w.record.title = r.title;
  w.record.description = r.description;
  w.record.category = r.category;
  w.record.channel = "来信";
  w.record.status = "received";
  w.record.place = {"140929100201", 2023, "岢岚县岚漪镇北街3号", "140929100201-02", std::nullopt, std::nullopt};
  w.record.reporter = {"王秀英", r.phone, ""};
  w.raw = "{\"id\":\"" + r.id + "\"}";
  w.record.received_at = w.record.updated_at = r.at;
  return w;
}

// The same land dispute as a grid worker and a 信访 letter word it.
const Rec kGrid{
    "GRID-0914-01",  "土地承包纠纷", "网格员上报：村民王秀英与邻村因承包地界发生纠纷，双方多次争执，请求调处。",
    "矛盾纠纷/土地", "13812341234",  "2026-09-14T02:00:00Z"};
const Rec kLetter{"XF-2026-000918", "承包地边界争议", "信访人反映：村民王秀英与邻村因承包地界发生纠纷，双方多次争执。",
                  "矛盾纠纷/土地",  "13812341234",    "2026-09-18T01:00:00Z"};
// A wage dispute, handled jointly (会商) by two departments.
const Rec kWages{"GRID-0914-02",  "拖欠工资",    "网格员上报：某工地拖欠二十名工人工资三个月。",
                 "矛盾纠纷/劳资", "13900000000", "2026-09-14T02:00:00Z"};

// (system, department, duty, due_at) of a case's running obligations, sorted.
using Duty = std::tuple<std::string, std::string, std::string, std::string>;

class DutySources : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    backend_ = test::make_backend(GetParam());
    sql_ = backend_.db->connect();
    std::ofstream(dir_.path() / "sla.yaml") << "version: 1\n"
                                               "defaults:\n"
                                               "  - {duty: sign_for, within: 1, unit: workdays}\n"
                                               "  - {duty: reply, within: 12, unit: workdays}\n"
                                               "systems:\n"
                                               "  xinfang:\n"
                                               "    default:\n"
                                               "      - {duty: sign_for, within: 15, unit: days}\n"
                                               "      - {duty: handle, within: 60, unit: days}\n"
                                               "  hotline12345:\n"
                                               "    default:\n"
                                               "      - {duty: sign_for, within: 2, unit: hours}\n";
    std::ofstream(dir_.path() / "routing.yaml") << "version: 1\n"
                                                   "rules:\n"
                                                   "  - name: 会商-劳资\n"
                                                   "    match: {category: [矛盾纠纷/劳资]}\n"
                                                   "    level: joint\n"
                                                   "    departments: [rsj, sfj]\n"
                                                   "  - name: 矛盾纠纷\n"
                                                   "    match: {category: [\"矛盾纠纷/\"]}\n"
                                                   "    level: town\n"
                                                   "    departments: [nyncj]\n"
                                                   "  - name: 其他\n"
                                                   "    match: {}\n"
                                                   "    level: village\n"
                                                   "    departments: [village-1]\n";
    settings_.sla.policy = std::make_shared<const sla::SlaPolicy>(sla::SlaPolicy::load(dir_.path() / "sla.yaml"));
    settings_.sla.calendar =
        std::make_shared<const sla::WorkCalendar>(sla::WorkCalendar::load_dir(test::source_dir() / "config"));
    settings_.rules =
        std::make_shared<const routing::RuleSet>(routing::RuleSet::load(dir_.path() / "routing.yaml", {}));
  }

  void ingest(const std::string& system, const std::vector<Rec>& recs, bool linking) {
    std::vector<store::CaseWrite> writes;
    for (const auto& r : recs) writes.push_back(make_write(r));
    settings_.linking.enabled = linking;
    ingest::Ingestor(*sql_, backend_.db->dialect(), pii_, settings_)
        .commit({.instance = system + "_1", .system = system}, writes, {});
  }

  // Runs `f` in one committed write transaction, as the API's merge and actions do.
  template <class F>
  void in_transaction(F&& f) {
    db::WriteTransaction tx(*sql_, backend_.db->dialect());
    ledger::EventAppender events(*sql_, backend_.db->dialect());
    store::CaseGroups groups(*sql_, events, settings_.linking.authority);
    f(groups, events);
    events.flush();
    tx.commit();
  }
  void reroute(ledger::EventAppender& events, int64_t id, const std::string& now) {
    workflow::route_case(*sql_, events, *settings_.rules, id, "hub:router", now, &settings_.sla);
  }
  std::string act(int64_t id, const std::string& action, const std::string& department, const std::string& now,
                  std::vector<std::string> to = {}) {
    workflow::ActionRequest r;
    r.action = action;
    r.actor = "user:staff";
    r.reason = "测试";
    r.department = department;
    r.departments = std::move(to);
    std::string status;
    in_transaction([&](store::CaseGroups&, ledger::EventAppender& events) {
      status = workflow::apply_action(*sql_, events, settings_.sla, nullptr, id, r, *core::parse_instant(now));
    });
    return status;
  }

  std::set<Duty> running(int64_t case_id) {
    std::set<Duty> out;
    for (const auto& o : sla::case_obligations(*sql_, case_id))
      if (o.state == "open" || o.state == "paused" || o.state == "overdue")
        out.insert({system_of(o.id), o.department, o.duty, o.due_at});
    return out;
  }
  std::string system_of(int64_t obligation) {
    std::string s;
    long long id = obligation;
    *sql_ << "SELECT source_system FROM obligations WHERE id = :id", soci::use(id), soci::into(s);
    return s;
  }
  std::string state_of(int64_t case_id, const std::string& department, const std::string& duty) {
    for (const auto& o : sla::case_obligations(*sql_, case_id))
      if (o.department == department && o.duty == duty && o.state != "cancelled") return o.state;
    return "none";
  }

  test::TempDir dir_;
  test::Backend backend_;
  std::unique_ptr<soci::session> sql_;
  crypto::PiiProtector pii_ = crypto::PiiProtector::from_hex(kKeyHex);
  ingest::IngestSettings settings_;
};

const Duty kGridSignFor{"grid", "nyncj", "sign_for", "2026-09-15T16:00:00Z"};
const Duty kGridReply{"grid", "nyncj", "reply", "2026-09-30T16:00:00Z"};
const Duty kLetterSignFor{"xinfang", "nyncj", "sign_for", "2026-10-08T16:00:00Z"};
const Duty kLetterHandle{"xinfang", "nyncj", "handle", "2026-11-17T16:00:00Z"};

TEST_P(DutySources, ALinkedCaseOwesEverySourcesDutiesEachByItsOwnRules) {
  ingest("grid", {kGrid}, true);
  EXPECT_EQ(running(1), (std::set<Duty>{kGridSignFor, kGridReply}));
  ingest("xinfang", {kLetter}, true);  // the same matter: joins case 1
  ASSERT_EQ(store::merged_into(*sql_, 2), std::optional<int64_t>(1));
  // The grid's duties run on untouched; the letter brings 信访's acceptance decision
  // (due 10-08, after 国庆) and handling, counted from its own registration.
  EXPECT_EQ(running(1), (std::set<Duty>{kGridSignFor, kGridReply, kLetterSignFor, kLetterHandle}));
  EXPECT_TRUE(running(2).empty());
}

TEST_P(DutySources, MergeUnmergeAndMergeAgainLeaveExactlyTheDutiesOwed) {
  ingest("grid", {kGrid}, false);
  ingest("xinfang", {kLetter}, false);
  const std::set<Duty> grid{kGridSignFor, kGridReply}, letter{kLetterSignFor, kLetterHandle};
  ASSERT_EQ(running(1), grid);
  ASSERT_EQ(running(2), letter);
  auto merge = [&] {
    in_transaction([&](store::CaseGroups& groups, ledger::EventAppender& events) {
      groups.merge(1, 2, "manual", std::nullopt, {}, "user:counter", "2026-09-18T03:00:00Z");
      reroute(events, 1, "2026-09-18T03:00:00Z");
    });
  };
  merge();
  std::set<Duty> both = grid;
  both.insert(letter.begin(), letter.end());
  EXPECT_EQ(running(1), both);
  EXPECT_TRUE(running(2).empty());  // no second set of clocks beside the group's
  in_transaction([&](store::CaseGroups& groups, ledger::EventAppender& events) {
    groups.unmerge(2, "user:counter", "不是同一件事", "2026-09-18T04:00:00Z");
    reroute(events, 1, "2026-09-18T04:00:00Z");
    reroute(events, 2, "2026-09-18T04:00:00Z");
  });
  EXPECT_EQ(running(1), grid);
  EXPECT_EQ(running(2), letter);  // from its own registration: the same due instants
  merge();
  EXPECT_EQ(running(1), both);
  EXPECT_TRUE(running(2).empty());
}

TEST_P(DutySources, ABacklogRecordsClockRunsFromItsRegistrationNotFromIngest) {
  ingest("hotline12345", {{"12345-0302-1", "路灯不亮", "来电反映路灯不亮", "公共服务", "", "2026-03-02T01:22:00Z"}},
         false);
  const auto obligations = sla::case_obligations(*sql_, 1);
  ASSERT_EQ(obligations.size(), 1u);
  EXPECT_EQ(obligations[0].started_at, "2026-03-02T01:22:00Z");
  EXPECT_EQ(obligations[0].due_at, "2026-03-02T03:22:00Z");
}

TEST_P(DutySources, JointHandlingIsPerDepartment) {
  ingest("grid", {kWages}, false);
  EXPECT_EQ(state_of(1, "rsj", "sign_for"), "open");
  EXPECT_EQ(state_of(1, "sfj", "sign_for"), "open");
  act(1, "accept", "rsj", "2026-09-14T03:00:00Z");
  EXPECT_EQ(state_of(1, "rsj", "sign_for"), "met");
  EXPECT_EQ(state_of(1, "sfj", "sign_for"), "open");  // sfj has not signed for it
  act(1, "return", "rsj", "2026-09-14T04:00:00Z");
  EXPECT_EQ(state_of(1, "rsj", "reply"), "none");  // rsj's duties are cancelled
  EXPECT_EQ(state_of(1, "sfj", "reply"), "open");  // sfj's run on
  EXPECT_EQ(state_of(1, "sfj", "sign_for"), "open");
}

TEST_P(DutySources, AReassignmentLeavesTheCitizensReplyDeadlineWhereItWas) {
  ingest("grid", {kGrid}, false);
  act(1, "return", "nyncj", "2026-09-15T01:00:00Z");
  EXPECT_TRUE(running(1).empty());
  act(1, "reassign", "", "2026-09-16T02:00:00Z", {"zrzyj"});
  // zrzyj signs for within a working day of being given the case (Wed 09-16 → end of
  // Thu 09-17); the reply owed to the citizen is still due 09-30, as it was.
  EXPECT_EQ(running(1), (std::set<Duty>{{"grid", "zrzyj", "sign_for", "2026-09-17T16:00:00Z"},
                                        {"grid", "zrzyj", "reply", "2026-09-30T16:00:00Z"}}));
}

TEST_P(DutySources, HandlingThatRunsFromTheAcceptanceDecisionStartsWhenTheCaseIsAccepted) {
  // 信访: decide within 15 days whether to accept; handle within 60 days of accepting.
  std::ofstream(dir_.path() / "sla-accepted.yaml")
      << "version: 1\n"
         "defaults:\n"
         "  - {duty: sign_for, within: 1, unit: workdays}\n"
         "systems:\n"
         "  xinfang:\n"
         "    default:\n"
         "      - {duty: sign_for, within: 15, unit: days}\n"
         "      - {duty: handle, within: 60, unit: days, starts: accepted}\n";
  settings_.sla.policy =
      std::make_shared<const sla::SlaPolicy>(sla::SlaPolicy::load(dir_.path() / "sla-accepted.yaml"));
  ingest("xinfang", {kLetter}, false);
  EXPECT_EQ(running(1), (std::set<Duty>{kLetterSignFor}));  // no handling clock before the decision
  // Accepted Mon 2026-09-21 10:00 (+08): 60 natural days → Fri 11-20 → due 2026-11-20T16:00:00Z.
  act(1, "accept", "nyncj", "2026-09-21T02:00:00Z");
  EXPECT_EQ(running(1), (std::set<Duty>{{"xinfang", "nyncj", "handle", "2026-11-20T16:00:00Z"}}));
  // Routing again changes nothing: the handling clock is kept, not restarted or cancelled.
  in_transaction(
      [&](store::CaseGroups&, ledger::EventAppender& events) { reroute(events, 1, "2026-09-22T02:00:00Z"); });
  EXPECT_EQ(running(1), (std::set<Duty>{{"xinfang", "nyncj", "handle", "2026-11-20T16:00:00Z"}}));
}

INSTANTIATE_TEST_SUITE_P(Backends, DutySources, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
