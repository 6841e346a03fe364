// Department ratings (sla/department_ratings.hpp) on both stores, on a fixture whose
// rates are worked out by hand. The week rated: Monday 2026-09-14 to Sunday 09-20,
// Beijing time. Two departments:
//
//   nyncj  case 1: signed for in time, handled in time, rated basically satisfied
//          case 2: signed for late (met after its due instant), handling overdue
//          → 按时签收 1/2, 按时办结 1/2, 满意 1/1, 发回重办 0/2
//          score = 0.2·0.5 + 0.4·0.5 + 0.3·1 + 0.1·(1 − 0) = 0.70
//   zrzyj  case 3: in time, rated dissatisfied, reopened (重办)
//          case 4: in time, rated satisfied
//          → 按时签收 2/2, 按时办结 2/2, 满意 1/2, 发回重办 1/2
//          score = 0.2·1 + 0.4·1 + 0.3·0.5 + 0.1·(1 − 0.5) = 0.80
//
// so zrzyj ranks first. The week before has nothing: no previous score, no trend.
#include "sla/department_ratings.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "sla/obligations.hpp"
#include "store/case_writer.hpp"
#include "support/ingest_support.hpp"
#include "support/store_backends.hpp"
#include "support/test_paths.hpp"

namespace {

using namespace yizhan;

const std::string kKeyHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

core::Instant at(const std::string& text) { return *core::parse_instant(text); }

class DepartmentRatings : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    backend_ = test::make_backend(GetParam());
    sql_ = backend_.db->connect();
    std::vector<store::CaseWrite> writes;
    for (int i = 1; i <= 4; ++i) {
      store::CaseWrite w;
      w.record.external_id = "R-" + std::to_string(i);
      w.record.version = "1";
      w.record.title = "事项" + std::to_string(i);
      w.record.category = "矛盾纠纷/土地";
      w.record.status = "dispatched";
      w.raw = "{}";
      w.record.received_at = w.record.updated_at = "2026-09-14T01:00:00Z";
      writes.push_back(w);
    }
    test::store_records(*sql_, backend_.db->dialect(), pii_, "grid_1", "grid", writes);
    const auto file = dir_.path() / "sla.yaml";
    std::ofstream(file) << "defaults:\n  - {duty: sign_for, within: 1, unit: workdays}\n";
    sla_.policy = std::make_shared<const sla::SlaPolicy>(sla::SlaPolicy::load(file));
    sla_.calendar =
        std::make_shared<const sla::WorkCalendar>(sla::WorkCalendar::load_dir(test::source_dir() / "config"));
  }

  // A duty of `department` on case `id` from Monday 09-14 09:00, `within` working days.
  void owe(int64_t id, const std::string& department, const std::string& duty, int within) {
    sla::open_obligation(*sql_, sla_, id, department, "town", sla::DutyRule{duty, within, "workdays", 0, "assigned"},
                         at("2026-09-14T09:00:00+08:00"), "grid");
  }
  void meet(int64_t id, const std::string& duty, const std::string& when) {
    sla::settle_open_obligations(*sql_, id, "met", core::format_utc(at(when)), duty);
  }
  void event(int64_t id, const std::string& type, const std::string& rating, const std::string& when) {
    db::WriteTransaction tx(*sql_, backend_.db->dialect());
    ledger::EventAppender events(*sql_, backend_.db->dialect());
    boost::json::object data{{"reason", "回访"}};
    if (!rating.empty()) data["rating"] = rating;
    events.append(id, type, "user:visitor", data, core::format_utc(at(when)));
    events.flush();
    tx.commit();
  }

  test::TempDir dir_;
  test::Backend backend_;
  std::unique_ptr<soci::session> sql_;
  crypto::PiiProtector pii_ = crypto::PiiProtector::from_hex(kKeyHex);
  sla::SlaSettings sla_;
};

TEST_P(DepartmentRatings, RatesScoresAndRanksAWorkedWeek) {
  owe(1, "nyncj", "sign_for", 1);  // due the end of 09-15
  owe(1, "nyncj", "handle", 5);    // due the end of 09-20 (a worked Sunday)
  owe(2, "nyncj", "sign_for", 1);
  owe(2, "nyncj", "handle", 1);  // due the end of 09-15
  owe(3, "zrzyj", "sign_for", 1);
  owe(3, "zrzyj", "handle", 5);
  owe(4, "zrzyj", "sign_for", 1);
  owe(4, "zrzyj", "handle", 5);
  meet(1, "sign_for", "2026-09-15T10:00:00+08:00");
  meet(2, "sign_for", "2026-09-16T10:00:00+08:00");  // a day late
  meet(3, "sign_for", "2026-09-14T12:00:00+08:00");
  meet(4, "sign_for", "2026-09-15T17:00:00+08:00");
  // Case 2's handling runs out: the sweep marks it overdue.
  sla::sweep_obligations(*sql_, backend_.db->dialect(), sla_, at("2026-09-16T11:00:00+08:00"));
  meet(1, "handle", "2026-09-18T10:00:00+08:00");
  meet(3, "handle", "2026-09-17T10:00:00+08:00");
  meet(4, "handle", "2026-09-18T16:00:00+08:00");
  event(1, "followed_up", "basically_satisfied", "2026-09-19T10:00:00+08:00");
  event(3, "rated", "dissatisfied", "2026-09-18T11:00:00+08:00");
  event(3, "reopened", "", "2026-09-19T09:00:00+08:00");
  event(4, "rated", "satisfied", "2026-09-19T11:00:00+08:00");
  event(4, "rated", "satisfied", "2026-09-21T11:00:00+08:00");  // next week: not counted

  const sla::Period week{"2026-09-13T16:00:00Z", "2026-09-20T16:00:00Z"};
  const sla::Period before{"2026-09-06T16:00:00Z", "2026-09-13T16:00:00Z"};
  const auto rated = sla::rate_departments(*sql_, sla::RatingRules{}, week, before);
  ASSERT_EQ(rated.size(), 2u);
  const auto& z = rated[0];
  const auto& n = rated[1];
  ASSERT_EQ(z.department, "zrzyj");
  EXPECT_EQ(z.rank, 1);
  EXPECT_NEAR(*z.score, 0.80, 1e-9);
  EXPECT_EQ(z.rates.at("sign_for_on_time").numerator, 2);
  EXPECT_EQ(z.rates.at("sign_for_on_time").denominator, 2);
  EXPECT_EQ(z.rates.at("handle_on_time").numerator, 2);
  EXPECT_EQ(z.rates.at("satisfaction").numerator, 1);
  EXPECT_EQ(z.rates.at("satisfaction").denominator, 2);
  EXPECT_EQ(z.rates.at("reopened").numerator, 1);
  EXPECT_EQ(z.rates.at("reopened").denominator, 2);
  ASSERT_EQ(n.department, "nyncj");
  EXPECT_EQ(n.rank, 2);
  EXPECT_NEAR(*n.score, 0.70, 1e-9);
  EXPECT_EQ(n.rates.at("sign_for_on_time").numerator, 1);
  EXPECT_EQ(n.rates.at("sign_for_on_time").denominator, 2);
  EXPECT_EQ(n.rates.at("handle_on_time").numerator, 1);
  EXPECT_EQ(n.rates.at("handle_on_time").denominator, 2);
  EXPECT_EQ(n.rates.at("satisfaction").numerator, 1);
  EXPECT_EQ(n.rates.at("satisfaction").denominator, 1);
  EXPECT_EQ(n.rates.at("reopened").numerator, 0);
  EXPECT_EQ(n.rates.at("reopened").denominator, 2);
  EXPECT_FALSE(z.previous_score);

  // The week after, rated against this one: the trend has a base; a department whose
  // only count is a rating ranks by that alone. Weights from config change the score.
  const sla::Period next{"2026-09-20T16:00:00Z", "2026-09-27T16:00:00Z"};
  sla::RatingRules satisfaction_only;
  satisfaction_only.weights = {{"satisfaction", 1.0}};
  const auto later = sla::rate_departments(*sql_, satisfaction_only, next, week);
  ASSERT_EQ(later.size(), 2u);
  EXPECT_EQ(later[0].department, "zrzyj");
  EXPECT_NEAR(*later[0].score, 1.0, 1e-9);           // one satisfied rating
  EXPECT_NEAR(*later[0].previous_score, 0.5, 1e-9);  // 1 of 2 the week before
  EXPECT_EQ(later[1].department, "nyncj");
  EXPECT_FALSE(later[1].score);  // nothing this week: listed, not ranked
  EXPECT_EQ(later[1].rank, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, DepartmentRatings, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
