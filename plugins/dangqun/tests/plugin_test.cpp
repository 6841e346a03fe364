// The plugin as the hub sees it, beyond the conformance kit: errors, config, read-only
// access, logging.
#include <gtest/gtest.h>

#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <yizhan/sdk/host.hpp>

#include "sim_process.hpp"

namespace dangqun_test {
namespace {
namespace json = boost::json;
using yizhan::sdk::testkit::InstanceUnderTest;

std::string file_bytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(DangqunPlugin, MissingDatabaseIsAnUpstreamErrorNamingIt) {
  TempDir dir;
  auto db = dir.path() / "nothing-here.db";
  InstanceUnderTest inst(plugin_path(), plugin_config("db=" + db.string()));
  auto b = inst.poll("");
  EXPECT_EQ(b.code, YZ_E_UPSTREAM) << b.message;
  EXPECT_NE(b.message.find(db.string()), std::string::npos) << b.message;
  EXPECT_FALSE(std::filesystem::exists(db)) << "the plugin must never create the upstream's database";
}

TEST(DangqunPlugin, WrongTableIsAnUpstreamErrorNamingTheTable) {
  SimProcess sim({.records = 5, .once = true});
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.connection(), {{"table", "t_fwdd_2019"}}));
  auto b = inst.poll("");
  EXPECT_EQ(b.code, YZ_E_UPSTREAM);
  EXPECT_NE(b.message.find("t_fwdd_2019"), std::string::npos) << b.message;
}

TEST(DangqunPlugin, ReadingNeverChangesTheDatabase) {
  SimProcess sim({.records = 300, .seed = 31, .malformed_rate = 0.1, .once = true});
  sim.process().stop();  // the writer is gone: any change now would be the plugin's
  const std::string db = file_bytes(sim.db()), wal = file_bytes(sim.db().string() + "-wal");
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.connection(), {{"batch_size", 50}}));
  auto all = yizhan::sdk::testkit::drain(inst);
  EXPECT_EQ(all.records.size(), 300u);
  EXPECT_EQ(file_bytes(sim.db()), db);
  EXPECT_EQ(file_bytes(sim.db().string() + "-wal"), wal);
}

TEST(DangqunPlugin, PasswordInTheConnectionNeverReachesAMessage) {
  InstanceUnderTest inst(plugin_path(),
                         plugin_config("host=127.0.0.1 port=1 dbname=dqfw user=dq password=s3cret-Pw connect_timeout=2",
                                       {{"backend", "postgresql"}}));
  auto b = inst.poll("");
  EXPECT_EQ(b.code, YZ_E_UPSTREAM) << b.message;
  EXPECT_EQ(b.message.find("s3cret-Pw"), std::string::npos) << b.message;
  EXPECT_NE(b.message.find("password=***"), std::string::npos) << b.message;
}

TEST(DangqunPlugin, ConfigNamingUnknownVocabularyOrABadTableFailsAtCreate) {
  const std::pair<json::object, const char*> cases[] = {
      {{{"status_map", json::object{{"20", "doing"}}}}, "status_map: '20' maps to 'doing'"},
      {{{"channel_map", json::object{{"1", "柜台"}}}}, "channel_map: '1' maps to '柜台'"},
      {{{"table", "t_fwdd; DROP TABLE t_fwdd"}}, "table: 't_fwdd; DROP TABLE t_fwdd'"},
      {{{"backend", "mysql"}}, "backend: 'mysql'"},
      {{{"deleted_status", "gone"}}, "deleted_status: 'gone'"},
  };
  for (const auto& [overrides, expected] : cases) {
    try {
      InstanceUnderTest inst(plugin_path(), plugin_config("db=/nonexistent.db", overrides));
      ADD_FAILURE() << "created with " << json::serialize(overrides);
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
    }
  }
}

TEST(DangqunPlugin, CursorResumesExactlyWhereItStood) {
  SimProcess sim({.records = 30, .seed = 32, .once = true});
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.connection(), {{"batch_size", 10}}));
  auto b = inst.poll("");
  ASSERT_EQ(b.code, YZ_OK) << b.message;
  ASSERT_EQ(b.records.size(), 10u);
  EXPECT_TRUE(b.has_more);
  auto cursor = json::parse(b.next_cursor).as_object();
  EXPECT_EQ(cursor.at("gxsj"), json::value(b.records.back().mapped->version.substr(0, 19)));
  EXPECT_EQ(cursor.at("id"), json::parse(b.records.back().mapped->extra_json).at("upstream_id"));
  auto again = inst.poll(b.next_cursor);
  ASSERT_EQ(again.code, YZ_OK);
  auto same = inst.poll(b.next_cursor);  // an older cursor works again: the plugin keeps no position
  ASSERT_EQ(same.records.size(), again.records.size());
  EXPECT_EQ(same.records.front().external_id, again.records.front().external_id);
  for (const auto& r : again.records)
    for (const auto& first : b.records) EXPECT_NE(r.external_id, first.external_id);
}

// Logs go through the host API; none may carry a phone or ID number in clear.
struct CapturedLog {
  std::mutex mutex;
  std::vector<std::string> lines;
  static void log(void* ctx, int32_t, yz_bytes, yz_bytes message) {
    auto* self = static_cast<CapturedLog*>(ctx);
    std::lock_guard lock(self->mutex);
    self->lines.emplace_back(message.data, message.size);
  }
};

TEST(DangqunPlugin, LogsNeverShowPhoneOrIdNumbersInClear) {
  SimProcess sim({.records = 300, .seed = 33, .malformed_rate = 0.2, .once = true});
  CapturedLog captured;
  yz_host_api host{sizeof(yz_host_api), YZ_ABI_MAJOR, YZ_ABI_MINOR, &captured, &CapturedLog::log};
  const auto* d = yizhan::sdk::host::load_plugin(plugin_path(), &host).descriptor;
  auto check = yizhan::sdk::host::validate_config(*d, "kelan_dangqun", plugin_config(sim.connection()));
  ASSERT_TRUE(check.errors.empty());
  void* instance = nullptr;
  std::string name = "kelan_dangqun";
  auto st = d->source->create(&host, {name.data(), name.size()},
                              {check.normalized_json.data(), check.normalized_json.size()}, &instance);
  ASSERT_EQ(st.code, YZ_OK) << st.message;
  std::string cursor;
  for (int i = 0; i < 100; ++i) {
    yz_batch batch{};
    st = d->source->poll(instance, {cursor.data(), cursor.size()}, &batch);
    ASSERT_EQ(st.code, YZ_OK) << st.message;
    cursor.assign(batch.next_cursor.data ? batch.next_cursor.data : "", batch.next_cursor.size);
    if (batch.count == 0 && !batch.has_more) break;
  }
  d->source->destroy(instance);
  std::set<std::string> secrets;
  for (auto& row : query_db(sim.db(), "SELECT lxdh, sfzh FROM t_fwdd"))
    for (const char* key : {"lxdh", "sfzh"})
      if (row.count(key) && row[key].size() >= 7) secrets.insert(row[key]);
  EXPECT_GT(secrets.size(), 300u);
  EXPECT_FALSE(captured.lines.empty()) << "rejections are logged";
  for (const auto& line : captured.lines)
    for (const auto& secret : secrets) EXPECT_EQ(line.find(secret), std::string::npos) << line;
}

}  // namespace
}  // namespace dangqun_test
