// One department system down for a while (issue 4, docs/architecture.md §2): the hub reports the
// instance by name, backs off, keeps ingesting from the others, and once the system is
// back takes up where its cursor stood — every record once, nothing lost. Real
// processes: yizhan serve, sim-hotline12345 and sim-zongzhi (stopped and started again
// on the same port, with the same seed, so it serves the same events — and no longer
// knows the hub's token).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
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

std::string instance_config(const std::string& plugin, const std::string& url) {
  return test::plugin_example_config(plugin, url);
}
std::string url_of(ChildProcess& sim) { return test::listening_url(sim); }

json::object get(const std::string& url) {
  sdk::HttpRequest req;
  req.url = url;
  return json::parse(sdk::http_request(req).body).as_object();
}

int64_t records_of(const HubProcess& hub, const std::string& system) {
  const auto stats = hub.get_json("/api/v1/stats").as_object();
  const auto& by = stats.at("by_system").as_object();
  return by.contains(system) ? by.at(system).to_number<int64_t>() : 0;
}

TEST(Outage, OneSystemDownForAWhileTheOthersFlowAndEverythingIsIngestedOnceItIsBack) {
  test::TempDir dir;
  const std::vector<std::string> zongzhi_args = {(test::bin_dir() / "sim-zongzhi").string(),
                                                 "--records",
                                                 "2500",
                                                 "--seed",
                                                 "7",
                                                 "--update-ticks",
                                                 "0",
                                                 "--fault-rate",
                                                 "0",
                                                 "--revoke-rate",
                                                 "0"};
  auto zongzhi_cmd = zongzhi_args;
  zongzhi_cmd.insert(zongzhi_cmd.end(), {"--port", "0"});
  auto zongzhi =
      std::make_unique<ChildProcess>(zongzhi_cmd, ChildProcess::Options{{}, dir.path() / "zongzhi-1.log", {}});
  const std::string zongzhi_url = url_of(*zongzhi);
  const std::string zongzhi_port = zongzhi_url.substr(zongzhi_url.rfind(':') + 1);
  ChildProcess hotline({(test::bin_dir() / "sim-hotline12345").string(), "--port", "0", "--records", "1500", "--seed",
                        "3", "--update-ticks", "400", "--fault-rate", "0.05"},
                       {{}, dir.path() / "hotline.log", {}});
  const std::string hotline_url = url_of(hotline);

  const std::string hub_yaml =
      "database: {backend: sqlite, path: hub.db}\nplugin_dir: ${PLUGIN_DIR}\n"
      "plugins: [{name: hotline12345}, {name: zongzhi}]\ninstances:\n"
      "  - name: kelan_12345\n    plugin: hotline12345\n    poll_interval_ms: 100\n    max_backoff_ms: 500\n"
      "    config:\n" +
      instance_config("hotline12345", hotline_url) +
      "  - name: kelan_zongzhi\n    plugin: zongzhi\n    poll_interval_ms: 100\n    max_backoff_ms: 1000\n"
      "    config:\n" +
      instance_config("zongzhi", zongzhi_url);
  auto config = test::write_hub_config(dir.path(), hub_yaml);
  HubProcess hub(config, dir.path() / "data");

  // Some of the grid platform's events are in; then it goes down.
  ASSERT_TRUE(test::eventually([&] { return records_of(hub, "zongzhi") >= 200; }, 300s)) << hub.log();
  const int64_t zongzhi_expected = get(zongzhi_url + "/__sim/stats").at("distinct_valid_records").to_number<int64_t>();
  EXPECT_EQ(zongzhi->stop(), 0);
  zongzhi.reset();
  const int64_t hotline_at_outage = records_of(hub, "hotline12345");

  // While it is down: reported by name, retried with backoff, and the hotline flows on.
  ASSERT_TRUE(test::eventually(
      [&] {
        const auto z = hub.get_json("/api/v1/plugins").at("instances").at("kelan_zongzhi").as_object();
        return z.at("consecutive_failures").to_number<int64_t>() >= 3 && z.at("last_error").is_string();
      },
      120s))
      << json::serialize(hub.get_json("/api/v1/plugins"));
  // Counted once its polls fail: a page fetched just before the stop may still have
  // been stored after it.
  const int64_t zongzhi_at_outage = records_of(hub, "zongzhi");
  ASSERT_LT(zongzhi_at_outage, zongzhi_expected) << "the platform was fully read before it went down: proves nothing";
  // Behind its upstream when it went down, and still known to be.
  EXPECT_EQ(hub.get_json("/api/v1/plugins").at("instances").at("kelan_zongzhi").at("backlog"), true);
  ASSERT_TRUE(test::eventually([&] { return records_of(hub, "hotline12345") > hotline_at_outage; }, 120s))
      << "the hotline stopped flowing while the grid platform was down\n"
      << hub.log();
  EXPECT_EQ(records_of(hub, "zongzhi"), zongzhi_at_outage);
  EXPECT_NE(hub.get_text("/metrics").find("yizhan_poll_errors_total{instance=\"kelan_zongzhi\""), std::string::npos);
  EXPECT_NE(hub.log().find("kelan_zongzhi"), std::string::npos);

  // Back on the same address with the same data (and none of the tokens it gave out).
  auto restart = zongzhi_args;
  restart.insert(restart.end(), {"--port", zongzhi_port});
  zongzhi = std::make_unique<ChildProcess>(restart, ChildProcess::Options{{}, dir.path() / "zongzhi-2.log", {}});
  ASSERT_EQ(url_of(*zongzhi), zongzhi_url);
  const int64_t hotline_expected =
      get(hotline_url + "/__sim/stats").at("distinct_valid_work_orders").to_number<int64_t>();
  ASSERT_TRUE(test::eventually(
      [&] {
        return records_of(hub, "zongzhi") == zongzhi_expected && records_of(hub, "hotline12345") == hotline_expected;
      },
      600s, 250ms))
      << "zongzhi " << records_of(hub, "zongzhi") << "/" << zongzhi_expected << ", hotline "
      << records_of(hub, "hotline12345") << "/" << hotline_expected << "\n"
      << hub.log();
  const auto z = hub.get_json("/api/v1/plugins").at("instances").at("kelan_zongzhi").as_object();
  EXPECT_EQ(z.at("consecutive_failures").to_number<int64_t>(), 0) << json::serialize(z);
  EXPECT_EQ(z.at("backlog"), false) << json::serialize(z);
  // Exactly once: no source row twice, each record one "received" event, ledger whole.
  EXPECT_EQ(hub.process().stop(), 0);
  db::Database db("sqlite3", "db=" + (dir.path() / "data" / "hub.db").string());
  auto sql = db.connect();
  long long rows = 0, distinct = 0, received = 0;
  *sql << "SELECT COUNT(*), COUNT(DISTINCT external_id) FROM case_sources WHERE instance = 'kelan_zongzhi'",
      soci::into(rows), soci::into(distinct);
  *sql << "SELECT COUNT(*) FROM events WHERE type = 'received' AND data LIKE '%\"instance\":\"kelan_zongzhi\"%'",
      soci::into(received);
  EXPECT_EQ(rows, zongzhi_expected);
  EXPECT_EQ(distinct, zongzhi_expected);
  EXPECT_EQ(received, zongzhi_expected);
  auto verify = test::run_yizhan(
      {"audit", "verify", "--config", config.string(), "--data-dir", (dir.path() / "data").string()}, 300s);
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

}  // namespace
}  // namespace yizhan
