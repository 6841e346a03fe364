// Obligations and the overdue sweep (sla/obligations.hpp) on both stores: opened with
// their due instants, warned at the fraction, overdue makes the case 督办 and opens a
// supervising obligation one level up; all as events; listed by due instant.
#include "sla/obligations.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>

#include "store/case_reader.hpp"
#include "store/case_writer.hpp"
#include "support/ingest_support.hpp"
#include "support/store_backends.hpp"
#include "support/test_paths.hpp"

namespace {

using namespace yizhan;
namespace json = boost::json;

const std::string kKeyHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

core::Instant at(const std::string& text) { return *core::parse_instant(text); }

class Obligations : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    backend_ = test::make_backend(GetParam());
    sql_ = backend_.db->connect();
    store::CaseWrite w;
    w.record.external_id = "12345-1";
    w.record.version = "1";
    w.record.title = "路灯不亮";
    w.record.category = "公共服务";
    w.record.status = "dispatched";
    w.record.place.division_code = "140929100201";
    w.raw = "{}";
    w.record.received_at = w.record.updated_at = "2026-03-02T01:00:00Z";
    test::store_records(*sql_, backend_.db->dialect(), pii_, "kelan_12345", "hotline12345", {w}, {});
    const auto file = dir_.path() / "sla.yaml";
    std::ofstream(file) << "defaults:\n"
                           "  - {duty: sign_for, within: 2, unit: hours}\n"
                           "  - {duty: handle, within: 1, unit: workdays}\n"
                           "escalation: {warn_at: 0.8, within: 1, unit: workdays,\n"
                           "  to: {village: {level: town, department: \"{town}\"}, town: {level: county, department: "
                           "shgzb}}}\n";
    sla_.policy = std::make_shared<const sla::SlaPolicy>(sla::SlaPolicy::load(file));
    sla_.calendar =
        std::make_shared<const sla::WorkCalendar>(sla::WorkCalendar::load_dir(test::source_dir() / "config"));
  }

  void open(core::Instant now) {
    db::WriteTransaction tx(*sql_, backend_.db->dialect());
    ledger::EventAppender events(*sql_, backend_.db->dialect());
    sla::open_obligations(*sql_, events, sla_, 1, "village", {"village-140929100201"}, "hub:router", now);
    events.flush();
    tx.commit();
  }
  std::vector<std::string> types() {
    std::vector<std::string> out;
    for (const auto& e : ledger::read_case_events(*sql_, 1)) out.push_back(e.type);
    return out;
  }
  std::string status() {
    std::string s;
    *sql_ << "SELECT status FROM cases WHERE id = 1", soci::into(s);
    return s;
  }

  test::TempDir dir_;
  test::Backend backend_;
  std::unique_ptr<soci::session> sql_;
  crypto::PiiProtector pii_ = crypto::PiiProtector::from_hex(kKeyHex);
  sla::SlaSettings sla_;
};

TEST_P(Obligations, OpenedWithDueInstantsAndListedSoonestFirst) {
  open(at("2026-03-02T09:00:00+08:00"));  // a Monday
  auto all = sla::list_obligations(*sql_, "", "", "open", 10);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].duty, "sign_for");
  EXPECT_EQ(all[0].due_at, "2026-03-02T03:00:00Z");   // 11:00 Beijing
  EXPECT_EQ(all[0].warn_at, "2026-03-02T02:36:00Z");  // 80 % of 2 h
  EXPECT_EQ(all[1].duty, "handle");
  EXPECT_EQ(all[1].due_at, "2026-03-03T16:00:00Z");  // the end of Tuesday, Beijing
  EXPECT_EQ(all[1].department, "village-140929100201");
  EXPECT_EQ(sla::list_obligations(*sql_, "2026-03-02T04:00:00Z", "", "open", 10).size(), 1u);
  EXPECT_TRUE(sla::list_obligations(*sql_, "", "town-140929100", "open", 10).empty());
  EXPECT_EQ(types().back(), "obligations_opened");
  // Routed again: the open ones are cancelled and new ones opened.
  open(at("2026-03-02T10:00:00+08:00"));
  EXPECT_EQ(sla::list_obligations(*sql_, "", "", "cancelled", 10).size(), 2u);
  EXPECT_EQ(sla::list_obligations(*sql_, "", "", "open", 10).size(), 2u);
}

TEST_P(Obligations, WarnedThenOverdueThenSupervisedOneLevelUp) {
  open(at("2026-03-02T09:00:00+08:00"));
  auto o = sla::sweep_obligations(*sql_, backend_.db->dialect(), sla_, at("2026-03-02T10:00:00+08:00"));
  EXPECT_EQ(o.warned + o.overdue, 0);  // before 80 %
  o = sla::sweep_obligations(*sql_, backend_.db->dialect(), sla_, at("2026-03-02T10:40:00+08:00"));
  EXPECT_EQ(o.warned, 1);
  EXPECT_EQ(o.overdue, 0);
  o = sla::sweep_obligations(*sql_, backend_.db->dialect(), sla_, at("2026-03-02T10:50:00+08:00"));
  EXPECT_EQ(o.warned, 0);  // warned once
  o = sla::sweep_obligations(*sql_, backend_.db->dialect(), sla_, at("2026-03-02T11:00:00+08:00"));
  EXPECT_EQ(o.overdue, 1);  // due before 11:00: at 11:00 it is late
  EXPECT_EQ(o.escalated, 1);
  EXPECT_EQ(status(), "supervised");
  auto up = sla::list_obligations(*sql_, "", "town-140929100", "open", 10);
  ASSERT_EQ(up.size(), 1u);
  EXPECT_EQ(up[0].duty, "supervise");
  EXPECT_EQ(up[0].level, "town");
  EXPECT_TRUE(up[0].escalated_from);
  EXPECT_EQ(up[0].due_at, "2026-03-03T16:00:00Z");  // 1 working day
  const auto t = types();
  for (const char* type : {"sla_warning", "overdue", "status_changed", "escalated"})
    EXPECT_NE(std::find(t.begin(), t.end(), type), t.end()) << type;
  for (const auto& e : ledger::read_case_events(*sql_, 1))
    if (e.type == "escalated") {
      auto d = json::parse(e.data).as_object();
      EXPECT_EQ(d.at("from_department"), "village-140929100201");
      EXPECT_EQ(d.at("to_department"), "town-140929100");
      EXPECT_EQ(e.actor, "hub:sla");
    }
  // Nothing is swept twice; the sweep reads only what is due.
  o = sla::sweep_obligations(*sql_, backend_.db->dialect(), sla_, at("2026-03-02T11:30:00+08:00"));
  EXPECT_EQ(o.overdue, 0);
  // Days later the town's supervision is overdue too: the county takes it up.
  o = sla::sweep_obligations(*sql_, backend_.db->dialect(), sla_, at("2026-03-05T09:00:00+08:00"));
  EXPECT_EQ(o.overdue, 2);  // the village's handle, the town's supervise
  EXPECT_EQ(sla::list_obligations(*sql_, "", "shgzb", "open", 10).size(), 1u);
}

TEST_P(Obligations, AClosedCaseOwesNothingAndIsNotSupervised) {
  open(at("2026-03-02T09:00:00+08:00"));
  *sql_ << "UPDATE cases SET status = 'closed' WHERE id = 1";
  auto o = sla::sweep_obligations(*sql_, backend_.db->dialect(), sla_, at("2026-03-04T09:00:00+08:00"));
  EXPECT_EQ(o.overdue, 0);
  EXPECT_EQ(status(), "closed");
  EXPECT_TRUE(sla::list_obligations(*sql_, "", "", "open", 10).empty());
}

TEST_P(Obligations, ADeadlinePastTheCalendarsIsRecordedNotGuessed) {
  open(at("2026-12-31T09:00:00+08:00"));  // handle: 1 working day into 2027, not loaded
  auto all = sla::list_obligations(*sql_, "", "", "open", 10);
  ASSERT_EQ(all.size(), 1u);  // sign_for (hours) still opens
  EXPECT_EQ(all[0].duty, "sign_for");
  const auto t = types();
  EXPECT_NE(std::find(t.begin(), t.end(), "sla_unavailable"), t.end());
}

// A rule's own warning, early 督办 and supervising limit (docs/configuration.md "SLA
// durations"): a gas leak's 2-hour sign-for, warned at 50 %, escalated at 80 % with a
// 1-hour supervision — not the file's 3 working days, which would run across 春节.
TEST_P(Obligations, ARuleEscalatesBeforeItsDeadlineWithItsOwnSupervisionLimit) {
  const auto file = dir_.path() / "sla-gas.yaml";
  std::ofstream(file) << "defaults:\n  - {duty: handle, within: 1, unit: workdays}\n"
                         "categories:\n  公共服务:\n"
                         "    - {duty: sign_for, within: 2, unit: hours, warn_at: 0.5, escalate_at: 0.8,\n"
                         "       supervise: {within: 1, unit: hours}}\n"
                         "escalation: {within: 3, unit: workdays, to: {village: {level: town, department: "
                         "\"{town}\"}}}\n";
  sla_.policy = std::make_shared<const sla::SlaPolicy>(sla::SlaPolicy::load(file));
  // 2026-02-16, inside the 春节 holiday (02-15…02-23): the file's 3 working days would
  // have made the supervision due at the end of 02-26.
  open(at("2026-02-16T09:00:00+08:00"));
  auto all = sla::list_obligations(*sql_, "", "", "open", 10);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].due_at, "2026-02-16T03:00:00Z");   // 11:00 Beijing
  EXPECT_EQ(all[0].warn_at, "2026-02-16T02:00:00Z");  // 50 %: 10:00
  auto o = sla::sweep_obligations(*sql_, backend_.db->dialect(), sla_, at("2026-02-16T10:00:00+08:00"));
  EXPECT_EQ(o.warned, 1);
  EXPECT_EQ(o.escalated, 0);
  o = sla::sweep_obligations(*sql_, backend_.db->dialect(), sla_, at("2026-02-16T10:35:59+08:00"));
  EXPECT_EQ(o.escalated, 0);  // 80 % of 2 h is 1 h 36 min: 10:36
  EXPECT_EQ(status(), "dispatched");
  o = sla::sweep_obligations(*sql_, backend_.db->dialect(), sla_, at("2026-02-16T10:36:00+08:00"));
  EXPECT_EQ(o.escalated, 1);
  EXPECT_EQ(o.overdue, 0);  // still in time: 督办 before the deadline
  EXPECT_EQ(status(), "supervised");
  auto up = sla::list_obligations(*sql_, "", "town-140929100", "open", 10);
  ASSERT_EQ(up.size(), 1u);
  EXPECT_EQ(up[0].duty, "supervise");
  EXPECT_EQ(up[0].due_at, "2026-02-16T03:36:00Z");  // its own limit: 1 hour, 11:36
  EXPECT_EQ(sla::list_obligations(*sql_, "", "village-140929100201", "open", 10).size(), 1u);  // still open
  // Overdue at 11:00: on record, but no second supervising duty.
  o = sla::sweep_obligations(*sql_, backend_.db->dialect(), sla_, at("2026-02-16T11:00:00+08:00"));
  EXPECT_EQ(o.overdue, 1);
  EXPECT_EQ(o.escalated, 0);
  EXPECT_EQ(sla::list_obligations(*sql_, "", "town-140929100", "", 10).size(), 1u);
}

// sla.yaml `triage`: a case no rule routes owes the counter's triage, met when it goes on.
TEST_P(Obligations, TriageHasADeadlineMetWhenTheCaseGoesToADepartment) {
  const auto file = dir_.path() / "sla-triage.yaml";
  std::ofstream(file) << "defaults:\n  - {duty: sign_for, within: 2, unit: hours}\n"
                         "triage: {within: 1, unit: workdays, department: window}\n";
  sla_.policy = std::make_shared<const sla::SlaPolicy>(sla::SlaPolicy::load(file));
  const auto c = *store::stored_case(*sql_, 1);
  auto reconcile = [&](std::vector<std::string> departments, core::Instant now) {
    db::WriteTransaction tx(*sql_, backend_.db->dialect());
    ledger::EventAppender events(*sql_, backend_.db->dialect());
    sla::reconcile_obligations(*sql_, events, sla_, c, {{"hotline12345", at("2026-03-06T16:00:00+08:00")}}, "county",
                               departments, "hub:router", now, now, "test");
    events.flush();
    tx.commit();
  };
  reconcile({}, at("2026-03-06T16:00:00+08:00"));  // a Friday afternoon: no rule matched
  auto open = sla::list_obligations(*sql_, "", "window", "open", 10);
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].duty, "triage");
  EXPECT_EQ(open[0].due_at, "2026-03-09T16:00:00Z");  // 1 working day: the end of Monday
  reconcile({}, at("2026-03-07T10:00:00+08:00"));     // triaged again: the same clock runs on
  EXPECT_EQ(sla::list_obligations(*sql_, "", "window", "open", 10).size(), 1u);
  reconcile({"zjb"}, at("2026-03-09T09:00:00+08:00"));  // the counter sent it on
  EXPECT_TRUE(sla::list_obligations(*sql_, "", "window", "open", 10).empty());
  EXPECT_EQ(sla::list_obligations(*sql_, "", "window", "met", 10).size(), 1u);
  EXPECT_EQ(sla::list_obligations(*sql_, "", "zjb", "open", 10).size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, Obligations, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
