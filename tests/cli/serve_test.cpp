// `yizhan serve` as county IT runs it: a real process with a config file, real plugins
// loaded from shared libraries, a real simulator, the HTTP API, signals — SIGKILL too.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <csignal>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>
#include <yizhan/sdk/child_process.hpp>
#include <yizhan/sdk/http_client.hpp>

#include "support/hub_process.hpp"
#include "support/store_backends.hpp"

namespace yizhan {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using test::HubProcess;
using test::run_yizhan;

int64_t cases_total(const HubProcess& hub) {
  return hub.get_json("/api/v1/stats").at("cases_total").to_number<int64_t>();
}

int64_t count(soci::session& sql, const std::string& query) {
  long long n = 0;
  sql << query, soci::into(n);
  return n;
}

// A hub config with the fixture source plugin and one instance of it.
std::string fixture_hub(const std::string& database_yaml, int records, int batch) {
  return database_yaml +
         "plugin_dir: ${TEST_PLUGIN_DIR}\n"
         "plugins:\n"
         "  - name: fixture_source\n"
         "instances:\n"
         "  - name: bulk\n"
         "    plugin: fixture_source\n"
         "    poll_interval_ms: 50\n"
         "    config: {records: " +
         std::to_string(records) + ", batch: " + std::to_string(batch) + "}\n";
}

std::string database_yaml(const test::Backend& b) {
  if (b.backend == "sqlite") return "database: {backend: sqlite, path: hub.db}\n";
  return "database: {backend: postgresql, connection: \"" + b.connection + "\"}\n";
}

class Serve : public ::testing::TestWithParam<std::string> {};

// docs/architecture.md §2 step 2: batch and cursor commit together, so a hub killed at any instant
// resumes where the last commit left it — nothing twice, nothing lost, ledger intact.
TEST_P(Serve, SigkillMidIngestThenRestartStoresEveryRecordExactlyOnce) {
  constexpr int kRecords = 100000;
  auto backend = test::make_backend(GetParam());
  const auto data = backend.dir->path() / "data";
  auto config = test::write_hub_config(backend.dir->path(), fixture_hub(database_yaml(backend), kRecords, 1000));

  int64_t at_kill = 0;
  {
    HubProcess hub(config, data);
    ASSERT_TRUE(test::eventually([&] { return cases_total(hub) >= 5000; }, 600s)) << hub.log();
    hub.process().signal(SIGKILL);
    hub.process().stop();
    EXPECT_EQ(hub.process().exit_code(), 128 + SIGKILL);
  }
  // SQLite: the hub's own file in its data dir; PostgreSQL: the database it was given.
  auto db = backend.backend == "sqlite" ? db::Database("sqlite3", "db=" + (data / "hub.db").string()) : *backend.db;
  auto sql = db.connect();
  at_kill = count(*sql, "SELECT COUNT(*) FROM cases");
  ASSERT_GE(at_kill, 5000);
  ASSERT_LT(at_kill, kRecords) << "the hub finished before it was killed: the test proves nothing";
  // What was committed is whole: every stored batch came with its cursor.
  std::string cursor;
  *sql << "SELECT cursor FROM source_cursors WHERE instance = 'bulk'", soci::into(cursor);
  EXPECT_EQ(std::to_string(at_kill), cursor);

  {
    HubProcess hub(config, data);
    ASSERT_TRUE(test::eventually([&] { return cases_total(hub) == kRecords; }, 900s))
        << "cases_total " << cases_total(hub) << "\n"
        << hub.log();
    EXPECT_EQ(hub.process().stop(), 0) << hub.log();
  }
  EXPECT_EQ(count(*sql, "SELECT COUNT(*) FROM cases"), kRecords);
  EXPECT_EQ(count(*sql, "SELECT COUNT(*) FROM case_sources"), kRecords);
  EXPECT_EQ(count(*sql, "SELECT COUNT(DISTINCT external_id) FROM case_sources WHERE instance = 'bulk'"), kRecords);
  EXPECT_EQ(count(*sql, "SELECT COUNT(*) FROM events WHERE type = 'received'"), kRecords);
  EXPECT_EQ(count(*sql, "SELECT COUNT(*) FROM dead_letters"), 0);

  auto verify = run_yizhan({"audit", "verify", "--config", config.string(), "--data-dir", data.string()}, 600s);
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find("OK: "), std::string::npos) << verify.out;
}

INSTANTIATE_TEST_SUITE_P(Backends, Serve, ::testing::Values("sqlite", "postgresql"));

// The demo's promise, as a test: every distinct valid work order of the simulator is
// one case, despite re-sent pages, transient errors, slow replies and status changes;
// the malformed ones are dead letters with their raw payload.
TEST(ServeHotline, IngestsEveryDistinctWorkOrderOnceAndDeadLettersTheMalformed) {
  test::TempDir dir;
  sdk::testkit::ChildProcess sim({(test::bin_dir() / "sim-hotline12345").string(), "--port", "0", "--records", "800",
                                  "--seed", "11", "--fault-rate", "0.3", "--malformed-rate", "0.03", "--resend-rate",
                                  "0.3", "--update-ticks", "20", "--slow-min-ms", "0", "--slow-max-ms", "50"},
                                 {{}, dir.path() / "sim.log", {}});
  auto line = sim.wait_for_line("listening on ", 60s);
  const std::string sim_url = "http://" + line.substr(std::string("listening on ").size());

  // The plugin's own example config, pointed at this simulator, polled fast.
  std::string instance_config;
  {
    std::ifstream in(test::source_dir() / "plugins" / "hotline12345" / "config.example.yaml");
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("base_url:", 0) == 0) line = "base_url: " + sim_url;
      if (line.rfind("page_size:", 0) == 0) line = "page_size: 50";
      instance_config += "      " + line + "\n";
    }
  }
  const std::string demo =
      "database: {backend: sqlite, path: hub.db}\nplugin_dir: ${PLUGIN_DIR}\n"
      "plugins: [{name: hotline12345}]\ninstances:\n"
      "  - name: kelan_12345\n    plugin: hotline12345\n    poll_interval_ms: 50\n"
      "    max_backoff_ms: 200\n    config:\n" +
      instance_config;
  auto config = test::write_hub_config(dir.path(), demo);

  auto sim_stats = [&] {
    sdk::HttpRequest req;
    req.url = sim_url + "/__sim/stats";
    return json::parse(sdk::http_request(req).body).as_object();
  };
  HubProcess hub(config, dir.path() / "data");
  int64_t expected = 0;
  ASSERT_TRUE(test::eventually(
      [&] {
        auto s = sim_stats();
        expected = s.at("distinct_valid_work_orders").to_number<int64_t>();
        return s.at("updates_pending").to_number<int64_t>() == 0 && cases_total(hub) == expected;
      },
      600s, 250ms))
      << "hub has " << cases_total(hub) << " cases, simulator " << expected << "\n"
      << hub.log();
  const int64_t malformed = 800 - expected;
  EXPECT_EQ(sim_stats().at("distinct_work_orders").to_number<int64_t>(), 800);
  EXPECT_GT(malformed, 0);

  auto stats = hub.get_json("/api/v1/stats").as_object();
  EXPECT_EQ(stats.at("by_system").as_object().at("hotline12345").to_number<int64_t>(), expected);

  // Every valid record is a case once; the malformed ones wait as dead letters.
  auto dl = run_yizhan({"deadletter", "list", "--config", config.string(), "--data-dir", (dir.path() / "data").string(),
                        "--limit", "1000"});
  EXPECT_EQ(dl.exit_code, 0) << dl.err;
  EXPECT_NE(dl.out.find("\n" + std::to_string(malformed) + " open dead letter(s)"), std::string::npos) << dl.out;

  // Search for a two-character word, one case by id, metrics per instance, plugin health.
  auto found = hub.get_json("/api/v1/cases?q=" + sdk::url_encode("噪音") + "&limit=5").as_object();
  ASSERT_FALSE(found.at("items").as_array().empty());
  auto id = found.at("items").as_array()[0].at("id");
  auto one =
      hub.get_json("/api/v1/cases/" + (id.is_string() ? std::string(id.as_string()) : json::serialize(id))).as_object();
  EXPECT_FALSE(one.at("sources").as_array().empty());
  auto metrics = hub.get_text("/metrics");
  EXPECT_NE(metrics.find("yizhan_cases_ingested_total{instance=\"kelan_12345\",plugin=\"hotline12345\"} " +
                         std::to_string(expected)),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("yizhan_poll_duration_seconds_count{instance=\"kelan_12345\""), std::string::npos);
  auto health = hub.get_json("/healthz").as_object();
  // With a 30 % fault rate the instance may be between a fault and its retry: either
  // way it has succeeded and is not stopped.
  const auto& instance = health.at("plugins").at("kelan_12345").as_object();
  EXPECT_TRUE(instance.at("state") == "ok" || instance.at("state") == "backing_off") << json::serialize(health);
  EXPECT_TRUE(instance.at("last_success_at").is_string()) << json::serialize(health);
  // The same per instance for county IT, with what waits for an operator.
  auto plugins = hub.get_json("/api/v1/plugins").as_object();
  const auto& listed = plugins.at("instances").at("kelan_12345").as_object();
  EXPECT_EQ(listed.at("plugin"), "hotline12345");
  EXPECT_EQ(listed.at("open_dead_letters").to_number<int64_t>(), malformed) << json::serialize(plugins);
  // The simulator's transient faults were seen, counted and survived.
  EXPECT_GT(sim_stats().at("faults_injected").to_number<int64_t>(), 0);
  EXPECT_NE(metrics.find("yizhan_poll_errors_total{instance=\"kelan_12345\""), std::string::npos);

  EXPECT_EQ(hub.process().stop(), 0) << hub.log();
  // Personal data never reaches the log in clear.
  EXPECT_EQ(hub.log().find("身份证"), std::string::npos);
}

// docs/architecture.md §14: everything is validated before anything starts; the error names
// what and where, and the process exits non-zero without listening.
TEST(ServeRefuses, AnUnknownPluginConfigKeyNamingInstanceAndKey) {
  test::TempDir dir;
  std::string text =
      "plugin_dir: ${TEST_PLUGIN_DIR}\nplugins: [{name: fixture_source}]\ninstances:\n"
      "  - {name: typo, plugin: fixture_source, config: {records: 10, recrods: 5}}\n";
  auto config = test::write_hub_config(dir.path(), text);
  auto r = run_yizhan({"serve", "--config", config.string(), "--data-dir", (dir.path() / "d").string(), "--port", "0"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out.find("listening on"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("'typo'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("unknown key 'recrods' (did you mean 'records'?)"), std::string::npos) << r.err;
}

TEST(ServeRefuses, ALibraryThatIsNotAPluginNamingTheFile) {
  test::TempDir dir;
  auto config = test::write_hub_config(
      dir.path(), "plugin_dir: ${TEST_PLUGIN_DIR}\nplugins: [{name: not_a_plugin}]\ninstances: []\n");
  auto r = run_yizhan({"serve", "--config", config.string(), "--data-dir", (dir.path() / "d").string(), "--port", "0"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find((test::test_plugin_dir() / "yizhan_not_a_plugin.so").string()), std::string::npos) << r.err;
}

TEST(ServeRefuses, AnUnknownHubConfigKeyNamingItsPath) {
  test::TempDir dir;
  auto config = test::write_hub_config(dir.path(), "http: {port: 8080, thraeds: 4}\n");
  auto r = run_yizhan({"serve", "--config", config.string(), "--data-dir", (dir.path() / "d").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("http.thraeds: unknown key"), std::string::npos) << r.err;
}

TEST(ServeRefuses, ADatabaseInAFolderThatDoesNotExist) {
  test::TempDir dir;
  auto config = test::write_hub_config(
      dir.path(), "database: {backend: sqlite, path: /nonexistent-dir/sub/hub.db}\ninstances: []\n");
  auto r = run_yizhan({"serve", "--config", config.string(), "--data-dir", (dir.path() / "d").string(), "--port", "0"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/nonexistent-dir/sub"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace yizhan

namespace yizhan {
namespace {

// The push capability end to end (ABI 1.1): a department system POSTs to
// /hooks/<instance>; the hub stores what the plugin maps, then acknowledges.
class ServePush : public ::testing::Test {
 protected:
  void SetUp() override {
    auto config = test::write_hub_config(dir_.path(),
                                         "database: {backend: sqlite, path: hub.db}\n"
                                         "plugin_dir: ${TEST_PLUGIN_DIR}\n"
                                         "plugins: [{name: fixture_push}]\n"
                                         "instances:\n  - {name: inbox, plugin: fixture_push, config: {secret: s3}}\n");
    hub_ = std::make_unique<HubProcess>(config, dir_.path() / "data");
  }
  sdk::HttpResponse post(const std::string& target, const std::string& body, std::string signature = {}) {
    sdk::HttpRequest req;
    req.method = "POST";
    req.url = "http://127.0.0.1:" + std::to_string(hub_->port()) + target;
    req.body = body;
    req.headers["x-fixture-signature"] = signature.empty() ? "s3:" + std::to_string(body.size()) : signature;
    return sdk::http_request(req);
  }
  int64_t cases() { return cases_total(*hub_); }

  test::TempDir dir_;
  std::unique_ptr<HubProcess> hub_;
};

TEST_F(ServePush, StoresPushedRecordsThenAcknowledgesAndARetryDuplicatesNothing) {
  const std::string body =
      "{\"id\":\"M-1\",\"title\":\"拖欠农民工工资调解\"}\n{\"id\":\"M-2\",\"title\":\"土地纠纷调解\"}\nnot json\n";
  auto first = post("/hooks/inbox", body);
  EXPECT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.body, R"({"code":0,"accepted":2})");
  EXPECT_EQ(cases(), 2);
  // The sender did not see the answer and sends it all again.
  auto again = post("/hooks/inbox", body);
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(cases(), 2);
  // The bad line is kept, once.
  auto dl = run_yizhan({"deadletter", "list", "--config", (dir_.path() / "hub.yaml").string(), "--data-dir",
                        (dir_.path() / "data").string()});
  EXPECT_NE(dl.out.find("\n1 open dead letter(s)"), std::string::npos) << dl.out << dl.err;
  auto found = hub_->get_json("/api/v1/cases?q=" + sdk::url_encode("工资")).as_object();
  EXPECT_EQ(found.at("items").as_array().size(), 1u);
  auto health = hub_->get_json("/healthz").as_object();
  EXPECT_EQ(health.at("plugins").at("inbox").at("kind"), "push") << json::serialize(health);
  EXPECT_EQ(health.at("plugins").at("inbox").at("pushes"), 2);
  EXPECT_NE(hub_->get_text("/metrics")
                .find("yizhan_pushes_total{instance=\"inbox\",plugin=\"fixture_push\","
                      "outcome=\"stored\"} 2"),
            std::string::npos);
}

// Concurrent senders to one push instance: the plugin sees one request at a time, the
// records of requests that arrive meanwhile are committed together (group commit), and
// every sender is answered only once its records are stored.
TEST_F(ServePush, ConcurrentPushesAreAllStoredEachBeforeItsAnswer) {
  constexpr int kSenders = 6, kEach = 5;
  std::vector<std::string> failures;
  std::mutex failures_mu;
  std::vector<std::thread> senders;
  for (int t = 0; t < kSenders; ++t)
    senders.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::string id = "C-" + std::to_string(t) + "-" + std::to_string(i);
        const std::string title = "并发推送甲" + std::to_string(t) + "乙" + std::to_string(i) + "丙";
        auto answer = post("/hooks/inbox", "{\"id\":\"" + id + "\",\"title\":\"" + title + "\"}\n");
        std::string problem;
        if (answer.status != 200) {
          problem = id + ": status " + std::to_string(answer.status) + " " + answer.body;
        } else {
          // Acknowledged: the record must already be a case.
          auto found = hub_->get_json("/api/v1/cases?q=" + sdk::url_encode(title)).as_object();
          if (found.at("items").as_array().size() != 1) problem = id + ": answered 200 but not found";
        }
        if (!problem.empty()) {
          std::lock_guard lock(failures_mu);
          failures.push_back(problem);
        }
      }
    });
  for (auto& s : senders) s.join();
  EXPECT_TRUE(failures.empty()) << failures.front();
  EXPECT_EQ(cases(), kSenders * kEach);
  EXPECT_NE(hub_->get_text("/metrics")
                .find("yizhan_pushes_total{instance=\"inbox\",plugin=\"fixture_push\",outcome=\"stored\"} " +
                      std::to_string(kSenders * kEach)),
            std::string::npos);
}

TEST_F(ServePush, AForgedPushIsRefusedWithTheStatusThePluginNamesAndNothingIsStored) {
  auto forged = post("/hooks/inbox", "{\"id\":\"M-9\",\"title\":\"伪造\"}\n", "s3:999");
  EXPECT_EQ(forged.status, 401) << forged.body;
  EXPECT_NE(forged.body.find("signature does not verify"), std::string::npos) << forged.body;
  EXPECT_EQ(cases(), 0);
  EXPECT_NE(hub_->log().find("[plugin:inbox] push refused with 401"), std::string::npos);
}

TEST_F(ServePush, AnUnknownInstanceIs404AndGetIs405) {
  EXPECT_EQ(post("/hooks/nobody", "{}").status, 404);
  sdk::HttpRequest req;
  req.url = "http://127.0.0.1:" + std::to_string(hub_->port()) + "/hooks/inbox";
  EXPECT_EQ(sdk::http_request(req).status, 405);
}

}  // namespace
}  // namespace yizhan
