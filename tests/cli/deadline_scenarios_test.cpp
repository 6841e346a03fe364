// Deadlines where real practice is hardest (issue 15 part A), through the running hub as
// county IT runs it: `yizhan serve` with a county's own routing and SLA files (written
// here, not the demo's), two systems pushing their records (the grid platform and the
// 信访 office, as the fixture push plugin built under two names), the training clock
// (clock.start, moved by POST /api/v1/admin/clock) and the staff's actions over the API.
// Every expected date is worked by hand on the 2026 calendar (config/calendar-cn-2026.yaml):
// 中秋节 09-25…09-27 off with Sunday 09-20 worked; 国庆节 10-01…10-07 off with Saturday 10-10
// worked; 春节 02-15…02-23 off. A due instant is the end of its last day, Beijing time:
// "end of 10-08" is 2026-10-08T16:00:00Z.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <set>
#include <tuple>

#include "core/time.hpp"
#include "support/hub_process.hpp"

namespace yizhan {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

// The county's files, as its IT office writes them from docs/configuration.md.
constexpr const char* kRouting = R"(version: 1
rules:
  - name: 应急
    match: {category: [应急处置]}
    level: town
    departments: [yjj]
  - name: 劳资会商
    match: {category: [矛盾纠纷/劳资]}
    level: joint
    departments: [rsj, sfj]
  - name: 土地
    match: {category: ["矛盾纠纷/土地"]}
    level: town
    departments: [nyncj]
)";

constexpr const char* kSla = R"(version: 1
utc_offset: "+08:00"
defaults:
  - {duty: sign_for, within: 1, unit: workdays}
  - {duty: handle, within: 10, unit: workdays}
  - {duty: reply, within: 12, unit: workdays}
systems:
  fixture_letters:            # the 信访 office: 受理 decision in 15 days, handled in 60 from 受理
    answered_by: xfj
    default:
      - {duty: sign_for, within: 15, unit: days}
      - {duty: handle, within: 60, unit: days, extend_max: 30, starts: accepted}
categories:
  应急处置:                    # any system: a gas leak
    - {duty: sign_for, within: 2, unit: hours, escalate_at: 0.8, supervise: {within: 1, unit: hours}}
escalation:
  within: 3
  unit: workdays
  to:
    town: {level: county, department: shgzb}
    joint: {level: county, department: shgzb}
triage: {within: 1, unit: workdays, department: window}
problem_orders:               # 问题工单
  returned: 3
  passed_among: 3
  overdue_for: {within: 2, unit: workdays}
  to: {level: county, department: shgzb}
  supervise: {within: 1, unit: workdays}
)";

// (system, department, duty, due_at) of a case's obligations in one state group.
using Duty = std::tuple<std::string, std::string, std::string, std::string>;
using Duties = std::set<Duty>;

std::string record(const std::string& id, const std::string& category, const std::string& received_at,
                   const std::string& phone, const std::string& text, const std::string& division = "140929100201") {
  return json::serialize(json::object{{"id", id},
                                      {"title", text.substr(0, 12)},
                                      {"description", text},
                                      {"category", category},
                                      {"channel", "来信"},
                                      {"division_code", division},
                                      {"grid_id", division + "-02"},
                                      {"name", "王秀英"},
                                      {"phone", phone},
                                      {"received_at", received_at}}) +
         "\n";
}

// A land dispute as the grid worker and the 信访 letter word it: one matter.
const std::string kLand = "村民王秀英与邻村因承包地边界发生纠纷，双方多次争执，请求确认地界。";

class Deadlines : public ::testing::Test {
 protected:
  void start(const std::string& clock) {
    std::ofstream(dir_.path() / "routing.yaml") << kRouting;
    std::ofstream(dir_.path() / "sla.yaml") << kSla;
    config_ = test::write_hub_config(dir_.path(),
                                     "database: {backend: sqlite, path: hub.db}\nplugin_dir: ${TEST_PLUGIN_DIR}\n"
                                     "plugins: [{name: fixture_push}, {name: fixture_letters}]\n"
                                     "instances:\n"
                                     "  - {name: grid, plugin: fixture_push, config: {secret: s}}\n"
                                     "  - {name: letters, plugin: fixture_letters, config: {secret: s}}\n"
                                     "routing: {rules: routing.yaml}\n"
                                     "sla: {file: sla.yaml, calendars: " +
                                         (test::source_dir() / "config").string() +
                                         ", sweep_interval_ms: 200}\n"
                                         "clock: {start: \"" +
                                         clock + "\", adjustable: true}\nauth: {counter_departments: [window]}\n");
    hub_ = std::make_unique<test::HubProcess>(config_, dir_.path() / "data");
  }
  void push(const std::string& instance, const std::string& body) {
    sdk::HttpRequest req;
    req.method = "POST";
    req.url = "http://127.0.0.1:" + std::to_string(hub_->port()) + "/hooks/" + instance;
    req.body = body;
    req.headers["x-fixture-signature"] = "s:" + std::to_string(body.size());
    const auto r = sdk::http_request(req);
    ASSERT_EQ(r.status, 200) << r.body;
  }
  json::object the_case(int64_t id) { return hub_->get_json("/api/v1/cases/" + std::to_string(id)).as_object(); }
  // The case that stands for case `id`: its group's root when it was merged.
  int64_t root_of(int64_t id) {
    const auto c = the_case(id);
    return c.at("merged_into").is_int64() ? c.at("merged_into").as_int64() : id;
  }
  // The case's obligations in `states` (open, paused, overdue, met, cancelled).
  Duties duties(int64_t id, std::set<std::string> states = {"open", "paused", "overdue"}) {
    Duties out;
    const auto c = the_case(id);
    for (const auto& o : c.at("obligations").as_array())
      if (states.contains(std::string(o.at("state").as_string())))
        out.insert({std::string(o.at("system").as_string()), std::string(o.at("department").as_string()),
                    std::string(o.at("duty").as_string()), std::string(o.at("due_at").as_string())});
    return out;
  }
  std::string token_for(const std::string& department) {
    auto made = test::run_yizhan({"token", "create", "--config", config_.string(), "--data-dir",
                                  (dir_.path() / "data").string(), "--name", "op@" + department, "--role", "operator",
                                  "--department", department});
    EXPECT_EQ(made.exit_code, 0) << made.err;
    return made.out.substr(0, made.out.find('\n'));
  }
  void act(int64_t id, const std::string& action, const std::string& body, const std::string& token = {}) {
    const auto r = hub_->request("POST", "/api/v1/cases/" + std::to_string(id) + "/actions/" + action, body, token);
    ASSERT_EQ(r.status, 200) << action << " → " << r.body;
  }
  void set_clock(const std::string& instant) {
    const auto r = hub_->request("POST", "/api/v1/admin/clock", "{\"set\":\"" + instant + "\"}");
    ASSERT_EQ(r.status, 200) << r.body;
  }

  test::TempDir dir_;
  std::filesystem::path config_;
  std::unique_ptr<test::HubProcess> hub_;
};

// A.1, A.3: the grid reported the land dispute on Thursday 09-17; the 信访 letter about it
// was registered Friday 09-18 and joins the case. The case owes both systems' duties,
// each by its own rules from its own registration: the grid's (nyncj) sign-for by the
// end of 09-18, handle 10 working days (09-18, 09-20 worked, 21–24, 28–30, 10-08:
// 中秋 and 国庆 skipped) and reply 12 (10-09, Saturday 10-10 worked); the letter's 受理
// decision 15 natural days → 10-03, inside 国庆 → the end of 10-08, owed by xfj.
TEST_F(Deadlines, ALinkedCaseOwesEverySourcesDutiesByItsRules) {
  start("2026-09-18T09:30:00+08:00");
  push("grid", record("GRID-0917-01", "矛盾纠纷/土地", "2026-09-17T10:00:00+08:00", "13812341234", kLand));
  push("letters", record("XF-2026-000918", "矛盾纠纷/土地", "2026-09-18T09:00:00+08:00", "13812341234", kLand));
  const int64_t id = 1;  // the grid's record; the letter is case 2
  ASSERT_EQ(root_of(2), id) << "the letter joined the grid's case";
  EXPECT_EQ(duties(id), (Duties{{"fixture_push", "nyncj", "sign_for", "2026-09-18T16:00:00Z"},
                                {"fixture_push", "nyncj", "handle", "2026-10-08T16:00:00Z"},
                                {"fixture_push", "nyncj", "reply", "2026-10-10T16:00:00Z"},
                                {"fixture_letters", "xfj", "sign_for", "2026-10-08T16:00:00Z"}}));
}

// A.3: a backlog — a record registered Monday 09-14 10:00 reaches the hub on 09-18. Its
// clocks run from 09-14: sign-for by the end of 09-15 (from the hub's time it would be
// the end of Sunday 09-20, a worked day), handle 10 working days → the end of 09-28.
TEST_F(Deadlines, ABacklogRecordsClockRunsFromItsRegistration) {
  start("2026-09-18T09:30:00+08:00");
  push("grid", record("GRID-0914-07", "矛盾纠纷/土地", "2026-09-14T10:00:00+08:00", "13900001111",
                      "两户因宅基地边界发生争执。", "140929100202"));
  const int64_t id = 1;
  const auto all = duties(id, {"open", "overdue"});
  EXPECT_TRUE(all.contains({"fixture_push", "nyncj", "sign_for", "2026-09-15T16:00:00Z"}));
  EXPECT_TRUE(all.contains({"fixture_push", "nyncj", "handle", "2026-09-28T16:00:00Z"}));
}

// A.2: unmerge and merge again through the API leave exactly the duties each case owes:
// the letter's 受理 decision moves with the letter and comes back, still due 10-08 (from
// its registration); the member owes nothing while merged; nothing is owed twice.
TEST_F(Deadlines, MergeUnmergeAndMergeAgainLeaveExactlyTheOwedDuties) {
  start("2026-09-18T09:30:00+08:00");
  push("grid", record("GRID-0917-01", "矛盾纠纷/土地", "2026-09-17T10:00:00+08:00", "13812341234", kLand));
  push("letters", record("XF-2026-000918", "矛盾纠纷/土地", "2026-09-18T09:00:00+08:00", "13812341234", kLand));
  const int64_t root = 1, member = 2;  // the grid's record and the letter's
  ASSERT_EQ(root_of(member), root);
  const Duties grid{{"fixture_push", "nyncj", "sign_for", "2026-09-18T16:00:00Z"},
                    {"fixture_push", "nyncj", "handle", "2026-10-08T16:00:00Z"},
                    {"fixture_push", "nyncj", "reply", "2026-10-10T16:00:00Z"}};
  const Duty letter{"fixture_letters", "xfj", "sign_for", "2026-10-08T16:00:00Z"};

  auto r = hub_->request("POST", "/api/v1/cases/" + std::to_string(member) + "/unmerge", R"({"reason":"不是一件事"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(duties(root), grid);
  EXPECT_EQ(duties(member), (Duties{letter}));

  r = hub_->request("POST", "/api/v1/cases/" + std::to_string(member) + "/merge",
                    "{\"into\":" + std::to_string(root) + ",\"reason\":\"核实为同一地块\"}");
  ASSERT_EQ(r.status, 200) << r.body;
  auto both = grid;
  both.insert(letter);
  EXPECT_EQ(duties(root), both);
  EXPECT_TRUE(duties(member).empty());
}

// A.4: the letter's handling runs 60 days from the 受理 decision, not from registration:
// nothing runs before xfj accepts; accepted Monday 09-21 → 60 days → 11-20 (a Friday).
TEST_F(Deadlines, HandlingRunsFromTheAcceptanceDecision) {
  start("2026-09-18T09:30:00+08:00");
  push("letters", record("XF-2026-000919", "矛盾纠纷/土地", "2026-09-18T09:00:00+08:00", "13700002222",
                         "反映村集体土地流转收益分配不公。", "140929100203"));
  const int64_t id = 1;
  EXPECT_EQ(duties(id), (Duties{{"fixture_letters", "xfj", "sign_for", "2026-10-08T16:00:00Z"}}));
  set_clock("2026-09-21T10:00:00+08:00");
  act(id, "accept", R"({"reason":"符合受理条件"})", token_for("xfj"));
  EXPECT_EQ(duties(id), (Duties{{"fixture_letters", "xfj", "handle", "2026-11-20T16:00:00Z"}}));
  EXPECT_EQ(duties(id, {"met"}), (Duties{{"fixture_letters", "xfj", "sign_for", "2026-10-08T16:00:00Z"}}));
}

// A.5: joint handling (会商) is per department: rsj's accept meets only rsj's sign-for,
// and rsj's return cancels only rsj's duties; sfj's run on.
TEST_F(Deadlines, JointHandlingIsPerDepartment) {
  start("2026-09-14T09:00:00+08:00");
  push("grid", record("GRID-0914-02", "矛盾纠纷/劳资", "2026-09-14T09:00:00+08:00", "13900000000",
                      "某工地拖欠二十名工人工资三个月。", "140929100204"));
  const int64_t id = 1;
  // From Monday 09-14: sign-for the end of 09-15, handle the end of 09-28, reply 09-30.
  const Duties sfj{{"fixture_push", "sfj", "sign_for", "2026-09-15T16:00:00Z"},
                   {"fixture_push", "sfj", "handle", "2026-09-28T16:00:00Z"},
                   {"fixture_push", "sfj", "reply", "2026-09-30T16:00:00Z"}};
  auto all = sfj;
  for (const auto& [system, department, duty, due] : sfj) all.insert({system, "rsj", duty, due});
  EXPECT_EQ(duties(id), all);
  const std::string rsj = token_for("rsj");
  act(id, "accept", R"({"reason":"人社局签收"})", rsj);
  EXPECT_EQ(duties(id, {"met"}), (Duties{{"fixture_push", "rsj", "sign_for", "2026-09-15T16:00:00Z"}}));
  act(id, "return", R"({"reason":"不属于本部门职责"})", rsj);
  EXPECT_EQ(duties(id), sfj);
}

// A.6: the counter reassigns the land dispute from nyncj to zrzyj on Tuesday 09-15 at
// 10:00: zrzyj's sign-for and handle run from then (the end of 09-16; 10 working days
// → the end of 09-29), but the reply owed to the citizen stays due the end of 09-30.
TEST_F(Deadlines, AReassignMovesOnlyTheNewAssigneesDuties) {
  start("2026-09-14T09:00:00+08:00");
  push("grid", record("GRID-0914-03", "矛盾纠纷/土地", "2026-09-14T09:00:00+08:00", "13900003333",
                      "邻里因排水沟占地发生纠纷。", "140929100205"));
  const int64_t id = 1;
  set_clock("2026-09-15T10:00:00+08:00");
  act(id, "reassign", R"({"departments":["zrzyj"],"reason":"属自然资源局职责"})");
  EXPECT_EQ(duties(id), (Duties{{"fixture_push", "zrzyj", "sign_for", "2026-09-16T16:00:00Z"},
                                {"fixture_push", "zrzyj", "handle", "2026-09-29T16:00:00Z"},
                                {"fixture_push", "zrzyj", "reply", "2026-09-30T16:00:00Z"}}));
}

// A.7: a gas leak on 2026-02-16 (inside 春节): sign-for within 2 hours (by 11:00); 督办 at
// 80 % of the time, 10:36, while the duty still runs, with a supervision of its own one
// hour (not the file's 3 working days, which would run to the end of 02-26).
TEST_F(Deadlines, AGasLeakIsEscalatedAtEightyPercentWithItsOwnSupervisionLimit) {
  start("2026-02-16T09:00:00+08:00");
  push("grid", record("GRID-0216-01", "应急处置", "2026-02-16T09:00:00+08:00", "13900004444",
                      "居民楼道内闻到燃气味，疑似燃气泄漏。", "140929100206"));
  const int64_t id = 1;
  EXPECT_EQ(duties(id), (Duties{{"fixture_push", "yjj", "sign_for", "2026-02-16T03:00:00Z"}}));
  set_clock("2026-02-16T10:36:00+08:00");
  ASSERT_TRUE(test::eventually([&] { return the_case(id).at("status") == "supervised"; }, 10s));
  const auto running = duties(id);
  ASSERT_EQ(running.size(), 2u);
  EXPECT_TRUE(running.contains({"fixture_push", "yjj", "sign_for", "2026-02-16T03:00:00Z"}));  // still open
  for (const auto& [system, department, duty, due] : running)
    if (duty == "supervise") {
      EXPECT_EQ(department, "shgzb");
      // One hour from the sweep that escalated it, just after 10:36.
      const auto at = core::parse_instant(due);
      ASSERT_TRUE(at);
      EXPECT_GE(*at, *core::parse_instant("2026-02-16T03:36:00Z"));
      EXPECT_LT(*at, *core::parse_instant("2026-02-16T03:38:00Z"));
    }
}

// Triage gets a deadline: a matter no rule routes, registered Friday 09-18 15:00, owes
// the counter (window) its triage by the end of Sunday 09-20 (a worked day); the
// counter's reassignment meets it.
TEST_F(Deadlines, TriageHasADeadline) {
  start("2026-09-18T15:30:00+08:00");
  push("grid", record("GRID-0918-09", "社情民意", "2026-09-18T15:00:00+08:00", "13900005555",
                      "建议在村口增设公交站牌。", "140929100207"));
  const int64_t id = 1;
  EXPECT_EQ(duties(id), (Duties{{"", "window", "triage", "2026-09-20T16:00:00Z"}}));
  act(id, "reassign", R"({"departments":["jtj"],"reason":"交通局办理"})");
  EXPECT_EQ(duties(id, {"met"}), (Duties{{"", "window", "triage", "2026-09-20T16:00:00Z"}}));
}

// B.12 问题工单, one test per rule. Each raises the case once: flagged with its rule, made
// 督办, taken up by shgzb at the county level on a duty of one working day, listed in the
// problem queue and counted on the dashboard.
class ProblemOrders : public Deadlines {
 protected:
  void expect_raised(int64_t id, const std::string& rule, const std::string& supervise_due) {
    const auto c = the_case(id);
    ASSERT_TRUE(c.at("problem_order").is_object()) << json::serialize(c);
    EXPECT_EQ(c.at("problem_order").at("rule"), json::value(rule));
    EXPECT_EQ(c.at("problem_order").at("department"), "shgzb");
    EXPECT_EQ(c.at("status"), "supervised");
    EXPECT_TRUE(duties(id).contains({"", "shgzb", "supervise", supervise_due}));
    const auto queue = hub_->get_json("/api/v1/cases?queue=problem").as_object();
    ASSERT_EQ(queue.at("items").as_array().size(), 1u);
    EXPECT_EQ(queue.at("items").as_array().at(0).at("id"), id);
    EXPECT_EQ(hub_->get_json("/api/v1/stats").at("problem_orders"), 1);
    int raised = 0;
    for (const auto& e : c.at("events").as_array()) raised += e.at("type") == "problem_order_raised";
    EXPECT_EQ(raised, 1);
  }
};

// Returned a third time (by nyncj, zrzyj, nyncj, the first two after signing for it) on
// Tuesday 09-15: the supervision is due
// the end of Wednesday 09-16.
TEST_F(ProblemOrders, RaisedWhenReturnedThreeTimes) {
  start("2026-09-15T09:00:00+08:00");
  push("grid", record("GRID-0915-01", "矛盾纠纷/土地", "2026-09-15T08:30:00+08:00", "13900006666",
                      "两户因院墙占地发生纠纷。", "140929100208"));
  const int64_t id = 1;
  const std::string nyncj = token_for("nyncj"), zrzyj = token_for("zrzyj");
  // Each signs for it, looks into it and sends it back (so it is not "passed around").
  act(id, "accept", R"({"reason":"签收"})", nyncj);
  act(id, "return", R"({"reason":"不属于本部门"})", nyncj);
  act(id, "reassign", R"({"departments":["zrzyj"],"reason":"改派自然资源局"})");
  act(id, "accept", R"({"reason":"签收"})", zrzyj);
  act(id, "return", R"({"reason":"不属于本部门"})", zrzyj);
  EXPECT_TRUE(the_case(id).at("problem_order").is_null());  // two returns: not yet
  act(id, "reassign", R"({"departments":["nyncj"],"reason":"再派农业农村局"})");
  act(id, "return", R"({"reason":"仍不属于本部门"})", nyncj);
  expect_raised(id, "returned", "2026-09-16T16:00:00Z");
}

// Routed to nyncj, then handed on to zrzyj and to jtj with nobody signing for it: raised
// at the third hand-off.
TEST_F(ProblemOrders, RaisedWhenPassedAmongThreeDepartmentsNoneAccepting) {
  start("2026-09-15T09:00:00+08:00");
  push("grid", record("GRID-0915-02", "矛盾纠纷/土地", "2026-09-15T08:30:00+08:00", "13900007777",
                      "村道旁堆放杂物占用耕地。", "140929100209"));
  const int64_t id = 1;
  act(id, "reassign", R"({"departments":["zrzyj"],"reason":"改派"})");
  EXPECT_TRUE(the_case(id).at("problem_order").is_null());
  act(id, "reassign", R"({"departments":["jtj"],"reason":"再改派"})");
  expect_raised(id, "passed_around", "2026-09-16T16:00:00Z");
}

// A backlog record registered Monday 09-14: its sign-for was due the end of 09-15 and is
// still overdue two working days later (the end of 09-17) when the hub starts on Friday
// 09-18: the sweep raises it; the supervision is due the end of Sunday 09-20 (worked).
TEST_F(ProblemOrders, RaisedWhenOverdueTwoWorkingDaysPastTheDeadline) {
  start("2026-09-18T09:30:00+08:00");
  push("grid", record("GRID-0914-08", "矛盾纠纷/土地", "2026-09-14T10:00:00+08:00", "13900008888",
                      "邻里因屋檐滴水发生争执。", "140929100210"));
  const int64_t id = 1;
  ASSERT_TRUE(test::eventually([&] { return the_case(id).at("problem_order").is_object(); }, 10s));
  expect_raised(id, "overdue", "2026-09-20T16:00:00Z");
}

}  // namespace
}  // namespace yizhan
