// The county's scenarios (issue 5), driven through the HTTP API of the running demo
// (scripts/demo, with the 12345 hotline and 信访 simulators) whose hub clock starts on
// Thursday 2026-02-12 09:00 Beijing time, the eve of the Spring Festival holiday, and is
// moved on by the test as a training hub allows:
//   - a 12345 noise complaint stays in its village and is settled there;
//   - a land dispute reported by 12345 and 信访 is one case, goes to joint consultation
//     (会商), is suspended for a land survey and resumed, runs over its deadline (the
//     clock counted across 春节 and 国庆), is supervised and escalated, and is closed:
//     the closure reaches both systems, once each;
//   - a case returned twice and reassigned, by operators the security admin made.
// Every hand-off is an event of the case, by whom and why; the ledger verifies.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <yizhan/sdk/child_process.hpp>
#include <yizhan/sdk/http_client.hpp>

#include "support/hub_process.hpp"

namespace yizhan {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using sdk::testkit::ChildProcess;

class Scenario : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    data_ = dir_->path() / "demo";
    demo_ = new ChildProcess({"env", "YIZHAN_DEMO_BUILD_DIR=" + test::bin_dir().parent_path().string(),
                              "YIZHAN_DEMO_SYSTEMS=hotline12345 xinfang", "YIZHAN_DEMO_PUSHING_SYSTEMS=", "bash",
                              (test::source_dir() / "scripts" / "demo").string(), "--skip-build", "--fresh", "--port",
                              "0", "--timeout", "600", "--data-dir", data_.string(), "--clock-start",
                              "2026-02-12T09:00:00+08:00", "--sweep-interval-ms", "300"},
                             {dir_->path() / "demo.out", dir_->path() / "demo.err", {}});
    const auto line = demo_->wait_for_line("Yizhan is running at ", 900s);
    base_ = line.substr(std::string("Yizhan is running at ").size());
    std::ifstream tokens(data_ / "tokens.txt");
    for (std::string name, role, department, token; tokens >> name >> role >> department >> token;)
      tokens_[role == "operator" ? department : role] = token;
  }
  static void TearDownTestSuite() {
    if (demo_) demo_->stop(60s);
    delete demo_;
    delete dir_;
  }

  static sdk::HttpResponse request(const std::string& method, const std::string& target, const std::string& token,
                                   std::string body = {}) {
    sdk::HttpRequest req;
    req.method = method;
    req.url = base_ + target;
    req.timeout = 30s;
    req.headers["Authorization"] = "Bearer " + token;
    req.body = std::move(body);
    return sdk::http_request(req);
  }
  static json::value get(const std::string& target) {
    auto r = request("GET", target, tokens_.at("admin"));
    EXPECT_EQ(r.status, 200) << target << " → " << r.body;
    return json::parse(r.body);
  }
  static json::object act(int64_t id, const std::string& action, const std::string& who, const std::string& body,
                          int status = 200) {
    auto r = request("POST", "/api/v1/cases/" + std::to_string(id) + "/actions/" + action, tokens_.at(who), body);
    EXPECT_EQ(r.status, status) << action << " on case " << id << " by " << who << " → " << r.body;
    return json::parse(r.body).as_object();
  }
  static void set_clock(const std::string& instant) {
    auto r = request("POST", "/api/v1/admin/clock", tokens_.at("admin"), "{\"set\":\"" + instant + "\"}");
    ASSERT_EQ(r.status, 200) << r.body;
  }
  // Makes an operator token for `department` through the security admin's API.
  static std::string operator_for(const std::string& name, const std::string& department) {
    auto r = request("POST", "/api/v1/tokens", tokens_.at("security_admin"),
                     "{\"name\":\"" + name + "\",\"role\":\"operator\",\"department\":\"" + department + "\"}");
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(json::parse(r.body).at("token").as_string());
  }
  static std::vector<std::string> systems_of(const json::object& page) {
    std::vector<std::string> out;
    for (const auto& s : page.at("sources").as_array()) out.emplace_back(s.at("system").as_string());
    std::sort(out.begin(), out.end());
    return out;
  }
  static std::string source_id(const json::object& page, const std::string& system) {
    for (const auto& s : page.at("sources").as_array())
      if (s.at("system") == system.c_str()) return std::string(s.at("external_id").as_string());
    return {};
  }
  // The events of a case of these types, as "type:actor".
  static std::vector<std::string> steps(int64_t id, std::initializer_list<std::string_view> types) {
    std::vector<std::string> out;
    for (const auto doc = get("/api/v1/cases/" + std::to_string(id)); const auto& e : doc.at("events").as_array()) {
      const std::string type(e.at("type").as_string());
      if (std::find(types.begin(), types.end(), type) != types.end())
        out.push_back(type + ":" + std::string(e.at("actor").as_string()));
    }
    return out;
  }
  static std::vector<std::string> due(int64_t id, const std::string& duty, const std::string& state = "open") {
    std::vector<std::string> out;
    for (const auto doc = get("/api/v1/obligations?case_id=" + std::to_string(id));
         const auto& o : doc.at("items").as_array())
      if (o.at("duty") == duty.c_str() && o.at("state") == state.c_str()) out.emplace_back(o.at("due_at").as_string());
    return out;
  }
  static bool written_back(int64_t id) {
    for (const auto doc = get("/api/v1/outbox?state=pending&limit=1000"); const auto& o : doc.at("items").as_array())
      if (o.at("case_id").to_number<int64_t>() == id) return false;
    return true;
  }

  static test::TempDir* dir_;
  static std::filesystem::path data_;
  static ChildProcess* demo_;
  static std::string base_;
  static std::map<std::string, std::string> tokens_;  // role, or an operator's department -> token
};
test::TempDir* Scenario::dir_ = nullptr;
std::filesystem::path Scenario::data_;
ChildProcess* Scenario::demo_ = nullptr;
std::string Scenario::base_;
std::map<std::string, std::string> Scenario::tokens_;

TEST_F(Scenario, ANoiseComplaintTo12345StaysInTheVillage) {
  int64_t id = 0;
  std::string village;
  for (const auto doc = get("/api/v1/cases?q=%E5%99%AA%E9%9F%B3&system=hotline12345&status=dispatched&limit=50");
       const auto& c : doc.at("items").as_array()) {
    const auto route = get("/api/v1/cases/" + std::to_string(c.at("id").to_number<int64_t>()) + "/route");
    if (route.at("level") == "village") {
      id = c.at("id").to_number<int64_t>();
      village = std::string(route.at("departments").at(0).as_string());
      break;
    }
  }
  ASSERT_NE(id, 0) << "no dispatched 12345 noise complaint routed to a village";
  EXPECT_EQ(village.rfind("village-", 0), 0u);
  EXPECT_FALSE(due(id, "handle").empty());
  const std::string token = operator_for("chen@" + village, village);
  tokens_[village] = token;
  act(id, "accept", village, "{}");
  act(id, "reply", village, R"({"text":"已上门劝导，施工改在白天"})");
  act(id, "close", "shgzb", R"({"text":"居民满意，办结"})");
  EXPECT_EQ(steps(id, {"routed", "accepted", "replied", "closed"}),
            (std::vector<std::string>{"routed:hub:router", "accepted:user:chen@" + village,
                                      "replied:user:chen@" + village, "closed:user:counter.li@shgzb"}));
}

TEST_F(Scenario, ACaseReturnedTwiceIsReassignedAndSettled) {
  // A dispute the rules gave to its town government.
  int64_t id = 0;
  std::string town;
  for (const auto doc = get(
           "/api/v1/"
           "cases?category=%E7%9F%9B%E7%9B%BE%E7%BA%A0%E7%BA%B7%2F&system=hotline12345&status=dispatched&limit=100");
       const auto& c : doc.at("items").as_array()) {
    const auto route = get("/api/v1/cases/" + std::to_string(c.at("id").to_number<int64_t>()) + "/route");
    if (route.at("level") == "town") {
      id = c.at("id").to_number<int64_t>();
      town = std::string(route.at("departments").at(0).as_string());
      break;
    }
  }
  ASSERT_NE(id, 0) << "no dispatched 12345 dispute routed to a town";
  tokens_[town] = operator_for("gao@" + town, town);
  tokens_["sfj"] = operator_for("wu@sfj", "sfj");
  tokens_["flh"] = operator_for("he@flh", "flh");
  act(id, "return", town, R"({"reason":"属婚姻家庭纠纷，应由妇联调处"})");
  act(id, "reassign", town, R"({"reason":"x","departments":["flh"]})", 403);  // passing on is the counter's
  act(id, "reassign", "shgzb", R"({"reason":"改派县妇联","departments":["flh"]})");
  act(id, "accept", town, "{}", 403);  // no longer the town's
  act(id, "return", "flh", R"({"reason":"涉及财产分割，需司法调解"})");
  act(id, "reassign", "shgzb", R"({"reason":"改派县司法局人民调解","departments":["sfj"]})");
  act(id, "accept", "sfj", "{}");
  act(id, "reply", "sfj", R"({"text":"经人民调解达成协议"})");
  act(id, "close", "shgzb", R"({"text":"调解成功，办结"})");
  EXPECT_EQ(steps(id, {"returned", "reassigned", "accepted", "replied", "closed"}),
            (std::vector<std::string>{"returned:user:gao@" + town, "reassigned:user:counter.li@shgzb",
                                      "returned:user:he@flh", "reassigned:user:counter.li@shgzb",
                                      "accepted:user:wu@sfj", "replied:user:wu@sfj", "closed:user:counter.li@shgzb"}));
  // The returned case's sign-for clock started again at each new department.
  EXPECT_GE(due(id, "sign_for", "met").size(), 1u);
}

TEST_F(Scenario, ALandDisputeReportedTo12345AndXinfangIsJointlyHandledEscalatedAndClosedInBothSystems) {
  // One case, reported by both systems, at joint consultation. The simulated systems
  // have long handled their shared matters (replied, mostly); the petitioner is not
  // satisfied, so the counter reopens it (重办) on Thu 2026-02-12.
  int64_t id = 0;
  json::object page;
  for (const auto doc = get(
           "/api/v1/cases?category=%E7%9F%9B%E7%9B%BE%E7%BA%A0%E7%BA%B7%2F%E5%9C%9F%E5%9C%B0&system=xinfang&limit=200");
       const auto& c : doc.at("items").as_array()) {
    auto p = get("/api/v1/cases/" + std::to_string(c.at("id").to_number<int64_t>())).as_object();
    if ((p.at("status") == "replied" || p.at("status") == "closed") && p.at("level") == "joint" &&
        systems_of(p) == std::vector<std::string>{"hotline12345", "xinfang"}) {
      id = p.at("id").to_number<int64_t>();
      page = std::move(p);
      break;
    }
  }
  ASSERT_NE(id, 0) << "no handled land dispute reported by 12345 and 信访 at joint consultation";
  const auto route = get("/api/v1/cases/" + std::to_string(id) + "/route");
  EXPECT_EQ(route.at("rule"), "难事会商-土地");
  EXPECT_EQ(json::serialize(route.at("departments")), R"(["zrzyj","nyncj","sfj"])");
  act(id, "reopen", "zrzyj", R"({"reason":"x"})", 403);  // the counter's
  act(id, "reopen", "shgzb", "{}", 400);                 // why?
  EXPECT_EQ(act(id, "reopen", "shgzb", R"({"reason":"信访人对答复不满意，申请重办"})").at("status"), "in_progress");

  // The clock of the system that reported it first, from Thu 2026-02-12 09:00:
  //  信访: 60 natural days, through 春节 (Feb 15-23): Mon Apr 13, a working day;
  //  12345 矛盾纠纷/: 15 working days — Feb 13, Sat Feb 14 (make-up), then after 春节
  //   Feb 24-27, Sat Feb 28 (make-up), Mar 2-6, 9-11: the end of Mar 11.
  const bool hotline_first = page.at("source_system") == "hotline12345";
  const std::string first_due = hotline_first ? "2026-03-11T16:00:00Z" : "2026-04-13T16:00:00Z";
  EXPECT_EQ(due(id, "handle"), std::vector<std::string>(3, first_due)) << json::serialize(page);
  EXPECT_TRUE(due(id, "sign_for").empty());  // signed for long ago

  // 自然资源局 suspends it for a land survey on Thu Mar 5 10:00 ...
  set_clock("2026-03-05T10:00:00+08:00");
  act(id, "suspend", "zrzyj", R"({"reason":"等待土地确权测绘结果"})");
  EXPECT_EQ(due(id, "handle", "paused").size(), 3u);
  // ... and resumes it on Tue Aug 25 09:00, the survey done. 信访: the 173 natural days
  // suspended move Apr 13 to Sat Oct 3, inside 国庆 (Oct 1-7): due the next working
  // day, Thu Oct 8. 12345: the 5 working days left on Mar 5 (5, 6, 9, 10, 11) run
  // Aug 25-28 and Mon Aug 31.
  set_clock("2026-08-25T09:00:00+08:00");
  act(id, "resume", "zrzyj", R"({"reason":"测绘结果已出"})");
  const std::string resumed_due = hotline_first ? "2026-08-31T16:00:00Z" : "2026-10-08T16:00:00Z";
  EXPECT_EQ(due(id, "handle"), std::vector<std::string>(3, resumed_due));

  // Past it: overdue at each department, the case supervised (督办), escalated to the county.
  set_clock(hotline_first ? "2026-09-01T10:00:00+08:00" : "2026-10-09T10:00:00+08:00");
  ASSERT_TRUE(
      test::eventually([&] { return get("/api/v1/cases/" + std::to_string(id)).at("status") == "supervised"; }, 60s));
  // handle and reply, at each of the three departments
  ASSERT_TRUE(test::eventually([&] { return steps(id, {"escalated"}).size() == 6u; }, 60s))
      << json::serialize(get("/api/v1/cases/" + std::to_string(id)));
  EXPECT_EQ(due(id, "handle", "overdue").size(), 3u);
  // The supervising obligation, one level up: the county's 社会工作部.
  const auto mine = get("/api/v1/obligations?case_id=" + std::to_string(id)).at("items").as_array();
  EXPECT_TRUE(std::any_of(mine.begin(), mine.end(), [](const json::value& o) {
    return o.at("department") == "shgzb" && o.at("duty") == "supervise" && o.at("level") == "county";
  })) << json::serialize(mine);

  // Replied by the department, closed by the counter.
  act(id, "reply", "zrzyj", R"({"text":"经测绘确权，承包地界址已明确，已督促返还"})");
  act(id, "close", "shgzb", R"({"text":"双方签订调解协议，办结"})");
  ASSERT_TRUE(test::eventually([&] { return written_back(id); }, 120s));

  // The closure reached both systems, once each.
  const std::string gdbh = source_id(page, "hotline12345"), petition = source_id(page, "xinfang");
  std::string hotline_url;
  {
    std::ifstream config(data_ / "demo.yaml");
    for (std::string line; std::getline(config, line);)
      if (auto at = line.find("base_url: "); at != std::string::npos) hotline_url = line.substr(at + 10);
  }
  auto hotline_closures = [&] {
    // 12345: the platform's own record of the feedback it took.
    sdk::HttpRequest feedback;
    feedback.url = hotline_url + "/__sim/feedback";
    int n = 0;
    for (const auto doc = json::parse(sdk::http_request(feedback).body); const auto& f : doc.at("list").as_array())
      if (f.at("gdbh") == gdbh.c_str() && f.at("fklx") == "办结") ++n;
    return n;
  };
  auto xinfang_closures = [&] {
    // 信访: the receipts its import took (it scans its import folder every second).
    std::ifstream imported(data_ / "inbox" / "xinfang" / "__sim_imported.jsonl");
    int n = 0;
    for (std::string line; std::getline(imported, line);) {
      if (line.empty()) continue;
      const auto r = json::parse(line);
      if (r.at("信访件编号") == petition.c_str() && r.at("办理类型") == "办结") ++n;
    }
    return n;
  };
  EXPECT_TRUE(test::eventually([&] { return hotline_closures() >= 1 && xinfang_closures() >= 1; }, 60s));
  std::this_thread::sleep_for(3s);  // a second copy, were there one, would have come by now
  EXPECT_EQ(hotline_closures(), 1) << gdbh;
  EXPECT_EQ(xinfang_closures(), 1) << petition;

  // Every hand-off on record, in order.
  const auto trail = steps(
      id, {"reopened", "suspended", "resumed", "overdue", "escalated", "replied", "closed", "write_back_delivered"});
  ASSERT_GE(trail.size(), 10u);
  const auto at = [&](const std::string& step) {
    const auto it = std::find(trail.begin(), trail.end(), step);
    EXPECT_NE(it, trail.end()) << step << " is not on the case's record";
    return it - trail.begin();
  };
  EXPECT_LT(at("reopened:user:counter.li@shgzb"), at("suspended:user:handler.zhao@zrzyj"));
  EXPECT_LT(at("suspended:user:handler.zhao@zrzyj"), at("resumed:user:handler.zhao@zrzyj"));
  EXPECT_LT(at("resumed:user:handler.zhao@zrzyj"), at("overdue:hub:sla"));
  EXPECT_LT(at("escalated:hub:sla"), at("replied:user:handler.zhao@zrzyj"));
  EXPECT_LT(at("replied:user:handler.zhao@zrzyj"), at("closed:user:counter.li@shgzb"));
  EXPECT_NE(std::find(trail.begin(), trail.end(), "closed:user:counter.li@shgzb"), trail.end());
  EXPECT_GE(std::count(trail.begin(), trail.end(), "write_back_delivered:hub:write_back"), 4);  // reply, close × 2
}

TEST_F(Scenario, TheLedgerVerifies) {
  auto verify = test::run_yizhan(
      {"audit", "verify", "--config", (data_ / "demo.yaml").string(), "--data-dir", data_.string()}, 300s);
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

}  // namespace
}  // namespace yizhan
