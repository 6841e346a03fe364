// The plugin as the hub sees it, beyond the conformance kit: errors, config, cursor, logs.
#include <gtest/gtest.h>

#include <fstream>
#include <mutex>
#include <set>
#include <yizhan/sdk/host.hpp>

#include "sim_process.hpp"

namespace xinfang_test {
namespace {
namespace json = boost::json;
namespace fs = std::filesystem;
using yizhan::sdk::testkit::drain;
using yizhan::sdk::testkit::InstanceUnderTest;

TEST(XinfangPlugin, MissingInboxIsAnUpstreamErrorNamingIt) {
  auto dir = fresh_dir("missing");
  InstanceUnderTest inst(plugin_path(), plugin_config(dir));
  auto b = inst.poll("");
  EXPECT_EQ(b.code, YZ_E_UPSTREAM);
  EXPECT_NE(b.message.find(dir.string()), std::string::npos) << b.message;
}

TEST(XinfangPlugin, EmptyInboxIsNoRecordsAndAnEmptyCursor) {
  auto dir = fresh_dir("empty");
  fs::create_directories(dir);
  InstanceUnderTest inst(plugin_path(), plugin_config(dir));
  auto b = inst.poll("");
  EXPECT_EQ(b.code, YZ_OK) << b.message;
  EXPECT_TRUE(b.records.empty());
  EXPECT_FALSE(b.has_more);
  EXPECT_EQ(b.next_cursor, "");
  fs::remove_all(dir);
}

TEST(XinfangPlugin, HeaderWithoutARequiredColumnIsAnUpstreamErrorNamingColumnAndKey) {
  SimRun sim({.records = 20, .seed = 41});
  InstanceUnderTest inst(plugin_path(),
                         plugin_config(sim.dir(), {{"columns", json::object{{"updated_at", "更新时间"}}}}));
  auto b = inst.poll("");
  EXPECT_EQ(b.code, YZ_E_UPSTREAM);
  EXPECT_NE(b.message.find("no column '更新时间'"), std::string::npos) << b.message;
  EXPECT_NE(b.message.find("columns.updated_at"), std::string::npos) << b.message;
}

TEST(XinfangPlugin, BadConfigValuesFailAtCreateNamingTheKey) {
  auto expect_refused = [](const json::object& overrides, const std::string& what) {
    try {
      InstanceUnderTest inst(plugin_path(), plugin_config("/tmp", overrides));
      ADD_FAILURE() << "created with " << json::serialize(overrides);
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
  };
  expect_refused({{"status_map", json::object{{"受理", "accepted"}}}}, "status_map: '受理' maps to 'accepted'");
  expect_refused({{"channel_map", json::object{{"来信", "信件"}}}}, "channel_map: '来信' maps to '信件'");
  expect_refused({{"encoding", "no-such-charset"}}, "encoding: encoding 'no-such-charset' is not known");
  expect_refused({{"columns", json::object{{"titel", "标题"}}}}, "columns: 'titel' is not a column");
  expect_refused({{"utc_offset", "08:00"}}, "utc_offset");
}

TEST(XinfangPlugin, CursorIsFileAndOffsetAndABudgetedPollSaysThereIsMore) {
  SimRun sim({.records = 60, .seed = 42, .rows_per_export = 40});
  auto files = sim.exports();
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.dir(), {{"rows_per_poll", 7}}));
  auto b = inst.poll("");
  ASSERT_EQ(b.code, YZ_OK) << b.message;
  ASSERT_EQ(b.records.size(), 7u);
  EXPECT_TRUE(b.has_more);
  auto c = json::parse(b.next_cursor).as_object();
  EXPECT_EQ(c.at("file"), json::value(files[0].filename().string()));
  EXPECT_FALSE(c.at("complete").as_bool());
  const std::string bytes = read_bytes(files[0]);
  auto offset = static_cast<size_t>(c.at("offset").to_number<std::int64_t>());
  ASSERT_LT(offset, bytes.size());
  EXPECT_EQ(bytes.substr(offset - 2 - b.records.back().raw.size(), b.records.back().raw.size() + 2),
            b.records.back().raw + "\r\n")
      << "the offset is just past the last row returned";
  auto again = inst.poll(b.next_cursor);
  auto same = inst.poll(b.next_cursor);  // an older cursor works again: the plugin keeps no position
  ASSERT_EQ(again.code, YZ_OK);
  EXPECT_EQ(again.records.front().raw, same.records.front().raw);
  EXPECT_NE(again.records.front().raw, b.records.back().raw);
  // Drained, the cursor rests on the last export with its trailer read.
  auto all = drain(inst);
  auto end = json::parse(all.cursor).as_object();
  EXPECT_EQ(end.at("file"), json::value(files.back().filename().string()));
  EXPECT_TRUE(end.at("complete").as_bool());
  EXPECT_EQ(end.at("offset").to_number<std::int64_t>(), static_cast<std::int64_t>(fs::file_size(files.back())));
}

TEST(XinfangPlugin, OffsetPastTheEndOfItsFileIsACursorError) {
  SimRun sim({.records = 10, .seed = 43});
  auto file = sim.exports().front();
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.dir()));
  json::object c{
      {"v", 1}, {"file", file.filename().string()}, {"offset", fs::file_size(file) + 10}, {"complete", false}};
  auto b = inst.poll(json::serialize(c));
  EXPECT_EQ(b.code, YZ_E_CURSOR_INVALID);
  EXPECT_NE(b.message.find("past the end"), std::string::npos) << b.message;
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

TEST(XinfangPlugin, LogsNeverShowPhoneOrIdNumbersInClear) {
  SimRun sim({.records = 200, .seed = 44, .malformed_rate = 0.3});
  CapturedLog captured;
  yz_host_api host{sizeof(yz_host_api), YZ_ABI_MAJOR, YZ_ABI_MINOR, &captured, &CapturedLog::log};
  const auto* d = yizhan::sdk::host::load_plugin(plugin_path(), &host).descriptor;
  auto check = yizhan::sdk::host::validate_config(*d, "kelan_xinfang", plugin_config(sim.dir()));
  ASSERT_TRUE(check.errors.empty());
  void* instance = nullptr;
  std::string name = "kelan_xinfang";
  auto st = d->source->create(&host, {name.data(), name.size()},
                              {check.normalized_json.data(), check.normalized_json.size()}, &instance);
  ASSERT_EQ(st.code, YZ_OK) << st.message;
  std::set<std::string> secrets;
  std::string cursor;
  for (int i = 0; i < 1000; ++i) {
    yz_batch batch{};
    st = d->source->poll(instance, {cursor.data(), cursor.size()}, &batch);
    ASSERT_EQ(st.code, YZ_OK) << st.message;
    for (uint32_t k = 0; k < batch.count; ++k) {
      yizhan::sdk::CaseRecord c;
      if (batch.records[k].case_json.size == 0) continue;
      c = yizhan::sdk::case_record_from_json({batch.records[k].case_json.data, batch.records[k].case_json.size});
      if (c.reporter.phone.size() >= 7) secrets.insert(c.reporter.phone);
      if (!c.reporter.id_number.empty()) secrets.insert(c.reporter.id_number);
    }
    cursor.assign(batch.next_cursor.data ? batch.next_cursor.data : "", batch.next_cursor.size);
    if (batch.count == 0 && !batch.has_more) break;
  }
  d->source->destroy(instance);
  // The ID numbers that failed their check are logged (masked); find them in the files.
  for (const auto& f : sim.exports()) {
    const std::string bytes = read_bytes(f);
    for (size_t p = bytes.find(",140929"); p != std::string::npos; p = bytes.find(",140929", p + 1))
      if (p + 19 <= bytes.size() && bytes[p + 19] == ',') secrets.insert(bytes.substr(p + 1, 18));
  }
  EXPECT_GT(secrets.size(), 200u);
  bool id_warning = false;
  for (const auto& line : captured.lines) {
    id_warning = id_warning || line.find("fails the GB 11643 check") != std::string::npos;
    for (const auto& secret : secrets) EXPECT_EQ(line.find(secret), std::string::npos) << line;
  }
  EXPECT_TRUE(id_warning) << "invalid ID numbers are logged, masked";
}

}  // namespace
}  // namespace xinfang_test
