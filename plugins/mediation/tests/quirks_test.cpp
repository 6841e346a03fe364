// The real sim-mediation process, pushing to a test receiver that hands every request to
// the real plugin: one test per quirk of the legacy system, plus its counts and determinism.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <set>

#include "support.hpp"
#include "test_receiver.hpp"

namespace mediation_test {
namespace {
namespace json = boost::json;
using namespace std::chrono_literals;

// The batch ids in the order they were first acknowledged (2xx).
std::vector<std::string> acknowledged(const std::vector<Seen>& seen) {
  std::vector<std::string> out;
  std::set<std::string> done;
  for (const auto& s : seen)
    if (s.status >= 200 && s.status < 300 && done.insert(s.batch_id).second) out.push_back(s.batch_id);
  return out;
}

TEST(SimMediation, OnceDeliversEveryCaseAndItsCountsMatchWhatWasStored) {
  TestReceiver receiver(plugin_config());
  SimRun sim(receiver.url(), {.records = 80, .seed = 11, .batch_size = 7});
  sim.wait_done();
  EXPECT_EQ(sim.process().stop(), 0);
  auto versions = receiver.versions();
  EXPECT_EQ(static_cast<std::int64_t>(versions.size()), sim.stat("distinct_valid_cases"));
  EXPECT_EQ(sim.stat("distinct_cases"), 80);
  EXPECT_EQ(sim.stat("batches_acknowledged"), sim.stat("batches_total"));
  EXPECT_TRUE(sim.stats().at("done").as_bool());
  EXPECT_TRUE(receiver.dead_letters().empty());
  // Cases move through their stages: some were stored more than once, some reached 结案.
  int updated = 0, closed = 0;
  for (const auto& r : receiver.stored()) {
    if (r.mapped->version > "0000000001") ++updated;
    if (r.mapped->status == "closed") ++closed;
  }
  EXPECT_GT(updated, 0);
  EXPECT_GT(closed, 0);
}

TEST(SimMediation, LaterBatchesCarryNewerVersionsOfACase) {
  TestReceiver receiver(plugin_config());
  SimRun sim(receiver.url(), {.records = 60, .seed = 12, .batch_size = 5});
  sim.wait_done();
  int multi = 0;
  for (const auto& [id, history] : receiver.version_history()) {
    EXPECT_TRUE(std::is_sorted(history.begin(), history.end())) << id;
    if (history.size() > 1) ++multi;
  }
  EXPECT_GT(multi, 0);
}

// A hub that is down answers 503: the sender backs off and retries the same batch, and
// sends nothing after it until it is acknowledged.
TEST(SimMediation, RetriesA503WithBackoffAndKeepsBatchesInOrder) {
  TestReceiver receiver(plugin_config(), {.unavailable_first = 6});
  SimRun sim(receiver.url(), {.records = 30, .seed = 13, .batch_size = 6});
  sim.wait_done();
  auto seen = receiver.seen();
  ASSERT_GE(seen.size(), 7u);
  for (int i = 0; i < 7; ++i) EXPECT_EQ(seen[i].batch_id, "MB-13-000001") << i;  // six refusals, then the ack
  EXPECT_EQ(seen[6].status, 200);
  EXPECT_GE(sim.stat("retries"), 6);
  // Never a batch before its predecessor was acknowledged.
  auto acks = acknowledged(seen);
  EXPECT_TRUE(std::is_sorted(acks.begin(), acks.end()));
  auto number = [](const std::string& id) { return std::stoi(id.substr(id.rfind('-') + 1)); };
  int highest_acked = 0;
  for (const auto& s : seen) {
    EXPECT_LE(number(s.batch_id), highest_acked + 1) << s.batch_id << " sent before its predecessor was acknowledged";
    if (s.status == 200) highest_acked = std::max(highest_acked, number(s.batch_id));
  }
  EXPECT_EQ(static_cast<std::int64_t>(acks.size()), sim.stat("batches_total"));
}

// The acknowledgement is lost after the records were stored: the sender sends the same
// batch again, and what is stored is the same cases at the same versions.
TEST(SimMediation, ARetryAfterALostAcknowledgementStoresTheSameCasesAndVersions) {
  TestReceiver receiver(plugin_config(), {.drop_ack_first = 2});
  SimRun sim(receiver.url(), {.records = 20, .seed = 14, .batch_size = 5});
  sim.wait_done();
  auto seen = receiver.seen();
  ASSERT_GE(seen.size(), 3u);
  EXPECT_EQ(seen[0].batch_id, seen[2].batch_id);
  EXPECT_NE(seen[0].nonce, seen[1].nonce) << "a retry is signed afresh";
  auto stored = receiver.stored();
  std::set<std::pair<std::string, std::string>> first, third;
  // The first batch was stored three times: identical each time.
  std::map<std::string, int> count;
  for (const auto& r : stored) ++count[r.external_id + "@" + r.mapped->version];
  int tripled = 0;
  for (const auto& [k, n] : count) tripled += n == 3;
  EXPECT_GT(tripled, 0);
  EXPECT_EQ(static_cast<std::int64_t>(receiver.versions().size()), sim.stat("distinct_valid_cases"));
}

// With --fault-rate some attempts carry an hour-old timestamp: the plugin refuses them
// (401, naming the window), the sender re-signs and sends again.
TEST(SimMediation, AnExpiredSignatureIsRefusedThenReSignedAndSentAgain) {
  TestReceiver receiver(plugin_config());
  SimRun sim(receiver.url(), {.records = 60, .seed = 15, .batch_size = 4, .fault_rate = 0.3});
  sim.wait_done();
  const auto faults = sim.stat("faults_injected");
  EXPECT_GT(faults, 0);
  int refused = 0;
  for (const auto& s : receiver.seen())
    if (s.status == 401) {
      ++refused;
      EXPECT_NE(s.reason.find("timestamp outside the window"), std::string::npos) << s.reason;
    }
  EXPECT_EQ(refused, faults);
  EXPECT_EQ(sim.stat("batches_acknowledged"), sim.stat("batches_total"));
  EXPECT_EQ(static_cast<std::int64_t>(receiver.versions().size()), sim.stat("distinct_valid_cases"));
}

// At-least-once: a batch already acknowledged comes again, the very same request; the
// plugin accepts the replayed nonce and nothing new is stored.
TEST(SimMediation, ReSendsAfterAnAcknowledgementAreTheSameRequestAndHarmless) {
  TestReceiver receiver(plugin_config());
  SimRun sim(receiver.url(), {.records = 40, .seed = 16, .batch_size = 4, .resend_rate = 0.5});
  sim.wait_done();
  EXPECT_GT(sim.stat("resends_after_ack"), 0);
  std::map<std::string, int> by_nonce;
  for (const auto& s : receiver.seen()) {
    EXPECT_EQ(s.status, 200);
    ++by_nonce[s.nonce];
  }
  int replays = 0;
  for (const auto& [n, c] : by_nonce) replays += c - 1;
  EXPECT_EQ(replays, sim.stat("resends_after_ack"));
  EXPECT_EQ(static_cast<std::int64_t>(receiver.versions().size()), sim.stat("distinct_valid_cases"));
}

TEST(SimMediation, MalformedCasesBecomeDeadLettersAndTheRestIsStored) {
  TestReceiver receiver(plugin_config());
  SimRun sim(receiver.url(), {.records = 150, .seed = 17, .batch_size = 10, .malformed_rate = 0.15});
  sim.wait_done();
  EXPECT_GT(sim.stat("malformed_cases"), 0);
  EXPECT_EQ(sim.stat("distinct_valid_cases") + sim.stat("malformed_cases"), 150);
  EXPECT_EQ(static_cast<std::int64_t>(receiver.versions().size()), sim.stat("distinct_valid_cases"));
  auto dead = receiver.dead_letters();
  EXPECT_EQ(static_cast<std::int64_t>(dead.size()), sim.stat("malformed_records_sent"));
  std::set<std::string> kinds;
  for (const auto& d : dead) {
    EXPECT_FALSE(d.raw.empty());
    if (d.error.find("caseNo") != std::string::npos) kinds.insert("caseNo");
    if (d.error.find("acceptDate") != std::string::npos) kinds.insert("date");
    if (d.error.find("outcome") != std::string::npos) kinds.insert("outcome");
  }
  EXPECT_EQ(kinds.size(), 3u) << "every kind of malformed case occurs at this rate";
}

TEST(SimMediation, TheSameSeedSendsTheSameBatches) {
  auto run = [](std::uint64_t seed) {
    TestReceiver receiver(plugin_config());
    SimRun sim(receiver.url(), {.records = 30, .seed = seed, .batch_size = 6, .malformed_rate = 0.1});
    sim.wait_done();
    std::vector<std::string> out;
    for (const auto& r : receiver.stored()) out.push_back(r.raw);
    for (const auto& r : receiver.dead_letters()) out.push_back(r.raw);
    return out;
  };
  auto a = run(21), b = run(21), c = run(22);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(SimMediation, SharedMattersAreCasesOfItsOwnAndTheTruthNamesThem) {
  TempDir dir;
  const auto matters = dir.path() / "mediation.jsonl";
  std::ofstream(matters)
      << R"({"key":"M-0007","title":"拖欠工资纠纷","description":"村民反映在工地务工被拖欠工资三个月。多次讨要未果。","category":"矛盾纠纷/劳资","division_code":"140929100201","address":"岢岚县岚漪镇西街村","reporter":{"name":"王秀英","phone":"13812341234","id_number":"140929196704282043"},"at":"2026-03-01T09:12:33+08:00"})"
      << "\n"
      << R"({"key":"M-0009","title":"承包地界纠纷","category":"矛盾纠纷/土地","division_code":"140929101","at":"2026-03-05T15:00:00+08:00"})"
      << "\n";
  TestReceiver receiver(plugin_config());
  const auto truth_file = dir.path() / "truth.json";
  SimRun sim(receiver.url(),
             {.records = 10,
              .seed = 23,
              .extra_args = {"--shared-matters", matters.string(), "--truth-out", truth_file.string()}});
  sim.wait_done();
  EXPECT_EQ(sim.stat("distinct_valid_cases"), 12);
  std::ifstream in(truth_file);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto truth = json::parse(text).as_object();
  ASSERT_EQ(truth.size(), 2u);
  std::map<std::string, std::string> by_key;
  for (const auto& kv : truth) by_key[std::string(kv.value().as_string())] = kv.key();
  bool found = false;
  for (const auto& r : receiver.stored()) {
    EXPECT_EQ(r.raw.find("M-0007"), std::string::npos) << "nothing served names the key";
    if (r.external_id != by_key["M-0007"]) continue;
    found = true;
    EXPECT_EQ(r.mapped->category, "矛盾纠纷/劳资");
    EXPECT_EQ(r.mapped->reporter.phone, "13812341234");
    EXPECT_EQ(r.mapped->place.division_code, "140929100201");
    EXPECT_NE(r.mapped->description.find("被拖欠工资三个月"), std::string::npos);
    EXPECT_EQ(r.mapped->description.find("多次讨要未果"), std::string::npos) << "reworded: a clause dropped";
    EXPECT_GE(r.mapped->received_at, std::string("2026-03-01"));
  }
  EXPECT_TRUE(found);
}

TEST(SimMediation, SigtermStopsItWithExitZeroEvenWhileRetrying) {
  TestReceiver receiver(plugin_config(), {.unavailable_first = 1000000});
  SimRun sim(receiver.url(), {.records = 10, .seed = 24, .once = false});
  ASSERT_TRUE(eventually([&] { return receiver.seen().size() >= 3; }, 60s));
  EXPECT_EQ(sim.process().stop(), 0);
  EXPECT_EQ(sim.process().exit_code(), 0);
}

TEST(SimMediation, RefusesBadOptionsWithExitTwo) {
  yizhan::sdk::testkit::ChildProcess p(
      {sim_path().string(), "--hub-url", "ftp://x", "--instance", "a", "--secret", "s"});
  EXPECT_TRUE(eventually([&] { return !p.running(); }, 30s));
  EXPECT_EQ(p.exit_code(), 2);
}

}  // namespace
}  // namespace mediation_test
