// The plugin as the hub sees it, beyond the conformance kit: errors, cursor, logging.
#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <yizhan/sdk/host.hpp>

#include "sim_process.hpp"

namespace zongzhi_test {
namespace {
namespace json = boost::json;
using yizhan::sdk::testkit::InstanceUnderTest;

TEST(ZongzhiPlugin, UnreachableUpstreamIsAnUpstreamError) {
  std::string url;
  {
    SimProcess sim({.records = 1});
    url = sim.base_url();
  }  // stopped: nothing listens on that port any more
  InstanceUnderTest inst(plugin_path(), plugin_config(url, {{"timeout_ms", 2000}}));
  auto b = inst.poll("");
  EXPECT_EQ(b.code, YZ_E_UPSTREAM) << b.message;
  EXPECT_NE(b.message.find(url), std::string::npos) << b.message;
}

TEST(ZongzhiPlugin, CursorIsTheLastPositionAndResumesExactlyThere) {
  SimProcess sim({.records = 30, .seed = 51});
  InstanceUnderTest inst(plugin_path(), plugin_config(sim, {{"page_size", 10}}));
  auto b = inst.poll("");
  ASSERT_EQ(b.code, YZ_OK) << b.message;
  ASSERT_EQ(b.records.size(), 10u);
  EXPECT_TRUE(b.has_more);
  auto cursor = json::parse(b.next_cursor).as_object();
  EXPECT_EQ(cursor.at("v"), 1);
  EXPECT_EQ(cursor.at("updateTime").as_int64(), std::stoll(b.records.back().mapped->version));
  EXPECT_EQ(cursor.at("eventId"), json::value(b.records.back().external_id));
  auto again = inst.poll(b.next_cursor);
  ASSERT_EQ(again.code, YZ_OK);
  EXPECT_NE(again.records.front().external_id, b.records.back().external_id);
  auto same = inst.poll(b.next_cursor);  // an older cursor works again: the plugin keeps no position
  EXPECT_EQ(same.records.front().external_id, again.records.front().external_id);
}

struct CapturedLog {
  std::mutex mutex;
  std::vector<std::string> lines;
  static void log(void* ctx, int32_t, yz_bytes, yz_bytes message) {
    auto* self = static_cast<CapturedLog*>(ctx);
    std::lock_guard lock(self->mutex);
    self->lines.emplace_back(message.data, message.size);
  }
};

// Logs go through the host API; none may carry a phone, an ID number, the secret or a token.
TEST(ZongzhiPlugin, LogsNeverShowPersonalDataSecretOrToken) {
  SimProcess sim(
      {.records = 200, .seed = 52, .revoke_rate = 0.2, .malformed_rate = 0.2, .app_secret = "s3cr3t-0f-the-hub"});
  CapturedLog captured;
  yz_host_api host{sizeof(yz_host_api), YZ_ABI_MAJOR, YZ_ABI_MINOR, &captured, &CapturedLog::log};
  const auto* d = yizhan::sdk::host::load_plugin(plugin_path(), &host).descriptor;
  auto check = yizhan::sdk::host::validate_config(*d, "kelan_zongzhi", plugin_config(sim));
  ASSERT_TRUE(check.errors.empty());
  void* instance = nullptr;
  std::string name = "kelan_zongzhi";
  auto st = d->source->create(&host, {name.data(), name.size()},
                              {check.normalized_json.data(), check.normalized_json.size()}, &instance);
  ASSERT_EQ(st.code, YZ_OK) << st.message;
  std::set<std::string> secrets{"s3cr3t-0f-the-hub", "Bearer zz"};
  std::string cursor;
  for (int i = 0; i < 200; ++i) {
    yz_batch batch{};
    st = d->source->poll(instance, {cursor.data(), cursor.size()}, &batch);
    if (st.code == YZ_E_UPSTREAM) continue;
    ASSERT_EQ(st.code, YZ_OK) << st.message;
    for (uint32_t k = 0; k < batch.count; ++k) {
      auto raw = json::parse(std::string_view(batch.records[k].raw.data, batch.records[k].raw.size));
      for (const char* key : {"partyPhone", "partyIdNo"})
        if (auto* v = raw.as_object().if_contains(key); v && v->is_string() && v->get_string().size() >= 7)
          secrets.insert(std::string(v->get_string()));
    }
    cursor.assign(batch.next_cursor.data ? batch.next_cursor.data : "", batch.next_cursor.size);
    if (batch.count == 0 && !batch.has_more) break;
  }
  d->source->destroy(instance);
  EXPECT_GT(secrets.size(), 50u);
  EXPECT_FALSE(captured.lines.empty()) << "rejections and renewals are logged";
  for (const auto& line : captured.lines) {
    EXPECT_EQ(line.find("zz"), std::string::npos) << "a token in the log: " << line;
    for (const auto& secret : secrets) EXPECT_EQ(line.find(secret), std::string::npos) << line;
  }
}

}  // namespace
}  // namespace zongzhi_test
