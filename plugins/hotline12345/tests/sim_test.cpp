// The simulator itself: its address line, its API's shape, determinism and scale.
#include <gtest/gtest.h>

#include <set>

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

TEST(Hotline12345Sim, StopsCleanlyOnSigterm) {
  SimProcess sim({.records = 10});
  sim.get("/__sim/stats");
  EXPECT_EQ(sim.process().stop(std::chrono::seconds(20)), 0);
  EXPECT_EQ(sim.process().exit_code(), 0);
}

}  // namespace
}  // namespace hotline12345_test
