// SLA due instants (sla/sla_policy.hpp) on the official 2025 and 2026 calendars,
// against dates worked out by hand from the State Council's notices (config/
// calendar-cn-2025.yaml, calendar-cn-2026.yaml).
#include "sla/sla_policy.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "support/hub_process.hpp"
#include "support/test_paths.hpp"

namespace {

using namespace yizhan;

class SlaPolicyTest : public ::testing::Test {
 protected:
  sla::WorkCalendar calendar_ = sla::WorkCalendar::load_dir(test::source_dir() / "config");
  sla::SlaPolicy demo_ = sla::SlaPolicy::load(test::source_dir() / "config" / "sla.yaml");

  // duty -> last second still on time, civil time.
  std::map<std::string, std::string> due(const std::string& system, const std::string& category,
                                         const std::string& from) {
    std::map<std::string, std::string> out;
    for (const auto& d : demo_.due_instants(system, category, *core::parse_instant(from), calendar_))
      out[d.rule.duty] = d.due_local;
    return out;
  }
};

TEST_F(SlaPolicyTest, WorkingDaysSkipTheSpringFestivalAndCountItsMakeUpSaturday) {
  // 12345, handle in 5 working days from Friday 2026-02-13: Sat 02-14 is a make-up
  // workday (1), 02-15..02-23 is 春节, then Tue 24 (2), Wed 25 (3), Thu 26 (4), Fri 27 (5).
  auto d = due("hotline12345", "社情民意", "2026-02-13T15:00:00+08:00");
  EXPECT_EQ(d["handle"], "2026-02-27T23:59:59+08:00");
  // Sign for within 2 hours: hours ignore the calendar, across midnight too.
  EXPECT_EQ(d["sign_for"], "2026-02-13T16:59:59+08:00");
  EXPECT_EQ(due("hotline12345", "社情民意", "2026-02-14T23:00:00+08:00")["sign_for"], "2026-02-15T00:59:59+08:00");
}

TEST_F(SlaPolicyTest, WorkingDaysAcrossNationalDay2026AndItsMakeUpSaturday) {
  // From Tue 2026-09-29: Wed 30 (1), 10-01..10-07 国庆节, Thu 08 (2), Fri 09 (3),
  // Sat 10 make-up (4), Mon 12 (5).
  EXPECT_EQ(due("hotline12345", "公共服务", "2026-09-29T10:00:00+08:00")["handle"], "2026-10-12T23:59:59+08:00");
}

TEST_F(SlaPolicyTest, WorkingDaysAcrossNationalDay2025WithASundayWorked) {
  // Defaults, sign for in 1 working day from Fri 2025-09-26: Sun 09-28 is a make-up
  // workday, so it is the next working day, not Mon 29.
  EXPECT_EQ(due("zongzhi", "公共服务", "2025-09-26T17:30:00+08:00")["sign_for"], "2025-09-28T23:59:59+08:00");
  // 10 working days from Tue 2025-09-30: 10-01..10-08 off, Thu 09 (1), Fri 10 (2),
  // Sat 11 make-up (3), Mon 13..Fri 17 (4..8), Mon 20 (9), Tue 21 (10).
  EXPECT_EQ(due("zongzhi", "公共服务", "2025-09-30T09:00:00+08:00")["handle"], "2025-10-21T23:59:59+08:00");
}

TEST_F(SlaPolicyTest, NaturalDaysThatEndOnARestDayMoveToTheNextWorkingDay) {
  // 信访: decide to accept within 15 days of 2025-01-15: 2025-01-30 is in 春节
  // (01-28..02-04), so the next working day, Wed 2025-02-05.
  auto d = due("xinfang", "矛盾纠纷/土地", "2025-01-15T11:00:00+08:00");
  EXPECT_EQ(d["sign_for"], "2025-02-05T23:59:59+08:00");
  // Handle within 60 days of 2026-02-10: 2026-04-11 is a Saturday: Mon 04-13.
  EXPECT_EQ(due("xinfang", "", "2026-02-10T10:00:00+08:00")["handle"], "2026-04-13T23:59:59+08:00");
  // 15 days of 2026-02-10 is Wed 02-25, a working day: stays.
  EXPECT_EQ(due("xinfang", "", "2026-02-10T10:00:00+08:00")["sign_for"], "2026-02-25T23:59:59+08:00");
}

TEST_F(SlaPolicyTest, TheCivilDateDecidesNotTheUtcOne) {
  // 00:30 Beijing on Mon 2026-03-02 is still Sunday in UTC: the clock starts Monday.
  EXPECT_EQ(due("zongzhi", "", "2026-03-02T00:30:00+08:00")["sign_for"], "2026-03-03T23:59:59+08:00");
}

TEST_F(SlaPolicyTest, TheMostSpecificListWinsWhole) {
  auto ds =
      demo_.due_instants("hotline12345", "矛盾纠纷/土地", *core::parse_instant("2026-03-02T09:00:00+08:00"), calendar_);
  ASSERT_FALSE(ds.empty());
  EXPECT_EQ(ds.front().source, "hotline12345/矛盾纠纷/");
  EXPECT_EQ(demo_.due_instants("hotline12345", "公共服务", *core::parse_instant("2026-03-02T09:00:00+08:00"), calendar_)
                .front()
                .source,
            "hotline12345");
  EXPECT_EQ(demo_.due_instants("mediation", "公共服务", *core::parse_instant("2026-03-02T09:00:00+08:00"), calendar_)
                .front()
                .source,
            "defaults");
}

TEST_F(SlaPolicyTest, ACategoryListAppliesToEverySystemButOneThatHasItsOwnForIt) {
  test::TempDir dir;
  std::ofstream(dir.path() / "sla.yaml") << "version: 1\n"
                                            "defaults:\n"
                                            "  - {duty: sign_for, within: 1, unit: workdays}\n"
                                            "categories:\n"
                                            "  应急处置:\n"
                                            "    - {duty: sign_for, within: 1, unit: hours}\n"
                                            "systems:\n"
                                            "  grid:\n"
                                            "    default:\n"
                                            "      - {duty: sign_for, within: 2, unit: workdays}\n"
                                            "  hotline12345:\n"
                                            "    categories:\n"
                                            "      应急处置:\n"
                                            "        - {duty: sign_for, within: 30, unit: hours}\n";
  const auto p = sla::SlaPolicy::load(dir.path() / "sla.yaml");
  EXPECT_EQ(p.rules_for("grid", "应急处置").second, "categories/应急处置");  // beats the system's default
  EXPECT_EQ(p.rules_for("mediation", "应急处置").second, "categories/应急处置");
  EXPECT_EQ(p.rules_for("hotline12345", "应急处置").second, "hotline12345/应急处置");  // its own wins
  EXPECT_EQ(p.rules_for("grid", "公共服务").second, "grid");
  // A gas leak a grid worker reports at 22:10 is signed for by 23:10, not in 2 working days.
  const auto d = p.due_instants("grid", "应急处置", *core::parse_instant("2026-03-02T22:10:00+08:00"), calendar_);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].due_local, "2026-03-02T23:09:59+08:00");
}

TEST_F(SlaPolicyTest, ADeadlineOutsideTheLoadedYearsIsAnErrorNotAGuess) {
  EXPECT_THROW(demo_.due_instants("xinfang", "", *core::parse_instant("2026-12-20T09:00:00+08:00"), calendar_),
               sla::CalendarRangeError);
}

TEST_F(SlaPolicyTest, ABadFileNamesEveryProblem) {
  test::TempDir dir;
  const auto file = dir.path() / "sla.yaml";
  std::ofstream(file) << "utc_offset: Beijing\ndefaults:\n  - {duty: sign, within: -1, unit: weeks}\n"
                         "  - {duty: handle, within: 3, unit: days, extra: 1}\n";
  try {
    sla::SlaPolicy::load(file);
    FAIL() << "loaded";
  } catch (const sla::SlaFileError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("utc_offset: expected ±HH:MM"), std::string::npos) << m;
    EXPECT_NE(m.find("'sign' is not one of"), std::string::npos) << m;
    EXPECT_NE(m.find("within: a whole number"), std::string::npos) << m;
    EXPECT_NE(m.find("'weeks' is not one of"), std::string::npos) << m;
    EXPECT_NE(m.find("extra: unknown key"), std::string::npos) << m;
  }
}

TEST_F(SlaPolicyTest, PerRuleEscalationAndTriageAreChecked) {
  test::TempDir dir;
  const auto file = dir.path() / "sla.yaml";
  std::ofstream(file) << "defaults:\n  - {duty: sign_for, within: 2, unit: hours, escalate_at: 1.5, warn_at: 0,\n"
                         "     supervise: {within: 1, unit: weeks}}\n"
                         "triage: {within: 1, unit: workdays}\n";
  try {
    sla::SlaPolicy::load(file);
    FAIL() << "loaded";
  } catch (const sla::SlaFileError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("escalate_at: must be between 0 and 1"), std::string::npos) << m;
    EXPECT_NE(m.find("warn_at: must be between 0 and 1"), std::string::npos) << m;
    EXPECT_NE(m.find(".supervise: expected {within: 0..3650, unit: workdays|days|hours}"), std::string::npos) << m;
    EXPECT_NE(m.find("triage (line 4): expected {within: 0..3650, unit: workdays|days|hours, department:"),
              std::string::npos)
        << m;
  }
  std::ofstream(file) << "defaults:\n  - {duty: sign_for, within: 2, unit: hours, escalate_at: 0.8, warn_at: 0.5,\n"
                         "     supervise: {within: 1, unit: hours}}\n"
                         "triage: {within: 4, unit: hours, department: window}\n";
  const auto p = sla::SlaPolicy::load(file);
  const auto& rule = p.rules_for("any", "any").first->front();
  EXPECT_EQ(rule.escalate_at, 0.8);
  EXPECT_EQ(p.warn_fraction(rule), 0.5);
  EXPECT_EQ(p.supervise_duty(rule.supervise_within, rule.supervise_unit).unit, "hours");
  EXPECT_EQ(p.supervise_duty(-1, "").unit, "workdays");  // the file's escalation default
  ASSERT_TRUE(p.triage());
  EXPECT_EQ(p.triage()->second, "window");
  EXPECT_EQ(p.triage()->first.within, 4);
}

TEST_F(SlaPolicyTest, SlaDueOnTheCommandLine) {
  auto r = test::run_yizhan({"sla", "due", "--system", "xinfang", "--category", "矛盾纠纷/土地", "--from",
                             "2026-02-10T10:00:00+08:00", "--calendar-dir", (test::source_dir() / "config").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("handle\t60 days\tdue by 2026-04-13T23:59:59+08:00"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("extension: at most 30 days"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("clock from accepted"), std::string::npos) << r.out;  // 信访 handling runs from 受理
  auto bad = test::run_yizhan({"sla", "due", "--system", "xinfang", "--from", "tomorrow", "--calendar-dir",
                               (test::source_dir() / "config").string()});
  EXPECT_EQ(bad.exit_code, 2);
}

}  // namespace
