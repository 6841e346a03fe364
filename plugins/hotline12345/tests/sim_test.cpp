// The simulator itself: its address line, its API's shape, determinism and scale.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <yizhan/sdk/plugin.hpp>

#include "sim_process.hpp"

namespace hotline12345_test {
namespace {
namespace json = boost::json;

json::object page(const SimProcess& sim, const std::string& query) {
  return json::parse(sim.get("/api/workorders?" + query)).as_object();
}

bool all_digits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

TEST(Hotline12345Sim, PrintsItsAddressFirstAndServesPagedWorkOrders) {
  SimProcess sim({.records = 60, .seed = 5});
  EXPECT_EQ(sim.process().output().front().rfind("listening on 127.0.0.1:", 0), 0u);
  auto p = page(sim, "page_size=25");
  EXPECT_EQ(p.at("code"), 0);
  EXPECT_EQ(p.at("msg"), "success");
  const auto& data = p.at("data").as_object();
  EXPECT_EQ(data.at("total"), 60);
  const auto& list = data.at("list").as_array();
  ASSERT_EQ(list.size(), 25u);
  std::set<std::string> types;
  for (const auto& v : list) {
    const auto& o = v.as_object();
    for (const char* key : {"id", "gdbh", "bt", "nr", "lb", "qy", "dz", "lxr", "lxdh", "sfzh", "qd", "zt",
                            "slsj", "gxsj", "gdlx", "jjcd", "bbh", "kzzd"})
      EXPECT_TRUE(o.contains(key)) << key;
    std::string gdbh(o.at("gdbh").as_string());
    EXPECT_EQ(gdbh.size(), 21u) << gdbh;
    EXPECT_EQ(gdbh.rfind("12345-2026", 0), 0u) << gdbh;
    std::string qy(o.at("qy").as_string());
    EXPECT_TRUE(all_digits(qy) && qy.size() == 12 && qy.rfind("140929", 0) == 0) << qy;
    EXPECT_GT(o.at("bt").as_string().size(), 6u);
    EXPECT_EQ(o.at("slsj").as_string().size(), 19u);
    EXPECT_LE(o.at("slsj").as_string(), o.at("gxsj").as_string());
    std::string sfzh(o.at("sfzh").as_string());
    EXPECT_TRUE(sfzh.empty() || sfzh.size() == 18) << sfzh;
    types.insert(std::string(o.at("gdlx").as_string()));
  }
  const auto& next = data.at("next").as_object();
  EXPECT_EQ(next.at("after_id"), list.back().at("id"));
  EXPECT_EQ(next.at("updated_after"), list.back().at("gxsj"));
  for (const auto& t : types)
    EXPECT_TRUE(t == "求决" || t == "咨询" || t == "揭发控告" || t == "意见建议" || t == "申诉") << t;
}

TEST(Hotline12345Sim, PagesFollowTheKeysetToTheEnd) {
  SimProcess sim({.records = 70, .seed = 5});
  std::set<std::int64_t> ids;
  std::string query = "page_size=30";
  for (int i = 0; i < 10; ++i) {
    auto data = page(sim, query).at("data").as_object();
    for (const auto& v : data.at("list").as_array()) EXPECT_TRUE(ids.insert(v.at("id").as_int64()).second);
    if (data.at("next").is_null()) break;
    const auto& next = data.at("next").as_object();
    query = "page_size=30&updated_after=" +
            std::string(next.at("updated_after").as_string()).replace(10, 1, "%20") +
            "&after_id=" + std::to_string(next.at("after_id").as_int64());
  }
  EXPECT_EQ(ids.size(), 70u);
}

TEST(Hotline12345Sim, SameSeedServesTheSameWorkOrders) {
  SimProcess a({.records = 40, .seed = 99}), b({.records = 40, .seed = 99}), c({.records = 40, .seed = 100});
  std::string first = a.get("/api/workorders?page_size=40");
  EXPECT_EQ(first, b.get("/api/workorders?page_size=40"));
  EXPECT_NE(first, c.get("/api/workorders?page_size=40"));
}

TEST(Hotline12345Sim, ServesOneWorkOrderByItsNumber) {
  SimProcess sim({.records = 20, .seed = 5});
  auto listed = page(sim, "page_size=5").at("data").at("list").at(3).as_object();
  std::string gdbh(listed.at("gdbh").as_string());
  auto one = json::parse(sim.get("/api/workorders/" + gdbh)).as_object();
  EXPECT_EQ(one.at("code"), 0);
  EXPECT_EQ(one.at("data").at("gdbh"), json::value(gdbh));
  EXPECT_EQ(one.at("data").at("bt"), listed.at("bt"));
  auto missing = json::parse(sim.get("/api/workorders/12345-19990101-000001")).as_object();
  EXPECT_EQ(missing.at("code"), 404);
}

TEST(Hotline12345Sim, RejectsBadParametersAndUnknownPaths) {
  SimProcess sim({.records = 5});
  EXPECT_EQ(json::parse(sim.get("/api/workorders?updated_after=yesterday")).at("code"), 400);
  EXPECT_EQ(json::parse(sim.get("/api/workorders?after_id=-3")).at("code"), 400);
  EXPECT_EQ(json::parse(sim.get("/api/workorders?page_size=0")).at("code"), 400);
  EXPECT_EQ(json::parse(sim.get("/api/nothing")).at("code"), 404);
  // Larger pages are capped at 500, silently.
  EXPECT_EQ(page(sim, "page_size=100000").at("data").at("page_size"), 500);
}

TEST(Hotline12345Sim, ResentPageRepeatsRowsOfThePreviousPage) {
  SimProcess sim({.records = 50, .seed = 5, .resend_rate = 1.0});
  auto first = page(sim, "page_size=10").at("data").as_object();
  std::set<std::int64_t> seen;
  for (const auto& v : first.at("list").as_array()) seen.insert(v.at("id").as_int64());
  const auto& next = first.at("next").as_object();
  auto second = page(sim, "page_size=10&updated_after=" +
                              std::string(next.at("updated_after").as_string()).replace(10, 1, "+") +
                              "&after_id=" + std::to_string(next.at("after_id").as_int64()))
                    .at("data")
                    .as_object();
  EXPECT_TRUE(seen.contains(second.at("list").at(0).at("id").as_int64()))
      << "the re-sent page starts inside the previous one";
  EXPECT_EQ(stat(sim.stats(), "resent_pages"), 1);
}

TEST(Hotline12345Sim, StartsWithAHundredThousandWorkOrders) {
  SimProcess sim({.records = 100000, .seed = 1, .update_ticks = 200});
  auto s = sim.stats();
  EXPECT_EQ(stat(s, "distinct_work_orders"), 100000);
  EXPECT_GT(stat(s, "updates_pending"), 0);
  EXPECT_EQ(page(sim, "page_size=500").at("data").at("total"), 100000);
}

// docs/simulators.md: each shared matter is one more work order of the hotline's own,
// reworded, received within hours of `at`, counted as distinct and valid, and named in
// the ground truth (file and GET /__sim/truth) but nowhere in what is served.
TEST(Hotline12345Sim, ServesEachSharedMatterAsOneRewordedWorkOrderAndWritesTheTruth) {
  const auto dir = std::filesystem::temp_directory_path() / ("hotline-shared-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto matters = dir / "shared.jsonl", truth_file = dir / "truth.json";
  std::ofstream(matters)
      << R"({"key":"M-0001","title":"东街村承包地边界纠纷","description":"岚漪镇东街村村民王秀英与邻居李建国因承包地地界发生争执，李建国在其承包地内私自耕种约3亩，村委会调解未果，请求尽快处理。","category":"矛盾纠纷/土地","division_code":"140929100200","grid_id":"140929100200-02","address":"岢岚县岚漪镇东街村12号","reporter":{"name":"王秀英","phone":"13812341234","id_number":"140929196704282043"},"at":"2026-02-10T09:12:33+08:00"})"
      << "\n\n"
      << R"({"key":"M-0002","title":"农民工讨要工资","description":"张志强等5名农民工在三井镇某建筑工地务工，岢岚县恒泰劳务有限公司拖欠工资共计42000元，多次讨要无果，请求帮助追讨。","category":"矛盾纠纷/劳资","division_code":"140929101200","grid_id":"140929101200-01","address":"岢岚县三井镇三井村8号","reporter":{"name":"张志强","id_number":"14092919800101123X"},"at":"2026-02-20T01:00:00Z"})"
      << "\n";
  SimProcess sim({.records = 30,
                  .seed = 5,
                  .extra_args = {"--shared-matters", matters.string(), "--truth-out", truth_file.string()}});
  auto stats = sim.stats();
  EXPECT_EQ(stat(stats, "distinct_work_orders"), 32);
  EXPECT_EQ(stat(stats, "distinct_valid_work_orders"), 32);
  EXPECT_EQ(stat(stats, "shared_matters"), 2);

  auto truth = json::parse(sim.get("/__sim/truth")).as_object();
  std::stringstream written;
  written << std::ifstream(truth_file).rdbuf();
  EXPECT_EQ(json::parse(written.str()).as_object(), truth) << "the file and /__sim/truth agree";
  ASSERT_EQ(truth.size(), 2u);
  std::map<std::string, json::object> by_key;
  for (const auto& kv : truth) {
    auto one = json::parse(sim.get("/api/workorders/" + std::string(kv.key()))).as_object();
    ASSERT_EQ(one.at("code"), 0) << kv.key();
    EXPECT_EQ(json::serialize(one).find("M-000"), std::string::npos) << "the key is never served";
    by_key[std::string(kv.value().as_string())] = one.at("data").as_object();
  }
  ASSERT_TRUE(by_key.contains("M-0001") && by_key.contains("M-0002"));
  const auto& land = by_key["M-0001"];
  EXPECT_EQ(std::string(land.at("nr").as_string()).rfind("来电人反映：岚漪镇东街村村民王秀英", 0), 0u)
      << land.at("nr");
  EXPECT_EQ(land.at("lb"), "0101");
  EXPECT_EQ(land.at("qy"), "140929100200");
  EXPECT_EQ(land.at("lxr"), "王秀英");
  EXPECT_EQ(land.at("lxdh"), "13812341234");
  EXPECT_EQ(land.at("sfzh"), "140929196704282043");
  std::string slsj(land.at("slsj").as_string());
  EXPECT_GE(slsj, "2026-02-10 09:22:33") << "at least 10 minutes after the matter";
  EXPECT_LE(slsj, "2026-02-10 13:12:33") << "at most 4 hours after it";
  const auto& wage = by_key["M-0002"];
  EXPECT_EQ(wage.at("lb"), "0104");
  EXPECT_EQ(wage.at("lxdh"), "") << "no phone in the matter, none invented";
  std::string wage_slsj(wage.at("slsj").as_string());
  EXPECT_GE(wage_slsj, "2026-02-20 09:10:00") << "01:00Z is 09:00 Beijing time";
  EXPECT_LE(wage_slsj, "2026-02-20 13:00:00");

  // Paged like any other work order.
  std::set<std::int64_t> ids;
  const auto all = page(sim, "page_size=100");
  for (const auto& v : all.at("data").at("list").as_array()) ids.insert(v.at("id").as_int64());
  EXPECT_EQ(ids.size(), 32u);
  std::filesystem::remove_all(dir);
}

TEST(Hotline12345Sim, RefusesASharedMattersFileWithABadLineNamingIt) {
  const auto file =
      std::filesystem::temp_directory_path() / ("hotline-bad-shared-" + std::to_string(::getpid()));
  std::ofstream(file) << R"({"key":"M-1","title":"t","at":"2026-02-10 09:12:33"})"
                      << "\n";
  yizhan::sdk::testkit::ChildProcess p(
      {sim_path().string(), "--port", "0", "--shared-matters", file.string()});
  EXPECT_THROW(p.wait_for_line("listening on ", std::chrono::seconds(60)),
               yizhan::sdk::testkit::ChildProcessError);
  p.stop(std::chrono::seconds(20));
  EXPECT_EQ(p.exit_code(), 1) << "exit 1 on a bad shared-matters file";
  std::filesystem::remove(file);
}

// Write-back: POST /api/workorders/<gdbh>/feedback with an Idempotency-Key.
TEST(Hotline12345Sim, FeedbackRecordsEachKeyOnceAndRefusesWhatItCannotTake) {
  SimProcess sim({.records = 20, .seed = 5});
  const std::string gdbh(page(sim, "page_size=5").at("data").at("list").at(2).at("gdbh").as_string());
  const std::string target = "/api/workorders/" + gdbh + "/feedback";
  const std::string body =
      R"({"fklx":"办结","fknr":"已修复","cbdw":"岢岚县住房和城乡建设管理局","czr":"李明","czsj":"2026-03-01 09:12:33"})";
  auto code = [](const yizhan::sdk::HttpResponse& r) { return json::parse(r.body).at("code").as_int64(); };

  auto ok = sim.post(target, body, {{"Idempotency-Key", "k-1"}});
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(code(ok), 0);
  EXPECT_EQ(json::parse(ok.body).at("msg"), "success");
  auto again = sim.post(target, body, {{"Idempotency-Key", "k-1"}});
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, ok.body) << "a repeated key gets the same answer";
  EXPECT_EQ(code(sim.post(target, body, {{"Idempotency-Key", "k-2"}})), 0);

  auto unknown =
      sim.post("/api/workorders/12345-19990101-000001/feedback", body, {{"Idempotency-Key", "k-3"}});
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(code(unknown), 404);
  auto no_key = sim.post(target, body);
  EXPECT_EQ(no_key.status, 400);
  EXPECT_NE(no_key.body.find("Idempotency-Key"), std::string::npos) << no_key.body;
  for (const std::string& bad :
       {std::string("not json"), std::string("[]"),
        std::string(R"({"fklx":"催办","fknr":"x","czsj":"2026-03-01 09:12:33"})"),
        std::string(R"({"fklx":"办结","fknr":"","czsj":"2026-03-01 09:12:33"})"),
        std::string(R"({"fklx":"办结","fknr":"x","czsj":"2026-03-01"})"),
        std::string(R"({"fklx":"回访","fknr":"","czsj":"2026-03-01 09:12:33","myd":"很好"})"),
        std::string(R"({"fklx":"办结","fknr":7,"czsj":"2026-03-01 09:12:33"})")}) {
    auto r = sim.post(target, bad, {{"Idempotency-Key", "k-bad"}});
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(code(r), 400) << bad;
  }
  EXPECT_EQ(json::parse(sim.get(target)).at("code"), 405) << "feedback is POSTed";

  auto fb = sim.feedback();
  EXPECT_EQ(fb.at("count"), 2);
  EXPECT_EQ(fb.at("duplicates"), 1);
  EXPECT_EQ(fb.at("fault"), "off");
  const auto& list = fb.at("list").as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list.at(0).at("key"), "k-1");
  EXPECT_EQ(list.at(1).at("key"), "k-2");
  EXPECT_EQ(list.at(0).at("gdbh"), json::value(gdbh));
  EXPECT_EQ(list.at(0).at("fklx"), "办结");
  EXPECT_EQ(list.at(0).at("fknr"), "已修复");
  EXPECT_EQ(list.at(0).at("czsj"), "2026-03-01 09:12:33");
  auto s = sim.stats();
  EXPECT_EQ(stat(s, "feedback_requests"), 12);
  EXPECT_EQ(stat(s, "feedback_recorded"), 2);
  EXPECT_EQ(stat(s, "feedback_duplicates"), 1);
  EXPECT_EQ(stat(s, "feedback_refused"), 9);
  EXPECT_EQ(stat(s, "feedback_faults"), 0);
}

TEST(Hotline12345Sim, FeedbackFaultSwitchFailsExactlyTheRequestsAskedFor) {
  SimProcess sim({.records = 20, .seed = 5});
  const std::string gdbh(page(sim, "page_size=5").at("data").at("list").at(0).at("gdbh").as_string());
  const std::string target = "/api/workorders/" + gdbh + "/feedback";
  const std::string body = R"({"fklx":"派单","fknr":"","czsj":"2026-03-01 09:12:33"})";
  auto send = [&](const std::string& key) { return sim.post(target, body, {{"Idempotency-Key", key}}); };

  sim.set_feedback_fault("503", 2);
  EXPECT_EQ(sim.feedback().at("fault"), "503");
  EXPECT_EQ(send("a").status, 503);
  EXPECT_EQ(send("a").status, 503);
  EXPECT_EQ(send("a").status, 200) << "count=2: the third request goes through";
  sim.set_feedback_fault("busy");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(json::parse(send("b").body).at("code"), -1) << "until switched off";
  sim.set_feedback_fault("drop", 1);
  EXPECT_THROW(send("c"), yizhan::sdk::UpstreamError) << "the connection closes unanswered";
  sim.set_feedback_fault("lost_reply", 1);
  EXPECT_THROW(send("d"), yizhan::sdk::UpstreamError);
  EXPECT_EQ(sim.feedback().at("count"), 2) << "a lost reply's feedback was recorded";
  sim.set_feedback_fault("off");
  EXPECT_EQ(send("d").status, 200);
  EXPECT_EQ(sim.feedback().at("duplicates"), 1);
  EXPECT_EQ(sim.post("/__sim/feedback/fault?mode=sometimes", "").status, 400);
  EXPECT_EQ(sim.post("/__sim/feedback/fault?mode=500&count=0", "").status, 400);
  EXPECT_EQ(stat(sim.stats(), "feedback_faults"), 7);
}

TEST(Hotline12345Sim, FeedbackFaultRateFailsSomeRequestsDeterministically) {
  auto run = [](std::uint64_t seed) {
    SimProcess sim(
        {.records = 20, .seed = seed, .feedback_fault_rate = 0.3, .slow_min_ms = 0, .slow_max_ms = 10});
    const std::string gdbh(page(sim, "page_size=5").at("data").at("list").at(0).at("gdbh").as_string());
    std::string outcomes;
    for (int i = 0; i < 60; ++i) {
      try {
        auto r = sim.post("/api/workorders/" + gdbh + "/feedback",
                          R"({"fklx":"派单","fknr":"","czsj":"2026-03-01 09:12:33"})",
                          {{"Idempotency-Key", "r-" + std::to_string(i)}});
        outcomes += r.status == 200 && json::parse(r.body).at("code") == 0 ? 'o' : 'x';
      } catch (const yizhan::sdk::UpstreamError&) {
        outcomes += 'd';
      }
    }
    const auto faults = stat(sim.stats(), "feedback_faults");
    EXPECT_GE(faults, 60 - std::count(outcomes.begin(), outcomes.end(), 'o'))
        << "only faults fail (slow ones succeed)";
    return std::make_pair(outcomes, faults);
  };
  auto [a, faults] = run(9);
  EXPECT_EQ(a, run(9).first) << "the same seed fails the same requests";
  EXPECT_GT(faults, 5);
  EXPECT_LT(faults, 35);
  EXPECT_NE(a.find('x'), std::string::npos);
  EXPECT_NE(a.find('o'), std::string::npos);
}

TEST(Hotline12345Sim, StopsCleanlyOnSigterm) {
  SimProcess sim({.records = 10});
  sim.get("/__sim/stats");
  EXPECT_EQ(sim.process().stop(std::chrono::seconds(20)), 0);
  EXPECT_EQ(sim.process().exit_code(), 0);
}

}  // namespace
}  // namespace hotline12345_test
