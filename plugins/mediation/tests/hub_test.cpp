// End to end with the real hub: `yizhan serve` mounts /hooks/<instance> for this plugin,
// sim-mediation pushes every batch to it, and the hub holds each distinct valid case once.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <yizhan/sdk/http_client.hpp>

#include "support.hpp"

namespace mediation_test {
namespace {
namespace json = boost::json;
using namespace std::chrono_literals;
using yizhan::sdk::testkit::ChildProcess;

// `yizhan serve` on port 0 with one instance of this plugin (the example config).
class Hub {
 public:
  explicit Hub(const TempDir& dir) : dir_(dir) {
    std::ifstream in(example_config_path());
    std::string instance_config;
    for (std::string line; std::getline(in, line);) instance_config += "      " + line + "\n";
    std::ofstream(dir.path() / "hub.yaml") << "database: {backend: sqlite, path: hub.db}\nauth: {required: false}\n"
                                           << "plugin_dir: " << plugin_dir().string() << "\n"
                                           << "plugins: [{name: mediation}]\n"
                                           << "instances:\n"
                                           << "  - name: kelan_mediation\n"
                                           << "    plugin: mediation\n"
                                           << "    config:\n"
                                           << instance_config;
    process_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{hub_path().string(), "serve", "--config", (dir.path() / "hub.yaml").string(),
                                 "--data-dir", (dir.path() / "data").string(), "--port", "0"},
        ChildProcess::Options{{}, dir.path() / "hub.log", {}});
    auto line = process_->wait_for_line("listening on ", 120s);
    url_ = "http://" + line.substr(std::string("listening on ").size());
  }
  const std::string& url() const { return url_; }
  json::object get(const std::string& target) const {
    yizhan::sdk::HttpRequest req;
    req.url = url_ + target;
    auto r = yizhan::sdk::http_request(req);
    if (r.status != 200) throw std::runtime_error(target + ": HTTP " + std::to_string(r.status) + " " + r.body);
    return json::parse(r.body).as_object();
  }
  std::int64_t by_system() const {
    auto s = get("/api/v1/stats");
    auto& systems = s.at("by_system").as_object();
    auto it = systems.find("mediation");
    return it == systems.end() ? 0 : it->value().to_number<std::int64_t>();
  }
  std::int64_t cases_total() const { return get("/api/v1/stats").at("cases_total").to_number<std::int64_t>(); }
  std::string log() const {
    std::ifstream in(dir_.path() / "hub.log");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  ChildProcess& process() { return *process_; }

 private:
  const TempDir& dir_;
  std::unique_ptr<ChildProcess> process_;
  std::string url_;
};

TEST(MediationHub, EveryDistinctValidCaseIsOneCaseDespiteRetriesResendsAndExpiredSignatures) {
  TempDir dir;
  Hub hub(dir);
  SimRun sim(
      hub.url(),
      {.records = 120, .seed = 31, .batch_size = 8, .fault_rate = 0.1, .resend_rate = 0.3, .malformed_rate = 0.05});
  sim.wait_done();
  const auto expected = sim.stat("distinct_valid_cases");
  EXPECT_GT(sim.stat("malformed_cases"), 0);
  EXPECT_GT(sim.stat("resends_after_ack"), 0);
  EXPECT_GT(sim.stat("faults_injected"), 0);
  EXPECT_EQ(sim.stat("refused_401"), sim.stat("faults_injected")) << "the hub refused exactly the expired ones";
  EXPECT_EQ(hub.by_system(), expected) << hub.log();
  EXPECT_EQ(hub.cases_total(), expected);
  auto health = hub.get("/healthz");
  EXPECT_EQ(health.at("plugins").at("kelan_mediation").at("kind"), "push") << json::serialize(health);

  // An acknowledgement is lost on the way back: the system sends the very same request
  // again. The hub stores nothing twice and acknowledges again, as the system expects.
  auto call = signed_call(batch_of({good_case(900001, 2)}, "MB-X-000001"));
  yizhan::sdk::HttpRequest req;
  req.method = "POST";
  req.url = hub.url() + "/hooks/kelan_mediation";
  req.body = call.body;
  for (const auto& [n, v] : call.headers) req.headers[n] = v;
  for (int i = 0; i < 2; ++i) {
    auto r = yizhan::sdk::http_request(req);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body), json::parse(R"({"code":0,"msg":"received","batchId":"MB-X-000001"})"));
  }
  EXPECT_EQ(hub.cases_total(), expected + 1);
  // A forged request is refused with the plugin's 401 and stores nothing.
  req.headers["x-mediation-signature"] = std::string(64, '0');
  EXPECT_EQ(yizhan::sdk::http_request(req).status, 401);
  // The whole history pushed again (the system re-sends everything): same cases, same versions.
  SimRun replay(hub.url(), {.records = 120, .seed = 31, .batch_size = 8, .malformed_rate = 0.05});
  replay.wait_done();
  EXPECT_EQ(hub.by_system(), expected + 1);
  EXPECT_EQ(hub.cases_total(), expected + 1);
  EXPECT_EQ(hub.process().stop(), 0) << hub.log();
  EXPECT_EQ(hub.log().find("13812341234"), std::string::npos);
}

}  // namespace
}  // namespace mediation_test
