// Duplicates over real HTTP: proposals listed, accepted and rejected; a manual merge;
// an unmerge; the case page showing every source; refusals with their status codes.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <yizhan/sdk/http_client.hpp>

#include "http/api_server.hpp"
#include "ingest/ingestor.hpp"
#include "link/linker.hpp"
#include "store/case_writer.hpp"
#include "support/store_backends.hpp"
#include "support/test_paths.hpp"

namespace {

using namespace yizhan;
namespace json = boost::json;

const std::string kKeyHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

store::CaseWrite make_write(const std::string& id, const std::string& title, const std::string& description,
                            const std::string& phone, const std::string& at) {
  store::CaseWrite w;
  w.record.external_id = id;
  w.record.version = "1";
  w.record.title = title;
  w.record.description = description;
  w.record.category = "矛盾纠纷/土地";
  w.record.channel = "电话";
  w.record.status = "received";
  w.record.place = {"140929100201", 2023, "岢岚县岚漪镇", "140929100201-02", std::nullopt, std::nullopt};
  w.record.reporter = {"王秀英", phone, ""};
  w.raw = "{\"id\":\"" + id + "\"}";
  w.record.received_at = at;
  w.record.updated_at = at;
  return w;
}

class DuplicatesApi : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { start(false); }

  // The three reports of one land dispute, ingested with linking (proposals only) and,
  // with `routing`, the demo county's routing rules.
  void start(bool routing) {
    server_.reset();
    backend_ = test::make_backend(GetParam());
    config_.auto_join_score = 0.99;  // everything alike is proposed, nothing joins by itself
    ingest::IngestSettings settings{config_, nullptr, {}, nullptr};
    if (routing) {
      const auto dir = test::source_dir() / "config";
      settings.rules = std::make_shared<const routing::RuleSet>(
          routing::RuleSet::load(dir / "routing.yaml", routing::RuleSet::county_departments(dir / "county.yaml")));
    }
    auto sql = backend_.db->connect();
    auto write = [&](const std::string& instance, const std::string& system, store::CaseWrite w) {
      ingest::Ingestor(*sql, backend_.db->dialect(), pii_, settings)
          .commit({.instance = instance, .system = system}, {std::move(w)}, {});
    };
    const std::string told = "村民王秀英与邻村因承包地界发生纠纷，双方多次争执，请求调处。";
    write("kelan_12345", "hotline12345",
          make_write("12345-1", "土地承包纠纷", "来电反映：" + told, "13812341234", "2026-03-01T01:00:00Z"));  // 1
    write("kelan_xinfang", "xinfang",
          make_write("XF-1", "承包地界争议", "信访人反映：" + told, "13812341234", "2026-03-01T05:00:00Z"));  // 2
    write("kelan_zongzhi", "zongzhi",
          make_write("SJ-1", "土地纠纷", "网格员上报：" + told, "", "2026-03-01T07:00:00Z"));  // 3
    http::HttpConfig http;
    http.port = 0;
    server_ = std::make_unique<http::ApiServer>(http, *backend_.db, pii_, metrics_, http::Api::PluginHealth{},
                                                http::ServerLimits{}, http::Api::HookHandler{}, settings);
  }

  sdk::HttpResponse call(const std::string& method, const std::string& target, std::string body = {}) {
    sdk::HttpRequest req;
    req.method = method;
    req.url = "http://127.0.0.1:" + std::to_string(server_->port()) + target;
    req.body = std::move(body);
    if (!req.body.empty()) req.headers["content-type"] = "application/json";
    return sdk::http_request(req);
  }
  json::object call_json(const std::string& method, const std::string& target, int status, std::string body = {}) {
    auto res = call(method, target, std::move(body));
    EXPECT_EQ(res.status, status) << method << " " << target << " → " << res.body;
    return json::parse(res.body).as_object();
  }

  test::Backend backend_;
  link::LinkingConfig config_;
  crypto::PiiProtector pii_ = crypto::PiiProtector::from_hex(kKeyHex);
  ops::Metrics metrics_;
  std::unique_ptr<http::ApiServer> server_;
};

TEST_P(DuplicatesApi, ProposalsAreListedWithBothCasesAndTheirReasons) {
  auto body = call_json("GET", "/api/v1/duplicates", 200);
  const auto& items = body.at("items").as_array();
  ASSERT_GE(items.size(), 2u);                   // 2~1 and 3~1 (and 3~2, which is its own group yet)
  const auto& first = items.back().as_object();  // oldest: case 2 proposed against case 1
  EXPECT_EQ(first.at("case_id"), 2);
  EXPECT_EQ(first.at("candidate_id"), 1);
  EXPECT_EQ(first.at("status"), "pending");
  EXPECT_EQ(first.at("reasons").at("person"), "phone");
  EXPECT_EQ(first.at("case").at("source_system"), "xinfang");
  EXPECT_EQ(first.at("candidate").at("source_system"), "hotline12345");
  EXPECT_EQ(first.at("case").at("reporter").at("phone"), "138****1234");  // masked
  auto page = call_json("GET", "/api/v1/cases/1", 200);
  EXPECT_FALSE(page.at("duplicates").as_array().empty());
  call_json("GET", "/api/v1/duplicates?status=maybe", 400);
  call_json("GET", "/api/v1/duplicates?sort=score", 400);
}

TEST_P(DuplicatesApi, AcceptingMergesRejectingDoesNotAndNeitherTwice) {
  auto all = call_json("GET", "/api/v1/duplicates", 200).at("items").as_array();
  int64_t p21 = 0, p31 = 0;
  for (const auto& p : all) {
    if (p.at("case_id") == 2 && p.at("candidate_id") == 1) p21 = p.at("id").as_int64();
    if (p.at("case_id") == 3 && p.at("candidate_id") == 1) p31 = p.at("id").as_int64();
  }
  ASSERT_TRUE(p21 && p31);
  auto accepted = call_json("POST", "/api/v1/duplicates/" + std::to_string(p21) + "/accept", 200,
                            R"({"actor":"counter-01","reason":"同一承包地纠纷"})");
  EXPECT_EQ(accepted.at("case"), 1);
  call_json("POST", "/api/v1/duplicates/" + std::to_string(p21) + "/accept", 409);  // decided already
  call_json("POST", "/api/v1/duplicates/" + std::to_string(p31) + "/reject", 200, R"({"actor":"counter-01"})");
  call_json("POST", "/api/v1/duplicates/" + std::to_string(p31) + "/reject", 409);
  call_json("POST", "/api/v1/duplicates/999/accept", 404);
  call_json("POST", "/api/v1/duplicates/" + std::to_string(p31) + "/accept", 400, "[1,2]");  // not an object

  auto page = call_json("GET", "/api/v1/cases/1", 200);
  EXPECT_EQ(page.at("members"), json::array({2}));
  ASSERT_EQ(page.at("sources").as_array().size(), 2u);
  EXPECT_EQ(page.at("sources").at(1).at("external_id"), "XF-1");
  bool merged_by_counter = false;
  for (const auto& e : page.at("events").as_array())
    merged_by_counter |= e.at("type") == "merged" && e.at("actor") == "api:counter-01";
  EXPECT_TRUE(merged_by_counter);
  EXPECT_EQ(call_json("GET", "/api/v1/cases/2", 200).at("merged_into"), 1);
  auto stats = call_json("GET", "/api/v1/stats", 200);
  EXPECT_EQ(stats.at("cases_total"), 2);
  EXPECT_EQ(stats.at("merged_total"), 1);
  EXPECT_EQ(stats.at("by_system").at("xinfang"), 1);  // records, merged ones included
  EXPECT_FALSE(stats.at("cases_by_system").as_object().contains("xinfang"));
  // Accepting a proposal between cases that are one case already is refused.
  auto rejected = call_json("GET", "/api/v1/duplicates?status=rejected", 200).at("items").as_array();
  ASSERT_EQ(rejected.size(), 1u);
}

TEST_P(DuplicatesApi, ManualMergeThenUnmergeRestoresTheCasePage) {
  const auto before1 = call_json("GET", "/api/v1/cases/1", 200), before3 = call_json("GET", "/api/v1/cases/3", 200);
  call_json("POST", "/api/v1/cases/3/merge", 200, R"({"into":1,"reason":"同一事项"})");
  call_json("POST", "/api/v1/cases/3/merge", 409, R"({"into":1})");  // one case already
  call_json("POST", "/api/v1/cases/3/merge", 400, R"({"into":"one"})");
  call_json("POST", "/api/v1/cases/3/merge", 404, R"({"into":99})");
  auto merged = call_json("GET", "/api/v1/cases/1", 200);
  EXPECT_EQ(merged.at("sources").as_array().size(), 2u);
  call_json("POST", "/api/v1/cases/1/unmerge", 409);  // 1 is merged into nothing
  call_json("POST", "/api/v1/cases/99/unmerge", 404);
  auto undone = call_json("POST", "/api/v1/cases/3/unmerge", 200, R"({"reason":"不是同一块地"})");
  EXPECT_EQ(undone.at("former_root"), 1);
  auto after1 = call_json("GET", "/api/v1/cases/1", 200), after3 = call_json("GET", "/api/v1/cases/3", 200);
  // Every field as before; the histories grew by the merge and the unmerge only.
  for (const auto* key :
       {"title", "description", "category", "place", "reporter", "status", "merged_into", "sources", "members"}) {
    EXPECT_EQ(after1.at(key), before1.at(key)) << key;
    EXPECT_EQ(after3.at(key), before3.at(key)) << key;
  }
  const auto& ev = after3.at("events").as_array();
  const auto& ev_before = before3.at("events").as_array();
  ASSERT_EQ(ev.size(), ev_before.size() + 2);
  for (size_t i = 0; i < ev_before.size(); ++i) EXPECT_EQ(ev[i], ev_before[i]);
  EXPECT_EQ(ev.back().at("type"), "unmerged_from");
  EXPECT_EQ(ev.back().at("data").at("reason"), "不是同一块地");
}

TEST_P(DuplicatesApi, ALandDisputeThe12345AndXinfangReportedGoesToJointConsultationOnceLinked) {
  call_json("GET", "/api/v1/cases/1/route", 404);  // this hub has no routing rules
  start(true);
  // Alone, the 12345 call is the town's; explain says which rule and why.
  auto explain = call_json("GET", "/api/v1/cases/1/route", 200);
  EXPECT_EQ(explain.at("rule"), "大事街道协调-矛盾纠纷");
  EXPECT_EQ(explain.at("departments"), json::array({"town-140929100"}));
  EXPECT_FALSE(explain.at("trace").as_array().empty());
  EXPECT_EQ(call_json("GET", "/api/v1/cases/1", 200).at("level"), "town");
  int64_t proposal = 0;
  const auto listed = call_json("GET", "/api/v1/duplicates", 200);
  for (const auto& p : listed.at("items").as_array())
    if (p.at("case_id") == 2 && p.at("candidate_id") == 1) proposal = p.at("id").as_int64();
  ASSERT_TRUE(proposal);
  call_json("POST", "/api/v1/duplicates/" + std::to_string(proposal) + "/accept", 200);
  // Linked with the petition: a hard matter, for joint consultation; the hand-off is
  // an event naming the decision it replaces.
  auto page = call_json("GET", "/api/v1/cases/1", 200);
  EXPECT_EQ(page.at("level"), "joint");
  const json::object* rerouted = nullptr;
  for (const auto& e : page.at("events").as_array())
    if (e.at("type") == "routed" && e.at("case_id") == 1) rerouted = &e.as_object();
  ASSERT_TRUE(rerouted);
  EXPECT_EQ(rerouted->at("data").at("rule"), "难事会商-土地");
  EXPECT_EQ(rerouted->at("data").at("departments"), json::array({"zrzyj", "nyncj", "sfj"}));
  EXPECT_EQ(rerouted->at("data").at("from").at("level"), "town");
  EXPECT_EQ(call_json("GET", "/api/v1/stats", 200).at("by_level").at("joint"), 1);
  // Unmerged, it is the town's again.
  call_json("POST", "/api/v1/cases/2/unmerge", 200);
  EXPECT_EQ(call_json("GET", "/api/v1/cases/1", 200).at("level"), "town");
}

INSTANTIATE_TEST_SUITE_P(Backends, DuplicatesApi, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
