// Staff actions over real HTTP (route/case_actions.hpp), on both stores, with the demo
// county's routing rules and SLA file: a case returned twice and reassigned, then
// accepted, replied and closed; each step an event, each illegal move a 409 with the
// moves allowed; the obligations follow; the ledger verifies.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <yizhan/sdk/http_client.hpp>

#include "audit/ledger_verifier.hpp"
#include "http/api_server.hpp"
#include "ingest/new_case_pipeline.hpp"
#include "support/store_backends.hpp"
#include "support/test_paths.hpp"

namespace {

using namespace yizhan;
namespace json = boost::json;

const std::string kKeyHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

class CaseActionsApi : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    backend_ = test::make_backend(GetParam());
    const auto dir = test::source_dir() / "config";
    settings_.rules = std::make_shared<const route::RuleSet>(
        route::RuleSet::load(dir / "routing.yaml", route::RuleSet::county_departments(dir / "county.yaml")));
    settings_.sla.policy = std::make_shared<const route::SlaPolicy>(route::SlaPolicy::load(dir / "sla.yaml"));
    settings_.sla.calendar = std::make_shared<const route::WorkCalendar>(route::WorkCalendar::load_dir(dir));
    store::CaseWrite w;
    w.record.external_id = "12345-1";
    w.record.version = "1";
    w.record.title = "楼上噪音扰民";
    w.record.description = "来电反映：楼上每晚十点后仍在装修，噪音很大。";
    w.record.category = "社情民意";
    w.record.status = "received";
    w.record.place = {"140929100201", 2023, "岢岚县岚漪镇", "140929100201-02", std::nullopt, std::nullopt};
    w.raw = "{}";
    w.received_at_utc = w.updated_at_utc = "2026-03-02T01:00:00Z";
    auto sql = backend_.db->connect();
    ingest::PipelineWriter pipeline(*sql, backend_.db->dialect(), pii_, settings_);
    pipeline.writer().commit_batch("kelan_12345", "hotline12345", {w}, {}, std::nullopt);
    core::HttpConfig http;
    http.port = 0;
    server_ = std::make_unique<http::ApiServer>(http, *backend_.db, pii_, metrics_, http::Api::PluginHealth{},
                                                http::ServerLimits{}, http::Api::HookHandler{}, settings_);
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
  ingest::NewCaseSettings settings_;
  core::PiiProtector pii_ = core::PiiProtector::from_hex(kKeyHex);
  core::Metrics metrics_;
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
  EXPECT_TRUE(audit::verify_ledger(*sql).ok);
}

INSTANTIATE_TEST_SUITE_P(Backends, CaseActionsApi, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
