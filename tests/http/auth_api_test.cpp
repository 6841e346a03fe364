// Roles and tokens over real HTTP (auth/tokens.hpp), on both stores: no token or a
// wrong one is a 401; each role reaches only its routes (403 otherwise); an operator
// acts only on its department's cases and the counter on all; the actor on the ledger
// is the token's holder; clear personal data is given only to those who may act on
// the case, and each view is logged for auditors; the security admin makes and revokes
// tokens and sees no case.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <yizhan/sdk/http_client.hpp>

#include "auth/tokens.hpp"
#include "http/api_server.hpp"
#include "ingest/ingestor.hpp"
#include "support/store_backends.hpp"
#include "support/test_paths.hpp"

namespace {

using namespace yizhan;
namespace json = boost::json;

const std::string kKeyHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr const char* kVillage = "village-140929100201";

class AuthApi : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    backend_ = test::make_backend(GetParam());
    const auto dir = test::source_dir() / "config";
    settings_.rules = std::make_shared<const routing::RuleSet>(
        routing::RuleSet::load(dir / "routing.yaml", routing::RuleSet::county_departments(dir / "county.yaml")));
    store::CaseWrite w;
    w.record.external_id = "12345-1";
    w.record.version = "1";
    w.record.title = "楼上噪音扰民";
    w.record.description = "来电反映：楼上每晚十点后仍在装修，噪音很大。";
    w.record.category = "社情民意";
    w.record.status = "received";
    w.record.reporter = {"欧阳娜娜", "13812341234", "140929199001011234"};
    w.record.place = {"140929100201", 2023, "岢岚县岚漪镇", "140929100201-02", std::nullopt, std::nullopt};
    w.raw = "{}";
    w.record.received_at = w.record.updated_at = "2026-03-02T01:00:00Z";
    auto sql = backend_.db->connect();
    ingest::Ingestor(*sql, backend_.db->dialect(), pii_, settings_)
        .commit({.instance = "kelan_12345", .system = "hotline12345"}, {w}, {});
    // What county IT does once with `yizhan token create`.
    admin_ = auth::create_token(*sql, "it.admin", auth::Role::admin, "", "test");
    village_ = auth::create_token(*sql, "wang@village", auth::Role::operator_, kVillage, "test");
    zjj_ = auth::create_token(*sql, "li@zjj", auth::Role::operator_, "zjj", "test");
    counter_ = auth::create_token(*sql, "zhou@shgzb", auth::Role::operator_, "shgzb", "test");
    auditor_ = auth::create_token(*sql, "sun.audit", auth::Role::auditor, "", "test");
    security_ = auth::create_token(*sql, "qian.sec", auth::Role::security_admin, "", "test");
    http::HttpConfig http;
    http.port = 0;
    http::ApiOptions options;
    options.auth_required = true;
    options.counter_departments = {"shgzb"};
    server_ = std::make_unique<http::ApiServer>(http, *backend_.db, pii_, metrics_, http::Api::PluginHealth{},
                                                http::ServerLimits{}, http::Api::HookHandler{}, settings_, options);
  }

  sdk::HttpResponse raw(const std::string& method, const std::string& target, const std::string& token,
                        std::string body = {}) {
    sdk::HttpRequest req;
    req.method = method;
    req.url = "http://127.0.0.1:" + std::to_string(server_->port()) + target;
    if (!token.empty()) req.headers["Authorization"] = "Bearer " + token;
    req.body = std::move(body);
    return sdk::http_request(req);
  }
  json::object call(const std::string& method, const std::string& target, const std::string& token, int status,
                    std::string body = {}) {
    auto res = raw(method, target, token, std::move(body));
    EXPECT_EQ(res.status, status) << method << " " << target << " → " << res.body;
    return json::parse(res.body).as_object();
  }

  test::Backend backend_;
  ingest::IngestSettings settings_;
  crypto::PiiProtector pii_ = crypto::PiiProtector::from_hex(kKeyHex);
  ops::Metrics metrics_;
  std::unique_ptr<http::ApiServer> server_;
  std::string admin_, village_, zjj_, counter_, auditor_, security_;
};

TEST_P(AuthApi, NoTokenOrAnUnknownOneIsUnauthorizedButHealthStaysOpen) {
  auto none = raw("GET", "/api/v1/cases", "");
  EXPECT_EQ(none.status, 401);
  EXPECT_NE(none.body.find("unauthorized"), std::string::npos);
  EXPECT_EQ(raw("GET", "/api/v1/cases", "yz_not-a-token-at-all").status, 401);
  EXPECT_EQ(raw("GET", "/api/v1/cases", admin_ + "x").status, 401);
  EXPECT_EQ(raw("GET", "/healthz", "").status, 200);
  EXPECT_EQ(call("GET", "/api/v1/whoami", village_, 200).at("department"), kVillage);
}

TEST_P(AuthApi, EachRoleReachesOnlyItsRoutes) {
  EXPECT_EQ(call("GET", "/api/v1/cases", auditor_, 200).at("items").as_array().size(), 1u);
  call("GET", "/api/v1/cases", security_, 403);                         // no case data for the security admin
  call("POST", "/api/v1/cases/1/actions/accept", auditor_, 403, "{}");  // auditors act on nothing
  call("GET", "/api/v1/cases/1/pii", auditor_, 403);
  call("GET", "/api/v1/tokens", admin_, 403);  // tokens are the security admin's alone
  call("POST", "/api/v1/admin/clock", village_, 403, R"({"advance_seconds":1})");
  call("GET", "/api/v1/audit/pii_views", village_, 403);
  EXPECT_EQ(call("GET", "/api/v1/tokens", security_, 200).at("items").as_array().size(), 6u);
}

TEST_P(AuthApi, AnOperatorActsOnItsDepartmentsCasesTheCounterOnAll) {
  // Routed to the village committee (小事不出社区): another department may not touch it.
  auto refused = call("POST", "/api/v1/cases/1/actions/accept", zjj_, 403, "{}");
  EXPECT_NE(std::string(refused.at("error").at("message").as_string()).find("zjj"), std::string::npos);
  // The village accepts; the actor is who the token says, whatever the body claims.
  call("POST", "/api/v1/cases/1/actions/accept", village_, 200, R"({"actor":"someone-else"})");
  // Passing a case on is the counter's, not a department's.
  call("POST", "/api/v1/cases/1/actions/return", village_, 200, R"({"reason":"不属于本村职责"})");
  call("POST", "/api/v1/cases/1/actions/reassign", village_, 403, R"({"reason":"x","departments":["zjj"]})");
  call("POST", "/api/v1/cases/1/actions/reassign", counter_, 200, R"({"reason":"改派住建局","departments":["zjj"]})");
  // Now it is zjj's, and no longer the village's.
  call("POST", "/api/v1/cases/1/actions/accept", village_, 403, "{}");
  call("POST", "/api/v1/cases/1/actions/accept", zjj_, 200, "{}");

  std::vector<std::string> actors;
  for (const auto doc = call("GET", "/api/v1/cases/1", admin_, 200); const auto& e : doc.at("events").as_array()) {
    const std::string type(e.at("type").as_string());
    if (type == "accepted" || type == "returned" || type == "reassigned")
      actors.push_back(type + ":" + std::string(e.at("actor").as_string()));
  }
  EXPECT_EQ(actors, (std::vector<std::string>{"accepted:user:wang@village", "returned:user:wang@village",
                                              "reassigned:user:zhou@shgzb", "accepted:user:li@zjj"}));
}

TEST_P(AuthApi, ClearPersonalDataOnlyForThoseWhoActAndEveryViewIsLogged) {
  // Everyone sees the case masked.
  const auto page = call("GET", "/api/v1/cases/1", auditor_, 200);
  EXPECT_EQ(page.at("reporter").at("phone"), "138****1234");
  EXPECT_EQ(json::serialize(page).find("13812341234"), std::string::npos);
  call("GET", "/api/v1/cases/1/pii", zjj_, 403);  // not zjj's case
  EXPECT_TRUE(call("GET", "/api/v1/audit/pii_views", auditor_, 200).at("items").as_array().empty());

  auto clear = call("GET", "/api/v1/cases/1/pii?reason=" + std::string("%E5%9B%9E%E8%AE%BF"), village_, 200);
  EXPECT_EQ(clear.at("reporter").at("phone"), "13812341234");
  EXPECT_EQ(clear.at("reporter").at("id_number"), "140929199001011234");
  const auto views = call("GET", "/api/v1/audit/pii_views?case_id=1", auditor_, 200).at("items").as_array();
  ASSERT_EQ(views.size(), 1u);
  EXPECT_EQ(views[0].at("viewer"), "wang@village");
  EXPECT_EQ(views[0].at("role"), "operator");
  EXPECT_EQ(views[0].at("reason"), "回访");
  EXPECT_EQ(call("GET", "/api/v1/audit/pii_views", security_, 200).at("items").as_array().size(), 1u);
}

TEST_P(AuthApi, TheSecurityAdminMakesAndRevokesTokens) {
  call("POST", "/api/v1/tokens", security_, 400, R"({"name":"x@y","role":"operator"})");  // which department?
  call("POST", "/api/v1/tokens", security_, 400, R"({"name":"x@y","role":"superuser"})");
  call("POST", "/api/v1/tokens", security_, 409, R"({"name":"li@zjj","role":"auditor"})");  // taken
  auto made =
      call("POST", "/api/v1/tokens", security_, 201, R"({"name":"ma@mzj","role":"operator","department":"mzj"})");
  const std::string token(made.at("token").as_string());
  EXPECT_EQ(call("GET", "/api/v1/whoami", token, 200).at("name"), "ma@mzj");
  call("POST", "/api/v1/tokens/ma@mzj/revoke", security_, 200, "{}");
  EXPECT_EQ(raw("GET", "/api/v1/whoami", token).status, 401);
  call("POST", "/api/v1/tokens/ma@mzj/revoke", security_, 409, "{}");
  // The list never shows a token, only who holds one.
  EXPECT_EQ(json::serialize(call("GET", "/api/v1/tokens", security_, 200)).find(token), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthApi, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
