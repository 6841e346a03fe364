// The simulator on its own: the grids on the real divisions, its API contract, shared
// matters and ground truth, determinism, clean stop.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "sim_process.hpp"

namespace zongzhi_test {
namespace {
namespace json = boost::json;

json::object list(const SimProcess& sim, const std::string& token, const std::string& query) {
  auto r = sim.request("GET", "/api/v2/events?" + query, {}, token);
  return json::parse(r.body).as_object();
}

std::vector<json::object> all_events(const SimProcess& sim) {
  std::string token = sim.login();
  std::vector<json::object> out;
  auto page = list(sim, token, "pageSize=500");
  for (const auto& e : page.at("data").at("records").as_array()) out.push_back(e.as_object());
  return out;
}

std::set<std::string> village_codes() {
  std::ifstream in(divisions_path());
  std::set<std::string> codes;
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("village,", 0) == 0) codes.insert(line.substr(8, 12));
  return codes;
}

TEST(ZongzhiSim, GridsAre329OnTheRealVillagesTwoToFiveEach) {
  SimProcess sim({.records = 450, .seed = 41});
  auto villages = village_codes();
  ASSERT_EQ(villages.size(), 104u);
  std::map<std::string, std::set<int>> grids;
  for (const auto& e : all_events(sim)) {
    std::string grid(e.at("gridCode").as_string());
    ASSERT_EQ(grid.size(), 15u) << grid;
    ASSERT_EQ(grid[12], '-') << grid;
    ASSERT_EQ(grid.find_first_not_of("0123456789-"), std::string::npos) << grid;
    const std::string village = grid.substr(0, 12);
    EXPECT_EQ(village, std::string(e.at("villageCode").as_string()));
    EXPECT_TRUE(villages.contains(village)) << grid;
    EXPECT_EQ(std::string(e.at("townCode").as_string()), village.substr(0, 9));
    int n = std::stoi(grid.substr(13));
    EXPECT_GE(n, 1);
    EXPECT_LE(n, 5);
    grids[village].insert(n);
    EXPECT_NEAR(e.at("lat").as_double(), 38.70, 0.3);
    EXPECT_NEAR(e.at("lon").as_double(), 111.57, 0.35);
    EXPECT_NE(e.at("reporterId").as_string(), "") << "the grid worker is always named";
  }
  EXPECT_GT(grids.size(), 90u);
}

TEST(ZongzhiSim, SameSeedSameEventsAndTokenAuthIsEnforced) {
  SimProcess a({.records = 40, .seed = 42}), b({.records = 40, .seed = 42});
  auto ea = all_events(a), eb = all_events(b);
  ASSERT_EQ(ea.size(), 40u);
  EXPECT_EQ(ea, eb);
  EXPECT_EQ(a.request("GET", "/api/v2/events").status, 401u);
  EXPECT_EQ(json::parse(a.request("GET", "/api/v2/events", {}, "forged").body).at("code"), 40101);
  auto wrong = a.request("POST", "/api/v2/auth/token", R"({"appId":"zongzhi-demo","appSecret":"no"})");
  EXPECT_EQ(wrong.status, 401u);
  EXPECT_EQ(json::parse(wrong.body).at("code"), 40100);
  std::string token = a.login();
  EXPECT_EQ(list(a, token, "pageSize=501").at("code"), 40000);
  EXPECT_EQ(list(a, token, "updatedSince=yesterday").at("code"), 40000);
  auto page = list(a, token, "pageSize=10&pageNo=2");
  EXPECT_EQ(page.at("data").at("total"), 40);
  EXPECT_EQ(page.at("data").at("records").as_array().size(), 10u);
}

TEST(ZongzhiSim, ServesSharedMattersRewordedAndWritesTheTruth) {
  auto dir = std::filesystem::temp_directory_path() / ("zongzhi-sim-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream m(dir / "matters.jsonl");
    m << R"({"key":"M-0007","title":"土地承包纠纷","description":"村民反映与邻村因承包地界发生纠纷，双方多次争吵，村委会调解未果，请求处理。","category":"矛盾纠纷/土地","division_code":"140929100201","grid_id":"G-140929100201-02","address":"岢岚县岚漪镇西街村","reporter":{"name":"王秀英","phone":"13812341234","id_number":"140929196704282043"},"at":"2026-03-01T09:12:33+08:00"})"
      << "\n\n"
      << R"({"key":"M-0008","title":"暖气不热","description":"小区暖气温度低。","category":"公共服务","division_code":"140929400001","at":"2026-02-20T10:00:00+08:00"})"
      << "\n";
  }
  SimProcess sim({.records = 30,
                  .seed = 43,
                  .extra_args = {"--shared-matters", (dir / "matters.jsonl").string(), "--truth-out",
                                 (dir / "truth.json").string()}});
  auto truth = json::parse(sim.get("/__sim/truth")).as_object();
  std::ifstream in(dir / "truth.json");
  std::stringstream file;
  file << in.rdbuf();
  EXPECT_EQ(json::parse(file.str()), json::value(truth));
  ASSERT_EQ(truth.size(), 2u);
  EXPECT_EQ(stat(sim.stats(), "shared_matters"), 2);
  auto events = all_events(sim);
  EXPECT_EQ(events.size(), 32u);
  std::map<std::string, json::object> by_key;
  for (const auto& e : events) {
    std::string id(e.at("eventId").as_string());
    EXPECT_EQ(json::serialize(e).find("M-000"), std::string::npos) << "nothing served names the key";
    if (truth.contains(id)) by_key[std::string(truth.at(id).as_string())] = e;
  }
  ASSERT_EQ(by_key.size(), 2u);
  const auto& land = by_key["M-0007"];
  EXPECT_EQ(land.at("gridCode"), "140929100201-02");
  EXPECT_EQ(land.at("eventType"), "0101");
  EXPECT_EQ(land.at("partyIdNo"), "140929196704282043");
  std::string content(land.at("content").as_string());
  EXPECT_EQ(content.rfind("网格员", 0), 0u) << content;
  EXPECT_NE(content, "村民反映与邻村因承包地界发生纠纷，双方多次争吵，村委会调解未果，请求处理。");
  std::int64_t at_ms = 1772327553000;  // 2026-03-01T09:12:33+08:00
  EXPECT_GT(land.at("reportTime").as_int64(), at_ms);
  EXPECT_LT(land.at("reportTime").as_int64(), at_ms + 4 * 3600 * 1000);
  EXPECT_EQ(by_key["M-0008"].at("villageCode"), "140929400001");
  EXPECT_EQ(by_key["M-0008"].at("eventClass"), "03");
  std::filesystem::remove_all(dir);
}

TEST(ZongzhiSim, RefusesABadSharedMattersFileNamingTheLine) {
  auto file = std::filesystem::temp_directory_path() / ("zongzhi-bad-" + std::to_string(::getpid()) + ".jsonl");
  {
    std::ofstream m(file);
    m << R"({"key":"M-1","title":"x","at":"2026-03-01T09:12:33+08:00"})"
      << "\n"
      << R"({"key":"M-2","title":"y","at":"yesterday"})"
      << "\n";
  }
  auto err = std::filesystem::temp_directory_path() / ("zongzhi-bad-" + std::to_string(::getpid()) + ".err");
  {
    yizhan::sdk::testkit::ChildProcess child({sim_path().string(), "--shared-matters", file.string()}, {{}, err, {}});
    EXPECT_THROW(child.wait_for_line("listening on ", std::chrono::seconds(30)),
                 yizhan::sdk::testkit::ChildProcessError);
    EXPECT_EQ(child.stop(), 1 << 8);
  }
  std::ifstream in(err);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find(file.string() + ":2: matter M-2: 'at'"), std::string::npos) << text.str();
  std::filesystem::remove(file);
  std::filesystem::remove(err);
}

TEST(ZongzhiSim, StopsCleanlyOnSigterm) {
  SimProcess sim({.records = 10});
  sim.get("/__sim/stats");
  sim.process().stop(std::chrono::seconds(20));
  EXPECT_EQ(sim.process().exit_code(), 0);
}

}  // namespace
}  // namespace zongzhi_test
