// The ingest path end to end on both stores, with real plugins loaded from shared
// libraries: effectively-once upsert, dead letters, failing plugins, bad config.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "crypto/crypto.hpp"
#include "ingest/source_runner.hpp"
#include "ledger/ledger_verifier.hpp"
#include "ops/metrics.hpp"
#include "plugin/plugin_registry.hpp"
#include "store/case_writer.hpp"
#include "store/dead_letter_store.hpp"
#include "store/source_cursors.hpp"
#include "support/store_backends.hpp"

namespace yizhan {
namespace {

using test::test_plugin_dir;

crypto::PiiProtector test_key() { return crypto::PiiProtector::from_hex(std::string(64, 'a')); }

int64_t count(soci::session& sql, const std::string& query) {
  long long n = 0;
  sql << query, soci::into(n);
  return n;
}

class Ingest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    backend_ = test::make_backend(GetParam());
    sql_ = backend_.db->connect();
    registry_.load_all({{"fixture_source", test_plugin_dir() / "yizhan_fixture_source.so"},
                        {"throwing_source", test_plugin_dir() / "yizhan_throwing_source.so"},
                        {"hanging_source", test_plugin_dir() / "yizhan_hanging_source.so"}});
  }

  std::unique_ptr<ingest::SourceRunner> runner(const std::string& name, const std::string& plugin,
                                               const std::string& config_json, int timeout_ms = 30000) {
    plugin::InstanceConfig ic;
    ic.name = name;
    ic.plugin = plugin;
    ic.config_json = config_json;
    ic.timeout_ms = timeout_ms;
    auto plans = registry_.plan({ic});
    return std::make_unique<ingest::SourceRunner>(plans.at(0), *backend_.db, pii_, metrics_, ingest::IngestLimits{});
  }

  void drain(ingest::SourceRunner& r) {
    for (int i = 0; i < 1000 && r.run_once(); ++i) {
    }
  }

  test::Backend backend_;
  std::unique_ptr<soci::session> sql_;
  plugin::PluginRegistry registry_;
  crypto::PiiProtector pii_ = test_key();
  ops::Metrics metrics_;
};

TEST_P(Ingest, StoresEveryRecordOnceAndRepollingChangesNothing) {
  auto r = runner("fixture_a", "fixture_source", R"({"records":"1200","batch":"500"})");
  drain(*r);
  EXPECT_EQ(count(*sql_, "SELECT COUNT(*) FROM cases"), 1200);
  EXPECT_EQ(count(*sql_, "SELECT COUNT(*) FROM case_sources"), 1200);
  auto events_before = count(*sql_, "SELECT COUNT(*) FROM events");

  // Forget the cursor: every page comes again; the upsert makes that harmless.
  store::reset_cursor(*sql_, backend_.db->dialect(), "fixture_a", "test");
  drain(*r);
  EXPECT_EQ(count(*sql_, "SELECT COUNT(*) FROM cases"), 1200);
  EXPECT_EQ(count(*sql_, "SELECT COUNT(*) FROM events"), events_before + 1);  // just the reset
  EXPECT_TRUE(ledger::verify_ledger(*sql_).ok);
}

TEST_P(Ingest, ANewVersionUpdatesTheCaseAndRecordsTheChange) {
  auto r1 = runner("fixture_v", "fixture_source", R"({"records":"10","version":"2026-03-01T01:00:00Z"})");
  drain(*r1);
  store::reset_cursor(*sql_, backend_.db->dialect(), "fixture_v", "test");
  // Same ids, newer version: status moves forward along the loop.
  auto r2 = runner("fixture_v", "fixture_source", R"({"records":"10","version":"2026-03-02T01:00:00Z"})");
  drain(*r2);
  EXPECT_EQ(count(*sql_, "SELECT COUNT(*) FROM cases"), 10);
  EXPECT_EQ(count(*sql_, "SELECT COUNT(*) FROM case_sources WHERE version = '2026-03-02T01:00:00Z'"), 10);
}

TEST_P(Ingest, MalformedRecordsAreDeadLetteredWithReasonAndRawAndGoodOnesStored) {
  auto r = runner("fixture_bad", "fixture_source", R"({"records":"1000","bad_every":"10"})");
  drain(*r);
  EXPECT_EQ(count(*sql_, "SELECT COUNT(*) FROM cases"), 900);
  store::DeadLetterStore dls(*sql_, backend_.db->dialect());
  auto dead = dls.list("fixture_bad", "open", 1000);
  ASSERT_EQ(dead.size(), 100u);
  int plugin_rejected = 0, too_long = 0;
  for (const auto& d : dead) {
    EXPECT_FALSE(d.raw.empty());
    if (d.reason.find("rejected by plugin: field 'slsj' is not a date") != std::string::npos) ++plugin_rejected;
    if (d.reason.find("field title is 5000 bytes, limit 1000") != std::string::npos) ++too_long;
  }
  EXPECT_EQ(plugin_rejected, 50);
  EXPECT_EQ(too_long, 50);
  EXPECT_TRUE(ledger::verify_ledger(*sql_).ok);
}

TEST_P(Ingest, ABadRecordSentAgainIsNotDeadLetteredTwiceAndItsFixedVersionSettlesIt) {
  auto r = runner("fixture_again", "fixture_source", R"({"records":"100","bad_every":"10"})");
  drain(*r);
  store::DeadLetterStore dls(*sql_, backend_.db->dialect());
  ASSERT_EQ(dls.count_open("fixture_again"), 10);
  // The same page again (a re-sent page, a reset cursor): nothing new to keep.
  store::reset_cursor(*sql_, backend_.db->dialect(), "fixture_again", "test");
  drain(*r);
  EXPECT_EQ(dls.count_open("fixture_again"), 10);
  EXPECT_EQ(count(*sql_, "SELECT COUNT(*) FROM dead_letters"), 10);
  EXPECT_EQ(count(*sql_, "SELECT COUNT(*) FROM events WHERE type = 'dead_lettered'"), 10);
  // Upstream fixes its records: they become cases, and their dead letters are settled.
  store::reset_cursor(*sql_, backend_.db->dialect(), "fixture_again", "test");
  auto fixed = runner("fixture_again", "fixture_source", R"({"records":"100"})");
  drain(*fixed);
  EXPECT_EQ(count(*sql_, "SELECT COUNT(*) FROM cases"), 100);
  EXPECT_EQ(dls.count_open("fixture_again"), 0);
  EXPECT_EQ(count(*sql_, "SELECT COUNT(*) FROM dead_letters WHERE status = 'superseded'"), 10);
  EXPECT_EQ(count(*sql_, "SELECT COUNT(*) FROM events WHERE type = 'dead_letter_superseded'"), 10);
  EXPECT_TRUE(ledger::verify_ledger(*sql_).ok);
}

TEST_P(Ingest, APluginThatThrowsIsReportedByNameAndOthersKeepWorking) {
  auto bad = runner("broken_one", "throwing_source", R"({"message":"parser exploded"})");
  auto good = runner("fixture_ok", "fixture_source", R"({"records":"50"})");
  try {
    bad->run_once();
    FAIL() << "a throwing plugin must surface as a PollFailure";
  } catch (const ingest::PollFailure& e) {
    EXPECT_NE(std::string(e.what()).find("[broken_one]"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("parser exploded"), std::string::npos) << e.what();
    EXPECT_FALSE(e.cursor_invalid);
  }
  drain(*good);
  EXPECT_EQ(count(*sql_, "SELECT COUNT(*) FROM cases"), 50);
}

TEST_P(Ingest, APollPastItsTimeoutIsAbandonedCountedAndTheInstanceRecoversWhenThePluginReturns) {
  // The upstream answers when the test says so (release_file), not after a fixed time,
  // so a slow machine cannot let the stuck poll return before the checks below.
  const auto release = std::filesystem::temp_directory_path() /
                       ("yizhan-release-" + std::to_string(::getpid()) + "-" + std::string(GetParam()));
  std::filesystem::remove(release);
  auto hung = runner("stuck_one", "hanging_source",
                     R"({"hang_ms":"120000","records":"3","release_file":")" + release.string() + R"("})", 200);
  auto good = runner("fixture_ok", "fixture_source", R"({"records":"40"})");
  try {
    hung->run_once();
    FAIL() << "a poll past its timeout must fail";
  } catch (const ingest::PollFailure& e) {
    EXPECT_NE(std::string(e.what()).find("[stuck_one] poll did not return within timeout_ms 200"), std::string::npos)
        << e.what();
    EXPECT_FALSE(e.cursor_invalid);
  }
  EXPECT_EQ(metrics_.value("yizhan_poll_timeouts_total", {{"instance", "stuck_one"}, {"plugin", "hanging_source"}}), 1);
  // Other instances are not held up by the stuck one.
  drain(*good);
  EXPECT_EQ(count(*sql_, "SELECT COUNT(*) FROM cases"), 40);
  // Until the plugin returns, the instance is not called again.
  try {
    hung->run_once();
    ADD_FAILURE() << "no second call may start while the first has not returned";
  } catch (const ingest::PollFailure& e) {
    EXPECT_NE(std::string(e.what()).find("has still not returned"), std::string::npos) << e.what();
  }
  std::ofstream(release) << "answer\n";
  // Once it returns, the next poll gets its records; the abandoned batch was never stored.
  bool recovered = false;
  for (auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
       !recovered && std::chrono::steady_clock::now() < deadline;) {
    try {
      hung->run_once();
      recovered = true;
    } catch (const ingest::PollFailure&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  std::filesystem::remove(release);
  ASSERT_TRUE(recovered);
  EXPECT_EQ(count(*sql_, "SELECT COUNT(*) FROM case_sources WHERE instance = 'stuck_one'"), 3);
  EXPECT_TRUE(ledger::verify_ledger(*sql_).ok);
}

TEST_P(Ingest, AnUnreadableCursorStopsTheInstanceInsteadOfRestartingFromZero) {
  auto r = runner("fixture_c", "fixture_source", R"({"records":"20","batch":"5"})");
  r->run_once();
  *sql_ << "UPDATE source_cursors SET cursor = 'not-a-number' WHERE instance = 'fixture_c'";
  try {
    r->run_once();
    FAIL() << "an unreadable cursor must fail";
  } catch (const ingest::PollFailure& e) {
    EXPECT_TRUE(e.cursor_invalid);
  }
  EXPECT_EQ(count(*sql_, "SELECT COUNT(*) FROM cases"), 5);
}

TEST_P(Ingest, TamperingWithOneStoredEventIsNamedByVerify) {
  auto r = runner("fixture_t", "fixture_source", R"({"records":"30"})");
  drain(*r);
  ASSERT_TRUE(ledger::verify_ledger(*sql_).ok);
  *sql_ << "UPDATE events SET data = '{\"category\":\"公共服务\"}' WHERE seq = 17";
  auto rep = ledger::verify_ledger(*sql_);
  EXPECT_FALSE(rep.ok);
  ASSERT_TRUE(rep.first_bad_seq.has_value());
  EXPECT_EQ(*rep.first_bad_seq, 17);
  EXPECT_NE(rep.problem.find("event 17"), std::string::npos) << rep.problem;
}

INSTANTIATE_TEST_SUITE_P(Backends, Ingest, ::testing::Values("sqlite", "postgresql"));

TEST(PluginLoading, ALibraryThatIsNotAPluginIsRefusedNamingTheFile) {
  plugin::PluginRegistry reg;
  auto file = test_plugin_dir() / "yizhan_not_a_plugin.so";
  try {
    reg.load_all({{"not_a_plugin", file}});
    FAIL();
  } catch (const core::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("not a Yizhan plugin"), std::string::npos) << e.what();
  }
}

TEST(PluginLoading, APluginForAnotherAbiIsRefusedNamingTheFileAndVersions) {
  plugin::PluginRegistry reg;
  auto file = test_plugin_dir() / "yizhan_wrong_abi.so";
  try {
    reg.load_all({{"wrong_abi", file}});
    FAIL();
  } catch (const core::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("built for SDK ABI 2.0"), std::string::npos) << e.what();
  }
}

TEST(PluginLoading, AMissingFileIsRefusedNamingIt) {
  plugin::PluginRegistry reg;
  try {
    reg.load_all({{"ghost", "/nonexistent/yizhan_ghost.so"}});
    FAIL();
  } catch (const core::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/yizhan_ghost.so: no such file"), std::string::npos) << e.what();
  }
}

TEST(PluginConfig, UnknownKeysAreRefusedWithInstanceKeyAndNearestKnownKey) {
  plugin::PluginRegistry reg;
  reg.load_all({{"fixture_source", test_plugin_dir() / "yizhan_fixture_source.so"}});
  plugin::InstanceConfig ic;
  ic.name = "typo";
  ic.plugin = "fixture_source";
  ic.config_json = R"({"records":"10","recrods":"5"})";
  try {
    reg.plan({ic});
    FAIL();
  } catch (const core::ConfigError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("'typo'"), std::string::npos) << m;
    EXPECT_NE(m.find("unknown key 'recrods' (did you mean 'records'?)"), std::string::npos) << m;
  }
}

TEST(Store, ABrokenSqlitePathIsAClearErrorNamingTheFolder) {
  db::Database db("sqlite3", "db=/nonexistent-dir/sub/yizhan.db");
  try {
    db.connect();
    FAIL();
  } catch (const db::StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("folder /nonexistent-dir/sub does not exist"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace yizhan
