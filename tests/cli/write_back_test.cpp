// Write-back through the outbox (docs/architecture.md §2 step 6, writeback/*): what the hub does on a
// 12345 work order — dispatched, replied, closed — reaches the 12345 platform through
// the plugin's sink capability; with the platform down for ten minutes (of the hub's
// clock, moved on by the test) the write-backs wait in the outbox, retried with
// backoff, and once it is back they arrive in the order they happened, each once, even
// when an acknowledgement is lost on the way. Real processes: yizhan serve and
// sim-hotline12345 (stopped, then started again on the same port with the same seed).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <yizhan/sdk/child_process.hpp>
#include <yizhan/sdk/http_client.hpp>

#include "db/database.hpp"
#include "support/hub_process.hpp"

namespace yizhan {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using sdk::testkit::ChildProcess;
using test::HubProcess;

json::value sim_get(const std::string& url) {
  sdk::HttpRequest req;
  req.url = url;
  return json::parse(sdk::http_request(req).body);
}

json::object post(const HubProcess& hub, const std::string& target, const std::string& body, int status = 200) {
  auto res = hub.request("POST", target, body);
  EXPECT_EQ(res.status, status) << target << " → " << res.body;
  return json::parse(res.body).as_object();
}

size_t outbox(const HubProcess& hub, const std::string& state) {
  return hub.get_json("/api/v1/outbox?instance=kelan_12345&limit=1000&state=" + state).at("items").as_array().size();
}

void advance_clock(const HubProcess& hub, int seconds) {
  post(hub, "/api/v1/admin/clock", "{\"advance_seconds\":" + std::to_string(seconds) + "}");
}

TEST(WriteBack, APlatformDownForTenMinutesReceivesItsBacklogInOrderAndOnce) {
  test::TempDir dir;
  const std::vector<std::string> sim_args = {(test::bin_dir() / "sim-hotline12345").string(),
                                             "--records",
                                             "40",
                                             "--seed",
                                             "11",
                                             "--update-ticks",
                                             "0",
                                             "--fault-rate",
                                             "0",
                                             "--feedback-fault-rate",
                                             "0"};
  auto cmd = sim_args;
  cmd.insert(cmd.end(), {"--port", "0"});
  auto sim = std::make_unique<ChildProcess>(cmd, ChildProcess::Options{{}, dir.path() / "sim-1.log", {}});
  const std::string url = test::listening_url(*sim);
  const std::string port = url.substr(url.rfind(':') + 1);
  const auto config_dir = test::source_dir() / "config";
  const std::string yaml =
      "database: {backend: sqlite, path: hub.db}\nplugin_dir: ${PLUGIN_DIR}\n"
      "routing: {rules: " +
      (config_dir / "routing.yaml").string() + ", county: " + (config_dir / "county.yaml").string() +
      "}\n"
      "sla: {file: " +
      (config_dir / "sla.yaml").string() + ", calendars: " + config_dir.string() +
      "}\n"
      "clock: {start: \"2026-06-01T09:00:00+08:00\", adjustable: true}\n"
      "write_back: {retry_initial_ms: 1000, check_interval_ms: 100}\n"
      "auth: {counter_departments: [shgzb]}\n"
      "plugins: [{name: hotline12345}]\ninstances:\n"
      "  - name: kelan_12345\n    plugin: hotline12345\n    poll_interval_ms: 100\n    max_backoff_ms: 120000\n"
      "    timeout_ms: 5000\n    config:\n" +
      test::plugin_example_config("hotline12345", url);
  auto config = test::write_hub_config(dir.path(), yaml);
  HubProcess hub(config, dir.path() / "data");

  // Ingested and routed: each dispatch written back while the platform is up.
  const int64_t expected = sim_get(url + "/__sim/stats").at("distinct_valid_work_orders").to_number<int64_t>();
  ASSERT_TRUE(test::eventually(
      [&] {
        const auto stats = hub.get_json("/api/v1/stats");
        const auto& by = stats.at("by_system").as_object();
        return by.contains("hotline12345") && by.at("hotline12345").to_number<int64_t>() == expected &&
               outbox(hub, "pending") == 0;
      },
      180s))
      << hub.log();
  const size_t dispatched = outbox(hub, "delivered");
  ASSERT_GT(dispatched, 0u) << "no case was dispatched: the routing rules matched nothing";
  EXPECT_EQ(sim_get(url + "/__sim/feedback").at("count").to_number<size_t>(), dispatched);

  // Three dispatched work orders to settle while the platform is down.
  std::vector<int64_t> cases;
  for (const auto doc = hub.get_json("/api/v1/cases?status=dispatched&limit=3");
       const auto& c : doc.at("items").as_array())
    cases.push_back(c.at("id").to_number<int64_t>());
  ASSERT_EQ(cases.size(), 3u);

  ASSERT_EQ(sim->stop(), 0);
  sim.reset();
  for (int64_t id : cases) {
    const std::string base = "/api/v1/cases/" + std::to_string(id) + "/actions/";
    post(hub, base + "accept", "{}");
    post(hub, base + "reply", R"({"text":"已安排人员上门处理"})");
    post(hub, base + "close", R"({"text":"问题已解决，办结"})");
  }
  // Ten minutes of the hub's clock, a minute at a time: every attempt fails, nothing
  // is lost, nothing overtakes the head of the queue.
  for (int minute = 0; minute < 10; ++minute) {
    advance_clock(hub, 60);
    std::this_thread::sleep_for(300ms);
  }
  EXPECT_EQ(outbox(hub, "pending"), 6u);
  const auto pending = hub.get_json("/api/v1/outbox?instance=kelan_12345&state=pending").at("items").as_array();
  const auto& head = pending.back().as_object();  // newest first: the head is last
  EXPECT_GE(head.at("attempts").to_number<int64_t>(), 3) << json::serialize(head);
  EXPECT_TRUE(head.at("last_error").is_string());
  for (const auto& row : pending)
    EXPECT_LE(row.at("attempts").to_number<int64_t>(), head.at("attempts").to_number<int64_t>());
  const auto health = hub.get_json("/api/v1/plugins").at("instances").at("kelan_12345").at("write_back");
  EXPECT_EQ(health.at("state"), "retrying") << json::serialize(health);

  // Back on the same address, and the first acknowledgement it sends gets lost.
  auto again = sim_args;
  again.insert(again.end(), {"--port", port});
  sim = std::make_unique<ChildProcess>(again, ChildProcess::Options{{}, dir.path() / "sim-2.log", {}});
  ASSERT_EQ(test::listening_url(*sim), url);
  sdk::HttpRequest fault;
  fault.method = "POST";
  fault.url = url + "/__sim/feedback/fault?mode=lost_reply&count=1";
  ASSERT_EQ(sdk::http_request(fault).status, 200);
  ASSERT_TRUE(test::eventually(
      [&] {
        advance_clock(hub, 30);  // past the longest backoff (120 s) soon
        return outbox(hub, "pending") == 0;
      },
      120s, 500ms))
      << hub.log();

  // In the order they happened, each once from the platform's side.
  const auto feedback = sim_get(url + "/__sim/feedback").as_object();
  const auto& list = feedback.at("list").as_array();
  ASSERT_EQ(list.size(), 6u) << json::serialize(feedback);
  EXPECT_EQ(feedback.at("duplicates").to_number<int64_t>(), 1);  // the retry after the lost acknowledgement
  std::vector<std::string> types, keys;
  for (const auto& f : list) {
    types.emplace_back(f.at("fklx").as_string());
    keys.emplace_back(f.at("key").as_string());
  }
  EXPECT_EQ(types, (std::vector<std::string>{"答复", "办结", "答复", "办结", "答复", "办结"}));
  for (size_t i = 1; i < keys.size(); ++i)
    EXPECT_LT(std::stoll(keys[i - 1].substr(3)), std::stoll(keys[i].substr(3))) << "out of order: " << keys[i];
  // Every delivery on the ledger of its case.
  for (int64_t id : cases) {
    int delivered = 0;
    for (const auto doc = hub.get_json("/api/v1/cases/" + std::to_string(id));
         const auto& e : doc.at("events").as_array())
      if (e.at("type") == "write_back_delivered") ++delivered;
    EXPECT_EQ(delivered, 3) << "case " << id;  // dispatched, replied, closed
  }
  EXPECT_EQ(hub.process().stop(), 0);
  auto verify = test::run_yizhan(
      {"audit", "verify", "--config", config.string(), "--data-dir", (dir.path() / "data").string()}, 300s);
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

}  // namespace
}  // namespace yizhan
