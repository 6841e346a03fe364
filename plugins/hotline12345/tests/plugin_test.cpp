// The plugin as the hub sees it, beyond the conformance kit: errors, config, logging.
#include <gtest/gtest.h>

#include <mutex>
#include <yizhan/sdk/host.hpp>

#include "sim_process.hpp"

namespace hotline12345_test {
namespace {
namespace json = boost::json;
using yizhan::sdk::testkit::InstanceUnderTest;

TEST(Hotline12345Plugin, UnreachableUpstreamIsAnUpstreamError) {
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

TEST(Hotline12345Plugin, WrongPathIsAnUpstreamErrorNamingTheUrl) {
  SimProcess sim({.records = 1});
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.base_url(), {{"list_path", "/api/v2/gd"}}));
  auto b = inst.poll("");
  EXPECT_EQ(b.code, YZ_E_UPSTREAM);
  EXPECT_NE(b.message.find("HTTP 404"), std::string::npos) << b.message;
  EXPECT_NE(b.message.find("/api/v2/gd"), std::string::npos) << b.message;
}

TEST(Hotline12345Plugin, MappingTableNamingUnknownVocabularyFailsAtCreate) {
  try {
    InstanceUnderTest inst(
        plugin_path(), plugin_config("http://127.0.0.1:1", {{"status_map", json::object{{"03", "doing"}}}}));
    ADD_FAILURE() << "created";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("status_map: '03' maps to 'doing'"), std::string::npos) << e.what();
  }
}

TEST(Hotline12345Plugin, InitialUpdatedAfterSkipsOlderHistory) {
  SimProcess sim({.records = 100, .seed = 21});
  InstanceUnderTest all(plugin_path(), plugin_config(sim.base_url()));
  auto everything = yizhan::sdk::testkit::drain(all);
  ASSERT_EQ(everything.records.size(), 100u);
  std::string middle = everything.records[50].mapped->version;
  InstanceUnderTest recent(plugin_path(), plugin_config(sim.base_url(), {{"initial_updated_after", middle}}));
  auto some = yizhan::sdk::testkit::drain(recent);
  EXPECT_GE(some.records.size(), 50u);
  EXPECT_LT(some.records.size(), 100u);
  for (const auto& r : some.records) EXPECT_GE(r.mapped->version, middle);
}

TEST(Hotline12345Plugin, CursorIsTheLastPositionAndResumesExactlyThere) {
  SimProcess sim({.records = 30, .seed = 22});
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.base_url(), {{"page_size", 10}}));
  auto b = inst.poll("");
  ASSERT_EQ(b.code, YZ_OK) << b.message;
  ASSERT_EQ(b.records.size(), 10u);
  EXPECT_TRUE(b.has_more);
  auto cursor = json::parse(b.next_cursor).as_object();
  EXPECT_EQ(cursor.at("v"), 1);
  EXPECT_EQ(cursor.at("updated_after"), json::value(b.records.back().mapped->version));
  EXPECT_EQ(cursor.at("after_id"), json::parse(b.records.back().mapped->extra_json).at("upstream_id"));
  auto again = inst.poll(b.next_cursor);
  ASSERT_EQ(again.code, YZ_OK);
  EXPECT_NE(again.records.front().external_id, b.records.back().external_id);
  auto same = inst.poll(b.next_cursor);  // an older cursor works again: the plugin keeps no position
  EXPECT_EQ(same.records.front().external_id, again.records.front().external_id);
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

TEST(Hotline12345Plugin, LogsNeverShowPhoneOrIdNumbersInClear) {
  SimProcess sim({.records = 200, .seed = 23, .malformed_rate = 0.2});
  CapturedLog captured;
  yz_host_api host{sizeof(yz_host_api), YZ_ABI_MAJOR, YZ_ABI_MINOR, &captured, &CapturedLog::log};
  const auto* d = yizhan::sdk::host::load_plugin(plugin_path(), &host).descriptor;
  auto check = yizhan::sdk::host::validate_config(*d, "kelan_12345", plugin_config(sim.base_url()));
  ASSERT_TRUE(check.errors.empty());
  void* instance = nullptr;
  std::string name = "kelan_12345";
  auto st = d->source->create(&host, {name.data(), name.size()},
                              {check.normalized_json.data(), check.normalized_json.size()}, &instance);
  ASSERT_EQ(st.code, YZ_OK) << st.message;
  std::set<std::string> secrets;
  std::string cursor;
  for (int i = 0; i < 100; ++i) {
    yz_batch batch{};
    st = d->source->poll(instance, {cursor.data(), cursor.size()}, &batch);
    ASSERT_EQ(st.code, YZ_OK) << st.message;
    for (uint32_t k = 0; k < batch.count; ++k) {
      json::parse_options lenient;
      lenient.allow_invalid_utf8 = true;
      json::error_code ec;
      auto raw = json::parse(std::string_view(batch.records[k].raw.data, batch.records[k].raw.size), ec, {},
                             lenient);
      if (ec || !raw.is_object()) continue;
      for (const char* key : {"lxdh", "sfzh"})
        if (auto* v = raw.as_object().if_contains(key); v && v->is_string() && v->get_string().size() >= 7)
          secrets.insert(std::string(v->get_string()));
    }
    cursor.assign(batch.next_cursor.data ? batch.next_cursor.data : "", batch.next_cursor.size);
    if (batch.count == 0 && !batch.has_more) break;
  }
  d->source->destroy(instance);
  EXPECT_GT(secrets.size(), 100u);
  EXPECT_FALSE(captured.lines.empty()) << "rejections are logged";
  for (const auto& line : captured.lines)
    for (const auto& secret : secrets) EXPECT_EQ(line.find(secret), std::string::npos) << line;
}

}  // namespace
}  // namespace hotline12345_test
