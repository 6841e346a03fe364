// The counter page's API (docs/web-api.md) over real HTTP, on both stores: sign-in
// with a session cookie, CSRF on every change, idle timeout and sign-out; intake with
// field errors, the idempotency key and 即办即走; the preview's 一人一档; the work
// queues with their clocks; the stale-page refusal; the dashboard's range; the
// auditors' trail, ledger state and export; the page's files and their headers.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <set>
#include <yizhan/sdk/http_client.hpp>

#include "auth/accounts.hpp"
#include "core/time.hpp"
#include "http/api_server.hpp"
#include "http/web_assets.hpp"
#include "ingest/ingestor.hpp"
#include "sla/obligations.hpp"
#include "support/store_backends.hpp"
#include "support/test_paths.hpp"

namespace {

using namespace yizhan;
namespace json = boost::json;

const std::string kKeyHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const std::string kPassword = "counter-pass-2026";

// A walk-in land dispute in 东街村 (岚漪镇), as the intake form sends it.
std::string land_dispute(const std::string& id_number = "140929198001011238", const std::string& phone = "13912345678",
                         const std::string& extra = "") {
  return R"({"reporter":{"name":"王建国","phone":")" + phone + R"(","id_number":")" + id_number +
         R"("},"division_code":"140929100200","grid_id":"140929100200-01","address":"东街村三组",)"
         R"("category":"矛盾纠纷/土地","channel":"窗口","title":"承包地界址纠纷",)"
         R"("description":"与邻居因承包地界址发生争执，对方越界耕种约两分地。")" +
         extra + "}";
}

class WebApi : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    set_clock("2026-03-02T01:00:00Z");  // Monday 09:00 Beijing time
    backend_ = test::make_backend(GetParam());
    const auto dir = test::source_dir() / "config";
    settings_.rules = std::make_shared<const routing::RuleSet>(
        routing::RuleSet::load(dir / "routing.yaml", routing::RuleSet::county_departments(dir / "county.yaml")));
    settings_.sla.policy = std::make_shared<const sla::SlaPolicy>(sla::SlaPolicy::load(dir / "sla.yaml"));
    settings_.sla.calendar = std::make_shared<const sla::WorkCalendar>(sla::WorkCalendar::load_dir(dir));
    auto sql = backend_.db->connect();
    auth::create_account(*sql, "li.na@shgzb", auth::Role::operator_, "shgzb", kPassword, "test");
    auth::create_account(*sql, "zhao@zrzyj", auth::Role::operator_, "zrzyj", kPassword, "test");
    auth::create_account(*sql, "sun.audit", auth::Role::auditor, "", kPassword, "test");
    web_dir_ = backend_.dir->path() / "web";
    std::filesystem::create_directories(web_dir_ / "assets");
    std::ofstream(web_dir_ / "index.html") << "<!doctype html><title>一站</title>";
    std::ofstream(web_dir_ / "assets" / "app.js") << "console.log('一站');";
    std::ofstream(backend_.dir->path() / "secret.txt") << "not served";
    http::HttpConfig http;
    http.port = 0;
    http::ApiOptions options;
    options.auth_required = true;
    options.counter_departments = {"shgzb"};
    options.web_root = web_dir_;
    options.idle_timeout = std::chrono::minutes(30);
    options.county_file = dir / "county.yaml";
    options.taxonomy_file = dir / "taxonomy.yaml";
    options.system_labels = {{"counter", {{"zh-CN", "窗口受理"}, {"en", "Counter intake"}}}};
    server_ = std::make_unique<http::ApiServer>(http, *backend_.db, pii_, metrics_, http::Api::PluginHealth{},
                                                http::ServerLimits{}, http::Api::HookHandler{}, settings_, options);
  }
  void TearDown() override { core::set_clock_offset(std::chrono::seconds(0)); }

  static void set_clock(const std::string& utc) {
    core::set_clock_offset(std::chrono::seconds(0));
    core::set_clock_offset(*core::parse_instant(utc) - core::now());
  }
  static void advance(std::chrono::seconds by) { core::set_clock_offset(core::clock_offset() + by); }

  struct Session {
    std::string cookie, csrf;
  };
  sdk::HttpResponse raw(const std::string& method, const std::string& target, const Session& s, std::string body = {},
                        std::map<std::string, std::string> headers = {}) {
    sdk::HttpRequest req;
    req.method = method;
    req.url = "http://127.0.0.1:" + std::to_string(server_->port()) + target;
    req.headers = std::move(headers);
    if (!s.cookie.empty()) req.headers["Cookie"] = "theme=dark; yz_session=" + s.cookie;
    if (!s.csrf.empty() && method != "GET") req.headers["X-CSRF-Token"] = s.csrf;
    if (!body.empty()) req.headers["Content-Type"] = "application/json";
    req.body = std::move(body);
    return sdk::http_request(req);
  }
  json::object call(const std::string& method, const std::string& target, const Session& s, int status,
                    std::string body = {}, std::map<std::string, std::string> headers = {}) {
    auto res = raw(method, target, s, std::move(body), std::move(headers));
    EXPECT_EQ(res.status, status) << method << " " << target << " → " << res.body;
    if (res.body.empty()) return {};
    return json::parse(res.body).as_object();
  }
  Session sign_in(const std::string& name) {
    auto res = raw("POST", "/api/v1/session", {}, R"({"name":")" + name + R"(","password":")" + kPassword + "\"}");
    EXPECT_EQ(res.status, 200) << res.body;
    const std::string set_cookie = res.headers["set-cookie"];
    EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos) << set_cookie;
    EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos) << set_cookie;
    const auto start = set_cookie.find('=') + 1;
    Session s{set_cookie.substr(start, set_cookie.find(';') - start),
              std::string(json::parse(res.body).at("csrf_token").as_string())};
    EXPECT_FALSE(s.cookie.empty());
    return s;
  }
  json::object register_case(const Session& s, const std::string& key, const std::string& body, int status = 201) {
    return call("POST", "/api/v1/cases", s, status, body, {{"Idempotency-Key", key}});
  }
  static std::vector<std::string> field_codes(const json::object& error) {
    std::vector<std::string> out;
    for (const auto& f : error.at("error").at("fields").as_array())
      out.push_back(std::string(f.at("field").as_string()) + ":" + std::string(f.at("code").as_string()));
    return out;
  }

  test::Backend backend_;
  ingest::IngestSettings settings_;
  crypto::PiiProtector pii_ = crypto::PiiProtector::from_hex(kKeyHex);
  ops::Metrics metrics_;
  std::filesystem::path web_dir_;
  std::unique_ptr<http::ApiServer> server_;
};

TEST_P(WebApi, SignInGivesAnHttpOnlyCookieAndAWrongPasswordNothing) {
  EXPECT_EQ(call("POST", "/api/v1/session", {}, 401, R"({"name":"li.na@shgzb","password":"wrong-password"})")
                .at("error")
                .at("code"),
            "bad_credentials");
  EXPECT_EQ(call("POST", "/api/v1/session", {}, 401, R"({"name":"nobody","password":"whatever-it-is"})")
                .at("error")
                .at("code"),
            "bad_credentials");
  EXPECT_EQ(call("GET", "/api/v1/cases", {}, 401).at("error").at("code"), "unauthorized");
  const Session s = sign_in("li.na@shgzb");
  const auto me = call("GET", "/api/v1/session", s, 200);
  EXPECT_EQ(me.at("role"), "operator");
  EXPECT_EQ(me.at("department"), "shgzb");
  EXPECT_EQ(me.at("counter"), true);
  EXPECT_EQ(me.at("csrf_token").as_string(), s.csrf);
  call("GET", "/api/v1/cases", s, 200);
}

TEST_P(WebApi, AChangeWithoutTheCsrfTokenOrWithAnotherRolesSessionIsRefused) {
  const Session s = sign_in("li.na@shgzb");
  const auto created = register_case(s, "form-1", land_dispute());
  const auto id = std::to_string(created.at("case").at("id").as_int64());
  // The cookie alone (what another site's form would send) is not enough.
  EXPECT_EQ(call("POST", "/api/v1/cases/" + id + "/actions/suspend", {s.cookie, ""}, 403, R"({"reason":"x"})")
                .at("error")
                .at("code"),
            "csrf");
  EXPECT_EQ(call("POST", "/api/v1/cases/" + id + "/actions/suspend", {s.cookie, "forged-token-of-someone-else"}, 403,
                 R"({"reason":"x"})")
                .at("error")
                .at("code"),
            "csrf");
  // An auditor's session, with its own CSRF token, may not act at all.
  const Session auditor = sign_in("sun.audit");
  EXPECT_EQ(call("POST", "/api/v1/cases/" + id + "/actions/suspend", auditor, 403, R"({"reason":"x"})")
                .at("error")
                .at("code"),
            "forbidden");
  register_case(auditor, "form-2", land_dispute(), 403);
  // Nothing moved.
  EXPECT_EQ(call("GET", "/api/v1/cases/" + id, s, 200).at("status"), "dispatched");
}

TEST_P(WebApi, AnIdleSessionExpiresAndSignOutEndsIt) {
  const Session s = sign_in("li.na@shgzb");
  advance(std::chrono::minutes(29));
  call("GET", "/api/v1/cases", s, 200);  // still active: the idle clock starts again
  advance(std::chrono::minutes(29));
  call("GET", "/api/v1/cases", s, 200);
  advance(std::chrono::minutes(31));
  EXPECT_EQ(call("GET", "/api/v1/cases", s, 401).at("error").at("code"), "session_expired");
  const Session again = sign_in("li.na@shgzb");
  call("DELETE", "/api/v1/session", again, 204);
  EXPECT_EQ(call("GET", "/api/v1/session", again, 401).at("error").at("code"), "session_expired");
}

TEST_P(WebApi, IntakeNamesEveryFieldAtFaultAndStoresNothing) {
  const Session s = sign_in("li.na@shgzb");
  const auto missing = register_case(s, "k1", R"({"reporter":{"name":"王建国"},"channel":"窗口"})", 422);
  EXPECT_EQ(field_codes(missing), (std::vector<std::string>{"reporter.phone:required", "division_code:required",
                                                            "category:required", "description:required"}));
  // A wrong check digit (…1238 is right), and a phone one digit short.
  const auto bad = register_case(s, "k2", land_dispute("140929198001011235", "1391234567"), 422);
  EXPECT_EQ(field_codes(bad),
            (std::vector<std::string>{"reporter.phone:phone_length", "reporter.id_number:id_check_digit"}));
  const auto unknown =
      register_case(s, "k3",
                    R"({"reporter":{"name":"王建国","phone":"0350-5123456"},"division_code":"140929999999",)"
                    R"("category":"其他/不存在","channel":"微信","description":"x"})",
                    422);
  EXPECT_EQ(field_codes(unknown), (std::vector<std::string>{"division_code:unknown_division",
                                                            "category:unknown_category", "channel:unknown_channel"}));
  // A Chinese browser reads the same errors in Chinese.
  const auto zh = call("POST", "/api/v1/cases", s, 422, land_dispute("140929198001011235"),
                       {{"Idempotency-Key", "k4"}, {"Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8"}});
  EXPECT_EQ(zh.at("error").at("fields").as_array().at(0).at("message"), "身份证号：校验码不符，请核对号码（GB 11643）");
  EXPECT_EQ(field_codes(zh), std::vector<std::string>{"reporter.id_number:id_check_digit"});
  register_case(s, "", land_dispute(), 400);  // no idempotency key
  EXPECT_TRUE(call("GET", "/api/v1/cases", s, 200).at("items").as_array().empty());
}

TEST_P(WebApi, TheSameKeyTwiceMakesOneCaseAndAnotherBodyUnderItIsAConflict) {
  const Session s = sign_in("li.na@shgzb");
  const auto first = register_case(s, "form-7f3a", land_dispute());
  EXPECT_EQ(first.at("replayed"), false);
  EXPECT_EQ(first.at("case").at("source_system"), "counter");
  EXPECT_EQ(first.at("case").at("reporter").at("phone"), "139****5678");
  // Routed by the rules (a counter land dispute: the town coordinates), clocks opened.
  EXPECT_EQ(first.at("route").at("level"), "town");
  EXPECT_EQ(first.at("route").at("departments").as_array().at(0), "town-140929100");
  EXPECT_FALSE(first.at("obligations").as_array().empty());
  const auto second = register_case(s, "form-7f3a", land_dispute(), 200);
  EXPECT_EQ(second.at("replayed"), true);
  EXPECT_EQ(second.at("case").at("id"), first.at("case").at("id"));
  EXPECT_EQ(
      register_case(s, "form-7f3a", land_dispute("140929198001011238", "13912345679"), 409).at("error").at("code"),
      "idempotency_conflict");
  EXPECT_EQ(call("GET", "/api/v1/cases", s, 200).at("items").as_array().size(), 1u);
  // The registering clerk is the actor of the ledger.
  const auto events = call("GET", "/api/v1/cases/" + std::to_string(first.at("case").at("id").as_int64()), s, 200)
                          .at("events")
                          .as_array();
  EXPECT_EQ(events.at(0).at("actor"), "user:li.na@shgzb");
}

TEST_P(WebApi, AMatterSettledOnTheSpotIsRegisteredAndClosedInOneStep) {
  const Session s = sign_in("li.na@shgzb");
  const auto r = register_case(
      s, "settle-1",
      R"({"reporter":{"name":"刘芳","phone":"13711112222"},"division_code":"140929100201","category":"社情民意",)"
      R"("channel":"电话","description":"咨询低保申请材料","settle":{"outcome":"当场告知所需材料"}})");
  EXPECT_EQ(r.at("case").at("status"), "closed");
  EXPECT_TRUE(r.at("obligations").as_array().empty());
  const auto events =
      call("GET", "/api/v1/cases/" + std::to_string(r.at("case").at("id").as_int64()), s, 200).at("events").as_array();
  EXPECT_EQ(events.back().at("type"), "closed");
  EXPECT_EQ(events.back().at("data").at("text"), "当场告知所需材料");
}

TEST_P(WebApi, ThePreviewShowsThePersonsOpenMattersAndWhereItWouldGo) {
  const Session s = sign_in("li.na@shgzb");
  const auto first = register_case(s, "p-1", land_dispute());
  // The same citizen comes back: typing the phone number is enough to find it.
  const auto preview =
      call("POST", "/api/v1/cases/preview", s, 200,
           R"({"reporter":{"phone":"139 1234 5678"},"division_code":"140929100200","category":"矛盾纠纷/土地",)"
           R"("description":"承包地界址争执，邻居越界耕种"})");
  ASSERT_EQ(preview.at("person_cases").as_array().size(), 1u);
  EXPECT_EQ(preview.at("person_cases").as_array().at(0).at("id"), first.at("case").at("id"));
  ASSERT_FALSE(preview.at("likely_duplicates").as_array().empty());
  EXPECT_EQ(preview.at("likely_duplicates").as_array().at(0).at("case").at("id"), first.at("case").at("id"));
  EXPECT_EQ(preview.at("route").at("level"), "town");
  EXPECT_FALSE(preview.at("deadlines").as_array().empty());
  // A department operator does not register matters.
  call("POST", "/api/v1/cases/preview", sign_in("zhao@zrzyj"), 403, "{}");
}

TEST_P(WebApi, ThePreviewsDeadlinesAreTheOnesSavingOpensOrItSaysWhyNot) {
  const Session s = sign_in("li.na@shgzb");
  const std::string body = R"({"reporter":{"phone":"13912345600"},"division_code":"140929100200",)"
                           R"("category":"矛盾纠纷/土地","description":"承包地界址争执，邻居越界耕种"})";
  const auto preview = call("POST", "/api/v1/cases/preview", s, 200, body);
  std::set<std::string> previewed, opened;
  for (const auto& d : preview.at("deadlines").as_array())
    previewed.insert(std::string(d.at("department").as_string()) + "/" + std::string(d.at("duty").as_string()) + "/" +
                     std::string(d.at("due_at").as_string()));
  const auto created = register_case(s, "match-1", land_dispute("", "13912345600"));
  for (const auto& o : created.at("obligations").as_array())
    opened.insert(std::string(o.at("department").as_string()) + "/" + std::string(o.at("duty").as_string()) + "/" +
                  std::string(o.at("due_at").as_string()));
  EXPECT_FALSE(previewed.empty());
  EXPECT_EQ(previewed, opened);
  EXPECT_TRUE(preview.at("deadlines_unavailable").as_array().empty());
  // Past the last loaded calendar (2026): the day-counted duties cannot be counted, and
  // the preview says so for each instead of showing nothing.
  set_clock("2026-12-30T02:00:00Z");
  const auto late = call("POST", "/api/v1/cases/preview", sign_in("li.na@shgzb"), 200, body);  // a new day's session
  ASSERT_FALSE(late.at("deadlines_unavailable").as_array().empty());
  EXPECT_NE(std::string(late.at("deadlines_unavailable").as_array().at(0).at("reason").as_string()).find("calendar"),
            std::string::npos);
}

// Issue 15 A.8: a matter that saving joins to a case another system reported previews
// the joined case's deadlines — its running ones unchanged, the counter's new ones — and
// saving leaves exactly those running.
TEST_P(WebApi, ThePreviewOfAMatterThatJoinsACaseIsWhatSavingLeavesRunning) {
  {  // 12345 took the same citizen's call about the same land an hour ago.
    store::CaseWrite w;
    w.record.external_id = "12345-0302-0001";
    w.record.version = "1";
    w.record.title = "承包地界址纠纷";
    w.record.description = "与邻居因承包地界址发生争执，对方越界耕种约两分地。";
    w.record.category = "矛盾纠纷/土地";
    w.record.channel = "电话";
    w.record.status = "received";
    w.record.place = {"140929100200", 2023, "东街村三组", "140929100200-01", std::nullopt, std::nullopt};
    w.record.reporter = {"王建国", "13912345678", ""};
    w.raw = "{}";
    w.record.received_at = w.record.updated_at = "2026-03-02T00:00:00Z";
    auto sql = backend_.db->connect();
    ingest::Ingestor(*sql, backend_.db->dialect(), pii_, settings_)
        .commit({.instance = "kelan_12345", .system = "hotline12345"}, {w}, {});
  }
  const Session s = sign_in("li.na@shgzb");
  const auto before = call("GET", "/api/v1/cases/1", s, 200);
  ASSERT_FALSE(before.at("obligations").as_array().empty());
  const auto preview = call("POST", "/api/v1/cases/preview", s, 200, land_dispute("", "13912345678"));
  ASSERT_TRUE(preview.at("joins").is_object()) << preview;
  EXPECT_EQ(preview.at("joins").at("case"), 1);
  EXPECT_EQ(preview.at("likely_duplicates").as_array().at(0).at("joins"), true);
  // (department, duty, system, due_at): the preview's, and what runs once saved.
  using Duty = std::tuple<std::string, std::string, std::string, std::string>;
  std::set<Duty> previewed, running, hotline;
  auto str = [](const json::value& v) { return std::string(v.as_string()); };
  for (const auto& d : preview.at("deadlines").as_array())
    previewed.insert({str(d.at("department")), str(d.at("duty")), str(d.at("system")), str(d.at("due_at"))});
  for (const auto& o : before.at("obligations").as_array())
    hotline.insert({str(o.at("department")), str(o.at("duty")), "hotline12345", str(o.at("due_at"))});
  const auto created = register_case(s, "join-1", land_dispute("", "13912345678"));
  auto sql = backend_.db->connect();
  for (const auto& o : sla::running_obligations(*sql, {1}))
    running.insert({o.department, o.duty, o.source_system, o.due_at});
  EXPECT_EQ(previewed, running);
  // The call's duties run on as they were; the counter's were added beside them.
  for (const auto& h : hotline) EXPECT_TRUE(previewed.contains(h)) << std::get<1>(h);
  bool counter_duty = false;
  for (const auto& d : previewed) counter_duty = counter_duty || std::get<2>(d) == "counter";
  EXPECT_TRUE(counter_duty);
  EXPECT_NE(created.at("case").at("id"), 1);  // its own record, merged into case 1
}

TEST_P(WebApi, QueuesShowEachClockAndPageByDueDate) {
  const Session s = sign_in("li.na@shgzb");
  std::vector<int64_t> ids;
  for (int i = 0; i < 3; ++i) {
    ids.push_back(register_case(s, "q-" + std::to_string(i), land_dispute("", "1391234560" + std::to_string(i)))
                      .at("case")
                      .at("id")
                      .as_int64());
    advance(std::chrono::minutes(10));
  }
  const auto queue = call("GET", "/api/v1/cases?queue=department&department=town-140929100&sort=due&limit=2", s, 200);
  const auto& items = queue.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items.at(0).at("id"), ids[0]);  // the soonest deadline first
  const auto& clock = items.at(0).at("obligations").as_array().at(0).at("time_left").as_object();
  EXPECT_EQ(clock.at("unit"), "working_day");  // sign_for: by the end of the next working day
  EXPECT_EQ(clock.at("value"), 1);
  // Due before Wednesday 00:00 Beijing time: shown as the last second of Tuesday.
  EXPECT_EQ(items.at(0).at("obligations").as_array().at(0).at("due_local"), "2026-03-03T23:59:59+08:00");
  const auto next = call("GET",
                         "/api/v1/cases?queue=department&department=town-140929100&sort=due&limit=2&cursor=" +
                             std::string(queue.at("next_cursor").as_string()),
                         s, 200);
  ASSERT_EQ(next.at("items").as_array().size(), 1u);
  EXPECT_EQ(next.at("items").as_array().at(0).at("id"), ids[2]);
  EXPECT_TRUE(next.at("next_cursor").is_null());
  // Nothing in triage (every matter matched a rule), nothing for another department.
  EXPECT_TRUE(call("GET", "/api/v1/cases?queue=triage", s, 200).at("items").as_array().empty());
  EXPECT_TRUE(call("GET", "/api/v1/cases?department=zrzyj", s, 200).at("items").as_array().empty());
  EXPECT_EQ(call("GET", "/api/v1/cases?sort=due", s, 400).at("error").at("parameter"), "sort");
  // 督办: a case whose clock ran over (escalated one level up) is supervised.
  EXPECT_TRUE(call("GET", "/api/v1/cases?queue=supervised", s, 200).at("items").as_array().empty());
  advance(std::chrono::hours(24 * 3));  // past the sign-for day of all three
  {
    auto sql = backend_.db->connect();
    sla::sweep_obligations(*sql, backend_.db->dialect(), settings_.sla, core::now());
  }
  const auto supervised = call("GET", "/api/v1/cases?queue=supervised&sort=due", sign_in("li.na@shgzb"), 200);
  EXPECT_EQ(supervised.at("items").as_array().size(), 3u) << supervised;
}

TEST_P(WebApi, AStalePageActingOnACaseThatMovedOnIsRefusedWithTheCurrentStatus) {
  const Session s = sign_in("li.na@shgzb");
  const auto id = std::to_string(register_case(s, "stale-1", land_dispute()).at("case").at("id").as_int64());
  const auto page = call("GET", "/api/v1/cases/" + id, s, 200);
  EXPECT_EQ(page.at("status"), "dispatched");
  EXPECT_FALSE(page.at("obligations").as_array().empty());
  const auto allowed = page.at("allowed").as_array();
  EXPECT_NE(std::find(allowed.begin(), allowed.end(), json::value("reassign")), allowed.end());
  // Someone else passes it on to joint consultation meanwhile.
  const auto moved = call("POST", "/api/v1/cases/" + id + "/actions/reassign", s, 200,
                          R"({"reason":"多部门会商","departments":["zrzyj","nyncj","sfj"],"level":"joint",)"
                          R"("expected_status":"dispatched"})");
  EXPECT_EQ(call("GET", "/api/v1/cases/" + id, s, 200).at("level"), "joint");
  // The clerk's page still shows "dispatched": the suspend it sends is refused.
  call("POST", "/api/v1/cases/" + id + "/actions/accept", sign_in("zhao@zrzyj"), 200,
       R"({"expected_status":"dispatched"})");
  const auto stale = call("POST", "/api/v1/cases/" + id + "/actions/suspend", s, 409,
                          R"({"reason":"等材料","expected_status":"dispatched"})");
  EXPECT_EQ(stale.at("error").at("code"), "stale");
  EXPECT_EQ(stale.at("error").at("status"), "in_progress");
  (void)moved;
}

TEST_P(WebApi, TheDashboardCountsTheRangeAndTheAuditorSeesEveryHandOff) {
  const Session s = sign_in("li.na@shgzb");
  const auto id = register_case(s, "d-1", land_dispute()).at("case").at("id").as_int64();
  const auto sid = std::to_string(id);
  call("POST", "/api/v1/cases/" + sid + "/actions/return", sign_in("li.na@shgzb"), 200, R"({"reason":"不属于本镇"})");
  call("POST", "/api/v1/cases/" + sid + "/actions/reassign", s, 200, R"({"reason":"改派","departments":["zrzyj"]})");
  const auto all = call("GET", "/api/v1/stats?from=2026-03-01&to=2026-03-31", s, 200);
  EXPECT_EQ(all.at("cases_total"), 1);
  EXPECT_EQ(all.at("monthly").as_array().at(0).at("month"), "2026-03");
  EXPECT_EQ(all.at("monthly").as_array().at(0).at("received"), 1);
  EXPECT_FALSE(all.at("departments").as_array().empty());
  EXPECT_EQ(call("GET", "/api/v1/stats?from=2026-04-01", s, 200).at("cases_total"), 0);

  const Session auditor = sign_in("sun.audit");
  const auto trail = call("GET", "/api/v1/audit/trail?case_id=" + sid, auditor, 200);
  std::vector<std::string> types;
  for (const auto& e : trail.at("items").as_array()) types.emplace_back(e.at("type").as_string());
  EXPECT_EQ(types, (std::vector<std::string>{"received", "routed", "status_changed", "obligations_opened", "returned",
                                             "reassigned", "obligations_opened"}));
  EXPECT_EQ(trail.at("items").as_array().at(4).at("reason"), "不属于本镇");
  EXPECT_EQ(trail.at("items").as_array().at(4).at("actor"), "user:li.na@shgzb");
  // By department: what reached 自然资源局.
  const auto zrzyj = call("GET", "/api/v1/audit/trail?department=zrzyj", auditor, 200);
  EXPECT_EQ(zrzyj.at("items").as_array().at(0).at("type"), "reassigned");
  EXPECT_TRUE(call("GET", "/api/v1/audit/ledger", auditor, 200).at("checkpoint").is_null());
  // The auditor takes a checkpoint to keep: the head of the chain now.
  const auto checkpoint = call("POST", "/api/v1/audit/checkpoints", auditor, 201);
  const auto ledger = call("GET", "/api/v1/audit/ledger", auditor, 200);
  EXPECT_EQ(ledger.at("verified"), true);
  EXPECT_GT(ledger.at("events").as_int64(), 5);
  EXPECT_EQ(ledger.at("head").at("seq"), checkpoint.at("seq"));
  EXPECT_EQ(ledger.at("checkpoint").at("hash"), checkpoint.at("hash"));
  auto exported = raw("GET", "/api/v1/audit/export?from=2026-03-01", auditor);
  EXPECT_EQ(exported.status, 200);
  EXPECT_NE(exported.headers["content-disposition"].find("attachment"), std::string::npos);
  EXPECT_NE(exported.body.find("\"reassigned\""), std::string::npos);
  EXPECT_NE(exported.body.find("#checkpoint\tseq=" + std::to_string(checkpoint.at("seq").as_int64()) +
                               "\thash=" + std::string(checkpoint.at("hash").as_string())),
            std::string::npos);
  call("GET", "/api/v1/audit/trail", s, 403);  // the counter is not an auditor
}

TEST_P(WebApi, AClosedCaseGoesBackToWorkOnlyByReopenNotBySigningForIt) {
  const Session s = sign_in("li.na@shgzb"), handler = sign_in("zhao@zrzyj");
  const auto id = std::to_string(register_case(s, "closed-1", land_dispute()).at("case").at("id").as_int64());
  auto act = [&](const Session& who, const std::string& action, const std::string& body, int status) {
    return call("POST", "/api/v1/cases/" + id + "/actions/" + action, who, status, body);
  };
  act(s, "reassign", R"({"reason":"自然资源局办理","departments":["zrzyj"]})", 200);
  act(handler, "accept", "{}", 200);
  act(handler, "reply", R"({"text":"已答复"})", 200);
  EXPECT_EQ(act(handler, "accept", "{}", 409).at("error").at("code"), "conflict");  // replied: not again
  act(s, "close", R"({"text":"办结"})", 200);
  const auto closed = call("GET", "/api/v1/cases/" + id, s, 200);
  const auto& allowed = closed.at("allowed").as_array();
  EXPECT_EQ(std::find(allowed.begin(), allowed.end(), json::value("accept")), allowed.end());
  act(handler, "accept", "{}", 409);
  EXPECT_EQ(call("GET", "/api/v1/cases/" + id, s, 200).at("status"), "closed");
}

// How matters ended comes from the records' extra.outcome_id, counted per id; which
// ids are "settled" is the taxonomy's vocabulary (config), not the hub's.
TEST_P(WebApi, TheDashboardCountsOutcomesByTheTaxonomysVocabulary) {
  auto sql = backend_.db->connect();
  std::vector<store::CaseWrite> writes;
  for (const auto& [id, outcome] : std::vector<std::pair<std::string, std::string>>{
           {"O-1", "mediated"}, {"O-2", "not_mediated"}, {"O-3", "mediated"}, {"O-4", "to_litigation"}}) {
    store::CaseWrite w;
    w.record.external_id = id;
    w.record.version = "1";
    w.record.title = "纠纷调处结果";
    w.record.description = "结果编号" + id;
    w.record.category = "矛盾纠纷/邻里";
    w.record.status = "closed";
    w.record.place = {"140929100200", 2023, "", "", std::nullopt, std::nullopt};
    w.record.extra_json = "{\"outcome_id\":\"" + outcome + "\"}";
    w.raw = id;
    w.record.received_at = w.record.updated_at = "2026-03-02T01:00:00Z";
    writes.push_back(std::move(w));
  }
  ingest::Ingestor(*sql, backend_.db->dialect(), pii_, settings_)
      .commit({.instance = "outcomes_1", .system = "outcomes"}, writes, {});
  const Session s = sign_in("li.na@shgzb");
  const auto outcomes = call("GET", "/api/v1/stats", s, 200).at("outcomes");
  EXPECT_EQ(outcomes.at("by_id").at("mediated"), 2);
  EXPECT_EQ(outcomes.at("by_id").at("not_mediated"), 1);
  EXPECT_EQ(outcomes.at("reported"), 4);
  EXPECT_EQ(outcomes.at("settled"), 2);
  EXPECT_DOUBLE_EQ(outcomes.at("settled_rate").as_double(), 0.5);
  const auto ref = call("GET", "/api/v1/reference", s, 200);
  bool listed = false;
  for (const auto& o : ref.at("outcomes").as_array())
    if (o.at("id") == "mediated") listed = o.at("settled").as_bool();
  EXPECT_TRUE(listed);
}

TEST_P(WebApi, ARecordItsSystemClosedOwesNoClocks) {
  auto sql = backend_.db->connect();
  auto record = [](const std::string& id, const std::string& status, const std::string& version) {
    store::CaseWrite w;
    w.record.external_id = id;
    w.record.version = version;
    w.record.title = "调解申请";
    w.record.description = "邻里排水纠纷，申请调解。";
    w.record.category = "矛盾纠纷/邻里";
    w.record.status = status;
    w.record.place = {"140929100200", 2023, "", "", std::nullopt, std::nullopt};
    w.raw = "{\"v\":" + version + "}";
    w.record.received_at = w.record.updated_at = "2026-03-02T01:00:00Z";
    return w;
  };
  auto running = [&](const std::string& external_id) {
    long long n = 0;
    *sql << "SELECT COUNT(*) FROM obligations o JOIN case_sources s ON s.case_id = o.case_id WHERE s.external_id = '" +
                external_id + "' AND o.state IN ('open', 'paused', 'overdue')",
        soci::into(n);
    return n;
  };
  ingest::Ingestor writer(*sql, backend_.db->dialect(), pii_, settings_);
  // Closed when it first arrives: routed (for the record), no clocks.
  writer.commit({.instance = "mediation_1", .system = "mediation"}, {record("M-1", "closed", "1")}, {});
  EXPECT_EQ(running("M-1"), 0);
  // Open, then closed in its system: the clocks it had are met.
  writer.commit({.instance = "mediation_1", .system = "mediation"}, {record("M-2", "received", "1")}, {});
  EXPECT_GT(running("M-2"), 0);
  writer.commit({.instance = "mediation_1", .system = "mediation"}, {record("M-2", "closed", "2")}, {});
  EXPECT_EQ(running("M-2"), 0);
}

TEST_P(WebApi, TheFormsReferenceDataComesFromTheCountyFileAndTaxonomy) {
  const auto ref = call("GET", "/api/v1/reference", sign_in("sun.audit"), 200);
  EXPECT_EQ(ref.at("county").at("name"), "岢岚县");
  auto has = [](const json::value& list, const char* key, const char* value) {
    for (const auto& v : list.as_array())
      if (v.at(key) == value) return true;
    return false;
  };
  EXPECT_TRUE(has(ref.at("divisions"), "code", "140929100200"));  // 东街村
  EXPECT_TRUE(has(ref.at("grids"), "id", "140929100200-01"));
  EXPECT_TRUE(has(ref.at("categories"), "id", "矛盾纠纷/土地"));
  EXPECT_TRUE(has(ref.at("departments"), "id", "zrzyj"));
  EXPECT_TRUE(has(ref.at("departments"), "id", "town-140929100"));
  // A village's handler has a name too (county.yaml village_handlers over the divisions).
  EXPECT_TRUE(has(ref.at("departments"), "id", "village-140929100200"));
  EXPECT_TRUE(has(ref.at("departments"), "name", "东街村委会"));
  EXPECT_EQ(ref.at("systems").as_array().at(0), "counter");
  EXPECT_EQ(ref.at("system_labels").at("counter").at("zh-CN"), "窗口受理");  // names from config only
  EXPECT_EQ(ref.at("divisions").as_array().size(), 116u);  // 1 county, 11 township units, 104 villages
}

TEST_P(WebApi, ThePageIsServedWithItsPolicyAndNothingOutsideItsFolder) {
  auto page = raw("GET", "/", {});
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("一站"), std::string::npos);
  EXPECT_NE(page.headers["content-security-policy"].find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(page.headers["x-content-type-options"], "nosniff");
  EXPECT_EQ(raw("GET", "/case/12", {}).body, page.body);  // a page route reloads the page
  auto js = raw("GET", "/assets/app.js", {});
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.headers["content-type"], "text/javascript; charset=utf-8");
  EXPECT_EQ(raw("GET", "/assets/app.js", {}, "", {{"If-None-Match", js.headers["etag"]}}).status, 304);
  EXPECT_EQ(raw("GET", "/assets/missing.js", {}).status, 404);
  EXPECT_EQ(raw("GET", "/../secret.txt", {}).status, 404);
  EXPECT_EQ(raw("GET", "/assets/%2e%2e/%2e%2e/secret.txt", {}).status, 404);
  EXPECT_EQ(raw("GET", "/.hidden", {}).status, 404);
}

INSTANTIATE_TEST_SUITE_P(Backends, WebApi, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
