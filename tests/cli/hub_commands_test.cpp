// The operator's commands on a real store and real plugins: `db migrate`,
// `audit verify` (naming a tampered event), `deadletter list|replay`, `plugins check`.
#include <gtest/gtest.h>
#include <yizhan/sdk/abi.h>

#include <fstream>
#include <sstream>

#include "cli/command.hpp"
#include "cli/hub_config.hpp"
#include "crypto/crypto.hpp"
#include "ingest/source_runner.hpp"
#include "ops/metrics.hpp"
#include "plugin/plugin_registry.hpp"
#include "support/hub_process.hpp"

namespace yizhan {
namespace {

struct Run {
  int code;
  std::string out, err;
};

Run yizhan_cli(std::vector<std::string> args) {
  std::vector<char*> argv;
  std::string prog = "yizhan";
  argv.push_back(prog.data());
  for (auto& a : args) argv.push_back(a.data());
  std::ostringstream out, err;
  int code = cli::run(static_cast<int>(argv.size()), argv.data(), {out, err});
  return {code, out.str(), err.str()};
}

int64_t count(soci::session& sql, const std::string& query) {
  long long n = 0;
  sql << query, soci::into(n);
  return n;
}

// A SQLite hub in a temp dir, migrated by `yizhan db migrate`, with `records` fixture
// records ingested (every `bad_every`-th one malformed) by the real poll loop.
class HubCommands : public ::testing::Test {
 protected:
  void make_hub(int records, int bad_every) {
    config_ = test::write_hub_config(dir_.path(),
                                     "database: {backend: sqlite, path: hub.db}\nplugin_dir: ${TEST_PLUGIN_DIR}\n"
                                     "plugins: [{name: fixture_source}]\n"
                                     "instances:\n  - name: fx\n    plugin: fixture_source\n    config: {records: " +
                                         std::to_string(records) + ", bad_every: " + std::to_string(bad_every) + "}\n");
    auto m = yizhan_cli({"db", "migrate", "--config", config_.string(), "--data-dir", data().string()});
    ASSERT_EQ(m.code, 0) << m.err;
    ASSERT_NE(m.out.find("schema version 0 -> "), std::string::npos) << m.out;

    auto cfg = cli::load_hub_config(config_, data());
    std::ifstream key(data() / "pii.key");
    std::string hex;
    key >> hex;
    auto pii = crypto::PiiProtector::from_hex(hex);
    plugin::PluginRegistry registry;
    registry.load_all(cfg.plugins);
    db::Database db(cfg.database.soci_backend(), cfg.soci_connection());
    ops::Metrics metrics;
    ingest::SourceRunner runner(registry.plan(cfg.instances).at(0), db, pii, metrics, cfg.limits);
    for (int i = 0; i < 100 && runner.run_once(); ++i) {
    }
    sql_ = db.connect();
  }
  std::filesystem::path data() const { return dir_.path() / "data"; }
  std::vector<std::string> hub_args(std::vector<std::string> a) const {
    a.insert(a.end(), {"--config", config_.string(), "--data-dir", data().string()});
    return a;
  }

  test::TempDir dir_;
  std::filesystem::path config_;
  std::unique_ptr<soci::session> sql_;
};

TEST_F(HubCommands, AuditVerifyPassesThenNamesTheEventChangedBySql) {
  make_hub(40, 0);
  auto ok = yizhan_cli(hub_args({"audit", "verify"}));
  EXPECT_EQ(ok.code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("OK: 40 events verify"), std::string::npos) << ok.out;

  // An insider edits one stored event directly in the database.
  *sql_ << "UPDATE events SET actor = 'someone-else' WHERE seq = 23";
  auto bad = yizhan_cli(hub_args({"audit", "verify"}));
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.out.find("first bad event: 23"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("event 23"), std::string::npos) << bad.out;
}

TEST_F(HubCommands, AuditVerifyNamesADeletedEvent) {
  make_hub(10, 0);
  *sql_ << "DELETE FROM events WHERE seq = 4";
  auto bad = yizhan_cli(hub_args({"audit", "verify"}));
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.out.find("first bad event: "), std::string::npos) << bad.out;
}

TEST_F(HubCommands, DeadLettersAreListedAndReplayedOnceTheCauseIsFixed) {
  make_hub(20, 10);  // records 9 (rejected by the plugin) and 19 (title too long)
  auto list = yizhan_cli(hub_args({"deadletter", "list"}));
  ASSERT_EQ(list.code, 0) << list.err;
  EXPECT_NE(list.out.find("2 open dead letter(s)"), std::string::npos) << list.out;
  long long too_long = 0, rejected = 0;
  *sql_ << "SELECT id FROM dead_letters WHERE external_id = 'F-19'", soci::into(too_long);
  *sql_ << "SELECT id FROM dead_letters WHERE external_id = 'F-9'", soci::into(rejected);
  ASSERT_GT(too_long, 0);
  ASSERT_GT(rejected, 0);

  // Still too long under the same limits: counted, kept open, nothing stored.
  auto again = yizhan_cli(hub_args({"deadletter", "replay", std::to_string(too_long)}));
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(again.out.find("still invalid: field title is 5000 bytes, limit 1000"), std::string::npos) << again.out;
  EXPECT_EQ(count(*sql_, "SELECT attempts FROM dead_letters WHERE external_id = 'F-19'"), 1);

  // The plugin could not map this one: a replay needs a corrected record.
  auto unmapped = yizhan_cli(hub_args({"deadletter", "replay", std::to_string(rejected)}));
  EXPECT_EQ(unmapped.code, 1);
  EXPECT_NE(unmapped.err.find("--case-json"), std::string::npos) << unmapped.err;
  auto fixed = dir_.path() / "fixed.json";
  std::ofstream(fixed) << R"({"external_id":"F-9","title":"土地承包纠纷 9","received_at":"2026-03-01T09:00:00+08:00"})";
  auto corrected =
      yizhan_cli(hub_args({"deadletter", "replay", std::to_string(rejected), "--case-json", fixed.string()}));
  EXPECT_EQ(corrected.code, 0) << corrected.out << corrected.err;
  EXPECT_EQ(count(*sql_, "SELECT COUNT(*) FROM case_sources WHERE external_id = 'F-9'"), 1);

  // County IT raises the limit; the long title now goes in.
  std::ifstream in(config_);
  std::stringstream text;
  text << "limits: {title_max_bytes: 6000}\n" << in.rdbuf();
  in.close();
  std::ofstream(config_) << text.str();
  auto replay = yizhan_cli(hub_args({"deadletter", "replay", "--all"}));
  EXPECT_EQ(replay.code, 0) << replay.out << replay.err;
  EXPECT_NE(replay.out.find("1 replayed, 0 failed"), std::string::npos) << replay.out;
  EXPECT_EQ(count(*sql_, "SELECT COUNT(*) FROM case_sources WHERE external_id = 'F-19'"), 1);
  EXPECT_EQ(count(*sql_, "SELECT COUNT(*) FROM dead_letters WHERE status = 'open'"), 0);
  EXPECT_EQ(count(*sql_, "SELECT COUNT(*) FROM events WHERE type = 'dead_letter_replayed'"), 2);
  EXPECT_EQ(yizhan_cli(hub_args({"audit", "verify"})).code, 0);
}

TEST_F(HubCommands, CursorResetIsOnTheLedgerWithItsActor) {
  make_hub(30, 0);
  auto list = yizhan_cli(hub_args({"cursor", "list"}));
  EXPECT_EQ(list.code, 0) << list.err;
  EXPECT_NE(list.out.find("fx\tfixture_source\t30"), std::string::npos) << list.out;
  auto unknown = yizhan_cli(hub_args({"cursor", "reset", "nope"}));
  EXPECT_EQ(unknown.code, 1);
  EXPECT_NE(unknown.err.find("no instance 'nope'"), std::string::npos) << unknown.err;
  auto reset = yizhan_cli(hub_args({"cursor", "reset", "fx", "--actor", "wang.it"}));
  EXPECT_EQ(reset.code, 0) << reset.err;
  EXPECT_EQ(count(*sql_, "SELECT COUNT(*) FROM source_cursors"), 0);
  EXPECT_EQ(count(*sql_, "SELECT COUNT(*) FROM events WHERE type = 'cursor_reset' AND actor = 'cli:wang.it'"), 1);
}

TEST(PluginsCheck, AcceptsAPluginAndDescribesItsConfig) {
  auto r = yizhan_cli({"plugins", "check", (test::test_plugin_dir() / "yizhan_fixture_source.so").string()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("fixture_source 1.0.0 (SDK ABI " + std::to_string(YZ_ABI_MAJOR) + "." +
                       std::to_string(YZ_ABI_MINOR) + ")"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("records (integer, required)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("OK: "), std::string::npos) << r.out;
}

TEST(PluginsCheck, RefusesWhatIsNotAPluginAndAnotherAbiNamingTheFile) {
  for (const char* file : {"yizhan_not_a_plugin.so", "yizhan_wrong_abi.so"}) {
    const auto path = (test::test_plugin_dir() / file).string();
    auto r = yizhan_cli({"plugins", "check", path});
    EXPECT_EQ(r.code, 1) << file;
    EXPECT_NE(r.err.find("REFUSED: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(path), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace yizhan
