// minimal_plugin's tests: the SDK's conformance kit, plus what is particular to a
// JSON-lines file (half-written lines, a file that shrank, blank lines).
//
// The "upstream" here is a temp file the test writes; a plugin for a real system
// would start that system's simulator instead (see yizhan/sdk/child_process.hpp).
#include <yizhan/sdk/testkit.hpp>

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {
namespace fs = std::filesystem;
namespace json = boost::json;
using yizhan::sdk::testkit::drain;
using yizhan::sdk::testkit::InstanceUnderTest;

const fs::path kPlugin = MINIMAL_PLUGIN_FILE;
const fs::path kExampleConfig = MINIMAL_PLUGIN_EXAMPLE_CONFIG;

// Temp directories made by this process; removed by remove_upstreams().
std::vector<fs::path>& upstream_dirs() {
  static std::vector<fs::path> dirs;
  return dirs;
}

fs::path new_upstream_dir() {
  std::string tmpl = (fs::temp_directory_path() / "minimal-plugin-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  upstream_dirs().push_back(tmpl);
  return tmpl;
}

void remove_upstreams() {
  std::error_code ec;
  for (const auto& d : upstream_dirs()) fs::remove_all(d, ec);
  upstream_dirs().clear();
}

std::string good_line(int i) {
  json::object o;
  o["id"] = "M-" + std::to_string(10000 + i);
  o["title"] = "第" + std::to_string(i) + "号诉求：楼上噪音扰民";
  o["description"] = "夜间装修噪音，影响休息。";
  o["address"] = "岢岚县岚漪镇";
  o["reporter_phone"] = "13812341234";
  o["reported_at"] = "2026-02-26T14:30:00+08:00";
  o["updated_at"] = "2026-02-26T14:30:00+08:00";
  return json::serialize(o);
}

// Writes `lines` (each followed by '\n') to a new file and returns its instance config.
std::string write_upstream(const std::vector<std::string>& lines, int batch_size = 25) {
  const fs::path file = new_upstream_dir() / "matters.jsonl";
  std::ofstream out(file, std::ios::binary);
  for (const auto& l : lines) out << l << '\n';
  out.close();
  json::object cfg;
  cfg["path"] = file.string();
  cfg["batch_size"] = std::to_string(batch_size);
  return json::serialize(cfg);
}

std::string start_upstream(int records) {
  std::vector<std::string> lines;
  for (int i = 0; i < records; ++i) lines.push_back(good_line(i));
  return write_upstream(lines);
}

std::string start_malformed_upstream() {
  std::vector<std::string> lines;
  for (int i = 0; i < 30; ++i) lines.push_back(good_line(i));
  lines.insert(lines.begin() + 3, "this is not json");
  lines.insert(lines.begin() + 7, R"([1, 2, 3])");
  lines.insert(lines.begin() + 11, R"({"title": "没有编号"})");
  lines.insert(lines.begin() + 13, R"({"id": "M-X1"})");
  lines.insert(lines.begin() + 17, "{\"id\": \"M-X2\", \"title\": \"\xff\xfe\"}");  // not UTF-8
  lines.insert(lines.begin() + 19, R"({"id": "M-X3", "title": )");                 // cut off
  return write_upstream(lines, 7);
}

fs::path file_of(const std::string& config) {
  return std::string(json::parse(config).as_object().at("path").as_string());
}

class MinimalPlugin : public ::testing::Test {
 protected:
  void TearDown() override { remove_upstreams(); }
};

TEST_F(MinimalPlugin, CursorIsTheNumberOfLinesRead) {
  InstanceUnderTest inst(kPlugin, start_upstream(60));
  auto first = inst.poll("");
  ASSERT_EQ(first.code, YZ_OK) << first.message;
  EXPECT_EQ(first.records.size(), 25u);
  EXPECT_EQ(first.next_cursor, "25");
  EXPECT_TRUE(first.has_more);
  auto last = inst.poll("50");
  ASSERT_EQ(last.code, YZ_OK) << last.message;
  EXPECT_EQ(last.records.size(), 10u);
  EXPECT_EQ(last.records.front().external_id, "M-10050");
  EXPECT_EQ(last.next_cursor, "60");
  EXPECT_FALSE(last.has_more);
}

TEST_F(MinimalPlugin, MapsFieldsAndKeepsTheRawLine) {
  InstanceUnderTest inst(kPlugin, start_upstream(1));
  auto b = inst.poll("");
  ASSERT_EQ(b.code, YZ_OK) << b.message;
  ASSERT_EQ(b.records.size(), 1u);
  const auto& r = b.records[0];
  ASSERT_TRUE(r.mapped.has_value()) << r.error;
  EXPECT_EQ(r.mapped->external_id, "M-10000");
  EXPECT_EQ(r.mapped->title, "第0号诉求：楼上噪音扰民");
  EXPECT_EQ(r.mapped->category, "社情民意") << "the schema default";
  EXPECT_EQ(r.mapped->channel, "网上");
  EXPECT_EQ(r.mapped->reporter.phone, "13812341234");
  EXPECT_EQ(r.raw, good_line(0));
}

TEST_F(MinimalPlugin, AHalfWrittenLastLineWaitsForItsNewline) {
  const std::string cfg = start_upstream(3);
  { std::ofstream(file_of(cfg), std::ios::app | std::ios::binary) << R"({"id":"M-late","ti)"; }
  InstanceUnderTest inst(kPlugin, cfg);
  auto all = drain(inst);
  EXPECT_EQ(all.records.size(), 3u);
  EXPECT_EQ(all.cursor, "3");
  { std::ofstream(file_of(cfg), std::ios::app | std::ios::binary) << R"(tle":"后来写完"})" << '\n'; }
  auto rest = drain(inst, all.cursor);
  ASSERT_EQ(rest.records.size(), 1u);
  EXPECT_EQ(rest.records[0].external_id, "M-late");
  EXPECT_TRUE(rest.records[0].error.empty()) << rest.records[0].error;
  EXPECT_EQ(rest.cursor, "4");
}

TEST_F(MinimalPlugin, ACursorBeyondTheFileIsAnErrorNotARestart) {
  InstanceUnderTest inst(kPlugin, start_upstream(5));
  auto b = inst.poll("9");
  EXPECT_EQ(b.code, YZ_E_CURSOR_INVALID);
  EXPECT_NE(b.message.find("was it replaced or truncated?"), std::string::npos) << b.message;
}

TEST_F(MinimalPlugin, BlankLinesAreSkippedButCounted) {
  InstanceUnderTest inst(kPlugin, write_upstream({good_line(0), "", "   ", good_line(1)}));
  auto all = drain(inst);
  ASSERT_EQ(all.records.size(), 2u);
  EXPECT_EQ(all.cursor, "4");
}

TEST_F(MinimalPlugin, AMissingFileIsAnUpstreamErrorToRetry) {
  const std::string cfg = start_upstream(1);
  fs::remove(file_of(cfg));
  InstanceUnderTest inst(kPlugin, cfg);
  auto b = inst.poll("");
  EXPECT_EQ(b.code, YZ_E_UPSTREAM);
  EXPECT_NE(b.message.find("cannot open"), std::string::npos) << b.message;
}

TEST_F(MinimalPlugin, BadLinesBecomeRejectedRecordsWithTheirReason) {
  InstanceUnderTest inst(kPlugin, start_malformed_upstream());
  auto all = drain(inst);
  std::vector<std::string> reasons;
  for (const auto& r : all.records)
    if (!r.error.empty()) reasons.push_back(r.error);
  ASSERT_EQ(reasons.size(), 6u);
  EXPECT_EQ(all.records.size(), 36u);
  EXPECT_NE(reasons[0].find("line 4: not JSON"), std::string::npos) << reasons[0];
  EXPECT_NE(reasons[1].find("not a JSON object"), std::string::npos) << reasons[1];
  EXPECT_NE(reasons[2].find("no string \"id\""), std::string::npos) << reasons[2];
  EXPECT_NE(reasons[3].find("M-X1 has no title"), std::string::npos) << reasons[3];
}

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  yizhan::sdk::testkit::register_conformance_tests({
      .name = "minimal_plugin",
      .library = kPlugin,
      .example_config = kExampleConfig,
      .start_upstream = &start_upstream,
      .start_malformed_upstream = &start_malformed_upstream,
      .stop_upstream = &remove_upstreams,
  });
  return RUN_ALL_TESTS();
}
