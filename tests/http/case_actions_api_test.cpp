// Staff actions over real HTTP (workflow/case_actions.hpp), on both stores, with the demo
// county's routing rules and SLA file: a case returned twice and reassigned, then
// accepted, replied and closed; each step an event, each illegal move a 409 with the
// moves allowed; the obligations follow; the ledger verifies.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <yizhan/sdk/http_client.hpp>

#include "core/time.hpp"
#include "http/api_server.hpp"
#include "ingest/ingestor.hpp"
#include "ledger/ledger_verifier.hpp"
#include "sla/obligations.hpp"
#include "support/store_backends.hpp"
#include "support/test_paths.hpp"

namespace {

using namespace yizhan;
namespace json = boost::json;

const std::string kKeyHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

class CaseActionsApi : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    // The hub clock at Thursday 2026-02-12 09:00 Beijing time, the eve of the Spring
    // Festival holiday, so the due dates below are worked out by hand on that calendar.
    set_clock("2026-02-12T01:00:00Z");
    backend_ = test::make_backend(GetParam());
    const auto dir = test::source_dir() / "config";
    settings_.rules = std::make_shared<const routing::RuleSet>(
        routing::RuleSet::load(dir / "routing.yaml", routing::RuleSet::county_departments(dir / "county.yaml")));
    settings_.sla.policy = std::make_shared<const sla::SlaPolicy>(sla::SlaPolicy::load(dir / "sla.yaml"));
    settings_.sla.calendar = std::make_shared<const sla::WorkCalendar>(sla::WorkCalendar::load_dir(dir));
    store::CaseWrite w;
    w.record.external_id = "12345-1";
    w.record.version = "1";
    w.record.title = "楼上噪音扰民";
    w.record.description = "来电反映：楼上每晚十点后仍在装修，噪音很大。";
    w.record.category = "社情民意";
    w.record.status = "received";
    w.record.place = {"140929100201", 2023, "岢岚县岚漪镇", "140929100201-02", std::nullopt, std::nullopt};
    w.raw = "{}";
    w.record.received_at = w.record.updated_at = "2026-03-02T01:00:00Z";
    auto sql = backend_.db->connect();
    ingest::Ingestor(*sql, backend_.db->dialect(), pii_, settings_)
        .commit({.instance = "kelan_12345", .system = "hotline12345"}, {w}, {});
    http::HttpConfig http;
    http.port = 0;
    server_ = std::make_unique<http::ApiServer>(http, *backend_.db, pii_, metrics_, http::Api::PluginHealth{},
                                                http::ServerLimits{}, http::Api::HookHandler{}, settings_);
  }

  void TearDown() override { core::set_clock_offset(std::chrono::seconds(0)); }

  static void set_clock(const std::string& utc) {
    core::set_clock_offset(std::chrono::seconds(0));
    core::set_clock_offset(*core::parse_instant(utc) - core::now());
  }
  // due_at of the case's obligations of `duty` in `state` (one per department).
  std::vector<std::string> due(const std::string& duty, const std::string& state = "open") {
    std::vector<std::string> out;
    for (const auto doc = call("GET", "/api/v1/obligations?case_id=1", 200); const auto& o : doc.at("items").as_array())
      if (o.at("duty") == duty.c_str() && o.at("state") == state.c_str()) out.emplace_back(o.at("due_at").as_string());
    return out;
  }

  json::object call(const std::string& method, const std::string& target, int status, std::string body = {}) {
    sdk::HttpRequest req;
    req.method = method;
    req.url = "http://127.0.0.1:" + std::to_string(server_->port()) + target;
    req.body = std::move(body);
    auto res = sdk::http_request(req);
    EXPECT_EQ(res.status, status) << method << " " << target << " → " << res.body;
    return json::parse(res.body).as_object();
  }
  json::object act(const std::string& action, int status, const std::string& body = "{\"actor\":\"window-3\"}") {
    return call("POST", "/api/v1/cases/1/actions/" + action, status, body);
  }
  size_t obligations(const std::string& state, const std::string& department = "") {
    const auto body = call(
        "GET", "/api/v1/obligations?state=" + state + (department.empty() ? "" : "&department=" + department), 200);
    return body.at("items").as_array().size();
  }

  test::Backend backend_;
  ingest::IngestSettings settings_;
  crypto::PiiProtector pii_ = crypto::PiiProtector::from_hex(kKeyHex);
  ops::Metrics metrics_;
  std::unique_ptr<http::ApiServer> server_;
};

TEST_P(CaseActionsApi, ReturnedTwiceReassignedThenAcceptedRepliedAndClosedEveryStepOnRecord) {
  // Routed at ingest: a noise complaint stays in the village, with its clocks running.
  EXPECT_EQ(call("GET", "/api/v1/cases/1", 200).at("level"), "village");
  EXPECT_GE(obligations("open", "village-140929100201"), 1u);

  // Not yet: a reply before anyone has accepted it.
  auto refused = act("reply", 409);
  EXPECT_EQ(refused.at("error").at("code"), "conflict");
  const auto& allowed = refused.at("error").at("allowed").as_array();
  EXPECT_NE(std::find(allowed.begin(), allowed.end(), json::value("accept")), allowed.end());
  act("fly", 404);
  call("POST", "/api/v1/cases/99/actions/accept", 404);

  // The village committee returns it (a reason is required), twice.
  act("return", 400);
  auto r = act("return", 200, R"({"actor":"village-140929100201","reason":"不属于本村职责"})");
  EXPECT_EQ(r.at("status"), "returned");
  EXPECT_EQ(obligations("open", "village-140929100201"), 0u);
  act("reassign", 400, R"({"reason":"改派"})");  // to whom?
  act("reassign", 200, R"({"actor":"window-3","reason":"改派镇政府","departments":["town-140929100"]})");
  EXPECT_GE(obligations("open", "town-140929100"), 1u);  // a new sign-for clock, at the town
  act("return", 200, R"({"actor":"town-140929100","reason":"应由住建部门处理"})");
  act("reassign", 200, R"({"actor":"window-3","reason":"改派住建局","departments":["zjj"]})");
  act("accept", 200, R"({"actor":"zjj"})");
  act("reply", 200, R"({"actor":"zjj","reason":"已责令施工方夜间停工"})");
  auto closed = act("close", 200, R"({"actor":"window-3"})");
  EXPECT_EQ(closed.at("status"), "closed");
  EXPECT_EQ(obligations("open"), 0u);
  EXPECT_GE(obligations("met", "zjj"), 1u);
  act("return", 409);  // closed: not any more

  // Every hand-off on the case's own history, in order, with who and why.
  std::vector<std::string> steps;
  const auto page = call("GET", "/api/v1/cases/1", 200);
  for (const auto& e : page.at("events").as_array()) {
    const std::string type(e.at("type").as_string());
    if (type == "accepted" || type == "returned" || type == "reassigned" || type == "replied" || type == "closed")
      steps.push_back(type + ":" + std::string(e.at("actor").as_string()));
  }
  EXPECT_EQ(steps, (std::vector<std::string>{"returned:api:village-140929100201", "reassigned:api:window-3",
                                             "returned:api:town-140929100", "reassigned:api:window-3",
                                             "accepted:api:zjj", "replied:api:zjj", "closed:api:window-3"}));
  auto sql = backend_.db->connect();
  EXPECT_TRUE(ledger::verify_ledger(*sql).ok);
}

TEST_P(CaseActionsApi, SuspendPausesTheClocksAndResumeMovesThemByTheWorkingDaysSuspended) {
  // 12345 defaults: handle and reply in 5 working days from Thu 2026-02-12: Feb 13, the
  // make-up Saturday Feb 14, then (春节 Feb 15-23) Feb 24, 25, 26: due by the end of Feb 26.
  EXPECT_EQ(due("handle"), std::vector<std::string>{"2026-02-26T16:00:00Z"});
  EXPECT_EQ(due("follow_up"), std::vector<std::string>{"2026-02-28T16:00:00Z"});  // 7: … Feb 27, Sat Feb 28
  act("accept", 200, R"({"actor":"village-140929100201"})");
  act("resume", 409);  // not suspended

  // Suspended on Friday Feb 13 10:00 (awaiting a survey), a reason required.
  set_clock("2026-02-13T02:00:00Z");
  act("suspend", 400, R"({"actor":"village-140929100201"})");
  auto s = act("suspend", 200, R"({"actor":"village-140929100201","reason":"等待房屋安全鉴定"})");
  EXPECT_EQ(s.at("status"), "suspended");
  EXPECT_TRUE(due("handle").empty());
  EXPECT_EQ(due("handle", "paused"), std::vector<std::string>{"2026-02-26T16:00:00Z"});
  act("extend", 409, R"({"reason":"x","by":1})");  // a paused clock is not extended
  {
    // Long past the due instant: a paused clock is not overdue.
    auto sql = backend_.db->connect();
    const auto swept = sla::sweep_obligations(*sql, backend_.db->dialect(), settings_.sla,
                                              *core::parse_instant("2026-02-27T08:00:00Z"));
    EXPECT_EQ(swept.overdue, 0);
  }

  // Resumed Monday Mar 2 10:00. Suspended were the working days Feb 13, 14, 24, 25, 26, 27
  // and 28 (seven): the 5 working days left on Feb 13 run Mar 2-6.
  set_clock("2026-03-02T02:00:00Z");
  auto r = act("resume", 200, R"({"actor":"village-140929100201","reason":"鉴定报告已出"})");
  EXPECT_EQ(r.at("status"), "in_progress");  // back where it was
  EXPECT_EQ(due("handle"), std::vector<std::string>{"2026-03-06T16:00:00Z"});
  EXPECT_EQ(due("reply"), std::vector<std::string>{"2026-03-06T16:00:00Z"});
  EXPECT_EQ(due("follow_up"), std::vector<std::string>{"2026-03-10T16:00:00Z"});  // Mar 2-6, 9, 10

  // One extension, within the rule's extend_max (5 working days for 12345's handle).
  act("extend", 400, R"({"actor":"village-140929100201","by":2})");  // why?
  auto too_far = act("extend", 400, R"({"actor":"village-140929100201","reason":"需要协调","by":6})");
  EXPECT_NE(std::string(too_far.at("error").at("message").as_string()).find("1 to 5 workdays"), std::string::npos)
      << too_far;
  act("extend", 200, R"({"actor":"village-140929100201","reason":"需要协调住建部门","by":3})");
  EXPECT_EQ(due("handle"), std::vector<std::string>{"2026-03-11T16:00:00Z"});                     // Mar 9, 10, 11
  EXPECT_EQ(due("reply"), std::vector<std::string>{"2026-03-06T16:00:00Z"});                      // its own clock
  EXPECT_EQ(act("extend", 409, R"({"actor":"village-140929100201","reason":"再次延期","by":1})")  // once only
                .at("error")
                .at("code"),
            "extended_already");

  // Replied, closed, visited: the citizen's rating closes the loop.
  act("reply", 200, R"({"actor":"village-140929100201","text":"已协调施工方夜间停工"})");
  act("close", 200, R"({"actor":"window-3","text":"办结"})");
  act("rate", 409, R"({"rating":"satisfied"})");  // not visited yet
  act("follow_up", 400, R"({"actor":"window-3","rating":"very happy"})");
  auto v = act("follow_up", 200, R"({"actor":"window-3","rating":"basically_satisfied","text":"电话回访"})");
  EXPECT_EQ(v.at("status"), "rated");
  EXPECT_TRUE(due("follow_up").empty());

  std::vector<std::string> steps;
  for (const auto doc = call("GET", "/api/v1/cases/1", 200); const auto& e : doc.at("events").as_array()) {
    const std::string type(e.at("type").as_string());
    if (type == "suspended" || type == "resumed" || type == "extended" || type == "followed_up") {
      steps.push_back(type);
      if (type == "followed_up") {
        EXPECT_EQ(e.at("data").at("rating"), "basically_satisfied");
      }
      if (type == "extended") {
        EXPECT_EQ(e.at("data").at("reason"), "需要协调住建部门");
      }
    }
  }
  EXPECT_EQ(steps, (std::vector<std::string>{"suspended", "resumed", "extended", "followed_up"}));
  auto sql = backend_.db->connect();
  EXPECT_TRUE(ledger::verify_ledger(*sql).ok);
}

TEST_P(CaseActionsApi, APetitionersReviewAndSecondReviewAreDecidedOneLevelUpIn30DaysEach) {
  // A 信访 land dispute: joint consultation (难事会商-土地).
  store::CaseWrite w;
  w.record.external_id = "XF-2026-000123";
  w.record.version = "1";
  w.record.title = "反映承包地被他人占用";
  w.record.description = "来访人反映：承包地被邻村村民占用，多次协商未果，请求确权并返还土地。";
  w.record.category = "矛盾纠纷/土地";
  w.record.status = "received";
  w.record.place = {"140929201200", 2023, "岢岚县高家会乡后会村", "", std::nullopt, std::nullopt};
  w.raw = "{}";
  w.record.received_at = w.record.updated_at = "2026-02-12T01:00:00Z";
  {
    auto sql = backend_.db->connect();
    ingest::Ingestor(*sql, backend_.db->dialect(), pii_, settings_)
        .commit({.instance = "kelan_xinfang", .system = "xinfang"}, {w}, {});
  }
  auto on2 = [&](const std::string& action, int status, const std::string& body) {
    return call("POST", "/api/v1/cases/2/actions/" + action, status, body);
  };
  EXPECT_EQ(call("GET", "/api/v1/cases/2", 200).at("level"), "joint");
  on2("accept", 200, "{}");
  on2("review", 409, R"({"reason":"不服"})");  // not answered yet
  on2("reply", 200, R"({"text":"处理意见书：依法确权"})");
  on2("review", 400, "{}");  // why?
  // 复查 asked on Thu Feb 12: 30 days is Sat Mar 14, so Mon Mar 16, at the county (one
  // level above joint consultation).
  auto r1 = on2("review", 200, R"({"reason":"信访人不服处理意见，申请复查"})");
  EXPECT_EQ(r1.at("status"), "supervised");
  auto reviews = [&] {
    std::vector<std::string> out;
    for (const auto doc = call("GET", "/api/v1/obligations?case_id=2", 200); const auto& o : doc.at("items").as_array())
      if (o.at("duty") == "review" || o.at("duty") == "second_review")
        out.push_back(std::string(o.at("duty").as_string()) + "@" + std::string(o.at("department").as_string()) + ":" +
                      std::string(o.at("state").as_string()) + ":" + std::string(o.at("due_at").as_string()));
    return out;
  };
  EXPECT_EQ(reviews(), std::vector<std::string>{"review@shgzb:open:2026-03-16T16:00:00Z"});
  on2("reply", 200, R"({"text":"复查意见：维持原处理意见"})");  // the decision meets it
  // 复核 asked on Mon Mar 2: 30 days is Wed Apr 1.
  set_clock("2026-03-02T02:00:00Z");
  on2("review", 200, R"({"reason":"信访人不服复查意见，申请复核"})");
  EXPECT_EQ(reviews(), (std::vector<std::string>{"review@shgzb:met:2026-03-16T16:00:00Z",
                                                 "second_review@shgzb:open:2026-04-01T16:00:00Z"}));
  on2("reply", 200, R"({"text":"复核意见：维持"})");
  auto final_ = on2("review", 409, R"({"reason":"再次申请"})");  // 复核 is final
  EXPECT_NE(std::string(final_.at("error").at("message").as_string()).find("final"), std::string::npos);
  // A 12345 work order has no review procedure.
  act("accept", 200, "{}");
  act("reply", 200, R"({"text":"已处理"})");
  act("review", 409, R"({"reason":"不满意"})");
}

INSTANTIATE_TEST_SUITE_P(Backends, CaseActionsApi, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
