// Each quirk of the 信访 system's exports, written by the real simulator, against the real
// plugin driven through the C ABI exactly as the hub drives it.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "sim_process.hpp"

namespace xinfang_test {
namespace {
namespace json = boost::json;
namespace fs = std::filesystem;
using yizhan::sdk::testkit::drain;
using yizhan::sdk::testkit::InstanceUnderTest;
using yizhan::sdk::testkit::PolledRecord;

std::set<std::string> mapped_ids(const std::vector<PolledRecord>& records) {
  std::set<std::string> ids;
  for (const auto& r : records)
    if (r.error.empty()) ids.insert(r.external_id);
  return ids;
}

json::object extra(const PolledRecord& r) { return json::parse(r.mapped->extra_json).as_object(); }

bool contains(const std::string& s, std::string_view what) { return s.find(what) != std::string::npos; }

TEST(XinfangQuirks, GbkCharactersOutsideGb2312AreDecodedWithGb18030) {
  SimRun sim({.records = 200, .seed = 31});
  InstanceUnderTest gb18030(plugin_path(), plugin_config(sim.dir()));
  auto got = drain(gb18030).records;
  ASSERT_EQ(mapped_ids(got).size(), 200u);
  size_t rare = 0;
  for (const auto& r : got) {
    ASSERT_TRUE(r.error.empty()) << r.error;
    const std::string& name = r.mapped->reporter.name;
    if (contains(name, "堃") || contains(name, "镕")) {
      ++rare;
      EXPECT_FALSE(contains(r.raw, name)) << "the raw row keeps the GBK bytes, not UTF-8";
    }
  }
  EXPECT_GT(rare, 10u) << "the simulator writes names with 堃 and 镕";
  // The same files read as GB2312 lose exactly the rows with those characters: GBK matters.
  InstanceUnderTest gb2312(plugin_path(), plugin_config(sim.dir(), {{"encoding", "GB2312"}}));
  auto narrow = drain(gb2312).records;
  ASSERT_EQ(narrow.size(), got.size());
  size_t lost = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    const std::string& name = got[i].mapped->reporter.name;
    bool rare_name = contains(name, "堃") || contains(name, "镕");
    if (rare_name) {
      ++lost;
      EXPECT_TRUE(contains(narrow[i].error, "is not valid GB2312 text")) << narrow[i].error;
    } else {
      EXPECT_EQ(narrow[i].error, "") << "row " << i;
    }
  }
  EXPECT_EQ(lost, rare);
}

// The process state letter from /proc/PID/stat ('T' once SIGSTOP has taken effect).
char process_state(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto p = all.rfind(')');
  return p != std::string::npos && p + 2 < all.size() ? all[p + 2] : '?';
}

bool ends_with_trailer(const std::string& bytes) {
  auto p = bytes.rfind("#END,");
  return p != std::string::npos && bytes.size() >= 2 && bytes.compare(bytes.size() - 2, 2, "\r\n") == 0 &&
         bytes.find("\r\n", p) == bytes.size() - 2;
}

TEST(XinfangQuirks, HalfWrittenExportGivesOnlyCompleteRowsAndResumesInsideTheFile) {
  const SimFlags flags{.records = 150,
                       .seed = 32,
                       .rows_per_export = 60,
                       .malformed_rate = 0.05,
                       .resend_rate = 0.1,
                       .bom_rate = 0.2,
                       .once = false,
                       .interval_ms = 30,
                       .chunk_bytes = 300,
                       .chunk_pause_ms = 15};
  SimFlags at_once = flags;
  at_once.once = true;
  SimRun reference(at_once);
  InstanceUnderTest ref_inst(plugin_path(), plugin_config(reference.dir(), {{"rows_per_poll", 25}}));
  const auto expected = drain(ref_inst).records;

  SimRun live(flags);
  // At the ready line the first export is complete.
  ASSERT_FALSE(live.exports().empty());
  EXPECT_TRUE(ends_with_trailer(read_bytes(live.exports().front())));
  InstanceUnderTest inst(plugin_path(), plugin_config(live.dir(), {{"rows_per_poll", 25}}));
  std::vector<PolledRecord> got;
  std::string cursor;
  int partial_seen = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline) {
    // Freeze the writer, read everything there is, check where the cursor stopped.
    live.process().signal(SIGSTOP);
    while (process_state(live.process().pid()) != 'T') std::this_thread::yield();
    const bool done = stat(live.stats(), "exports_written") == stat(live.stats(), "exports_total");
    auto part = drain(inst, cursor);
    for (auto& r : part.records) got.push_back(std::move(r));
    cursor = part.cursor;
    auto files = live.exports();
    const std::string last = read_bytes(files.back());
    if (!ends_with_trailer(last) && !cursor.empty()) {
      auto c = json::parse(cursor).as_object();
      ASSERT_EQ(std::string(c.at("file").as_string()), files.back().filename().string());
      EXPECT_FALSE(c.at("complete").as_bool()) << "no trailer yet: the file is not finished";
      auto offset = static_cast<size_t>(c.at("offset").to_number<std::int64_t>());
      ASSERT_LE(offset, last.size());
      if (offset > 0) {
        EXPECT_EQ(last.substr(offset - 2, 2), "\r\n") << "the cursor stops just after a complete row";
        if (offset < last.size()) ++partial_seen;  // bytes of an unfinished row were left for later
      }
    }
    live.process().signal(SIGCONT);
    if (done) break;
  }
  auto rest = drain(inst, cursor);
  for (auto& r : rest.records) got.push_back(std::move(r));
  EXPECT_GT(partial_seen, 0) << "the test never caught a half-written row";
  ASSERT_EQ(got.size(), expected.size()) << "a paced, chunked run yields exactly the rows of an all-at-once run";
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].external_id, expected[i].external_id) << i;
    EXPECT_EQ(got[i].raw, expected[i].raw) << i;
    EXPECT_EQ(got[i].error, expected[i].error) << i;
  }
}

TEST(XinfangQuirks, SameVersionAgainIsAResendAndANewerVersionIsAnUpdate) {
  SimRun sim({.records = 300, .seed = 33, .rows_per_export = 80, .resend_rate = 0.3});
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.dir()));
  auto got = drain(inst).records;
  auto stats = sim.stats();
  std::map<std::string, const PolledRecord*> last;
  std::int64_t resent = 0, updates = 0;
  for (const auto& r : got) {
    ASSERT_TRUE(r.error.empty()) << r.error;
    auto& prev = last[r.external_id];
    if (prev) {
      if (prev->mapped->version == r.mapped->version) {
        ++resent;
        EXPECT_EQ(prev->raw, r.raw) << r.external_id << ": a re-sent row is the same row";
      } else {
        ++updates;
        EXPECT_LT(prev->mapped->version, r.mapped->version) << r.external_id << ": versions only grow";
        EXPECT_LT(prev->mapped->updated_at, r.mapped->updated_at) << r.external_id;
        EXPECT_EQ(prev->mapped->received_at, r.mapped->received_at) << "same petition, same 登记日期";
        EXPECT_LT(extra(*prev).at("upstream_version").to_number<int>(),
                  extra(r).at("upstream_version").to_number<int>());
      }
    }
    prev = &r;
  }
  EXPECT_EQ(last.size(), 300u);
  EXPECT_GT(resent, 10);
  EXPECT_EQ(resent, stat(stats, "resent_rows"));
  EXPECT_GT(updates, 300);
  // Every row with version > 1 that is not a re-send, minus first sightings past v1.
  std::int64_t first_seen_later = 0;
  std::set<std::string> seen;
  for (const auto& r : got) {
    if (seen.insert(r.external_id).second && extra(r).at("upstream_version").to_number<int>() > 1) ++first_seen_later;
  }
  EXPECT_EQ(updates + first_seen_later, stat(stats, "update_rows"));
}

TEST(XinfangQuirks, MalformedRowsAreRejectedWithRawBytesAndReason) {
  SimRun sim({.records = 400, .seed = 34, .rows_per_export = 100, .malformed_rate = 0.3});
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.dir()));
  auto got = drain(inst).records;
  auto stats = sim.stats();
  std::string all_bytes;
  for (const auto& f : sim.exports()) all_bytes += read_bytes(f);
  std::map<std::string, int> kinds;
  std::int64_t rejected = 0, bad_id = 0;
  for (const auto& r : got) {
    if (r.error.empty()) {
      if (extra(r).contains("id_number_invalid")) {
        ++bad_id;
        EXPECT_EQ(r.mapped->reporter.id_number, "") << "an ID number failing its check is dropped";
        EXPECT_FALSE(r.mapped->reporter.name.empty()) << "the rest of the record is kept";
      }
      continue;
    }
    ++rejected;
    EXPECT_FALSE(r.mapped.has_value());
    ASSERT_FALSE(r.raw.empty());
    EXPECT_TRUE(contains(all_bytes, r.raw + "\r\n")) << "raw is the row's bytes as written";
    EXPECT_TRUE(contains(r.error, "XF_EXPORT_") && contains(r.error, " line ")) << r.error;
    if (contains(r.error, "fields, the header has 17"))
      ++kinds["column count"];
    else if (contains(r.error, "bad date in 登记日期: '2026-02-30"))
      ++kinds["impossible date"];
    else if (contains(r.error, "field 内容摘要 is not valid"))
      ++kinds["bad bytes"];
    else if (contains(r.error, "empty 信访件编号")) {
      ++kinds["empty id"];
      EXPECT_EQ(r.external_id, "");
    } else if (contains(r.error, "版本 is not a positive integer: 'V"))
      ++kinds["bad version"];
    else
      ADD_FAILURE() << "unexpected reason: " << r.error;
    if (!contains(r.error, "empty 信访件编号")) {
      EXPECT_EQ(r.external_id.rfind("XF-2026-", 0), 0u) << r.error;
    }
  }
  EXPECT_EQ(rejected, stat(stats, "malformed_rows"));
  EXPECT_EQ(bad_id, stat(stats, "invalid_id_rows"));
  EXPECT_GT(bad_id, 0);
  EXPECT_EQ(static_cast<std::int64_t>(mapped_ids(got).size()), stat(stats, "distinct_valid_petitions"));
  for (const char* kind : {"column count", "impossible date", "bad bytes", "empty id", "bad version"})
    EXPECT_GT(kinds[kind], 0) << "no rejection for " << kind;
}

TEST(XinfangQuirks, Utf8ExportWithByteOrderMarkIsDetectedAndReadAlike) {
  SimRun gbk({.records = 200, .seed = 35, .rows_per_export = 30});
  SimRun mixed({.records = 200, .seed = 35, .rows_per_export = 30, .bom_rate = 0.5});
  size_t bom_files = 0;
  for (const auto& f : mixed.exports()) bom_files += read_bytes(f).rfind("\xEF\xBB\xBF", 0) == 0;
  EXPECT_GT(bom_files, 2u);
  EXPECT_EQ(static_cast<std::int64_t>(bom_files), stat(mixed.stats(), "bom_exports"));
  InstanceUnderTest a(plugin_path(), plugin_config(gbk.dir()));
  InstanceUnderTest b(plugin_path(), plugin_config(mixed.dir()));
  auto from_gbk = drain(a).records;
  auto from_mixed = drain(b).records;
  ASSERT_EQ(from_gbk.size(), from_mixed.size());
  size_t differing_raw = 0;
  for (size_t i = 0; i < from_gbk.size(); ++i) {
    ASSERT_TRUE(from_mixed[i].error.empty()) << from_mixed[i].error;
    EXPECT_EQ(yizhan::sdk::to_json(*from_gbk[i].mapped), yizhan::sdk::to_json(*from_mixed[i].mapped)) << i;
    differing_raw += from_gbk[i].raw != from_mixed[i].raw;
  }
  EXPECT_GT(differing_raw, 0u) << "some rows came from UTF-8 files, with other bytes and the same meaning";
}

TEST(XinfangQuirks, CursorNamingARemovedExportIsAnErrorUnlessSkippingIsAllowed) {
  SimRun sim({.records = 120, .seed = 36, .rows_per_export = 40});
  auto files = sim.exports();
  ASSERT_GT(files.size(), 3u);
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.dir(), {{"rows_per_poll", 10}}));
  auto first = inst.poll("");
  ASSERT_EQ(first.code, YZ_OK) << first.message;
  auto c = json::parse(first.next_cursor).as_object();
  ASSERT_EQ(std::string(c.at("file").as_string()), files[0].filename().string());
  fs::remove(files[0]);
  auto refused = inst.poll(first.next_cursor);
  EXPECT_EQ(refused.code, YZ_E_CURSOR_INVALID);
  EXPECT_TRUE(contains(refused.message, files[0].filename().string())) << refused.message;
  EXPECT_TRUE(contains(refused.message, files[1].filename().string())) << refused.message;
  EXPECT_TRUE(contains(refused.message, "skip_missing_files")) << refused.message;

  InstanceUnderTest skipping(plugin_path(),
                             plugin_config(sim.dir(), {{"rows_per_poll", 10}, {"skip_missing_files", true}}));
  auto next = skipping.poll(first.next_cursor);
  ASSERT_EQ(next.code, YZ_OK) << next.message;
  ASSERT_FALSE(next.records.empty());
  EXPECT_EQ(std::string(json::parse(next.next_cursor).at("file").as_string()), files[1].filename().string());
}

TEST(XinfangQuirks, StagesMoveThroughStatusesWithTheirStatutoryDatesInExtra) {
  SimRun sim({.records = 300, .seed = 37, .rows_per_export = 100});
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.dir()));
  auto got = drain(inst).records;
  const std::map<std::string, std::string> status = {
      {"登记", "received"},   {"受理", "dispatched"}, {"办理", "in_progress"}, {"答复", "replied"},
      {"不予受理", "closed"}, {"复查", "supervised"}, {"复核", "supervised"}};
  std::map<std::string, int> stages;
  for (const auto& r : got) {
    ASSERT_TRUE(r.error.empty()) << r.error;
    auto x = extra(r);
    const std::string stage(x.at("stage").as_string());
    ++stages[stage];
    EXPECT_EQ(r.mapped->status, status.at(stage)) << stage;
    EXPECT_EQ(std::string(x.at("registered_on").as_string()), r.mapped->received_at.substr(0, 10));
    const bool accepted = stage == "受理" || stage == "办理" || stage == "答复" || stage == "复查" || stage == "复核";
    EXPECT_EQ(x.contains("accepted_on"), accepted) << stage;
    EXPECT_EQ(x.contains("answered_on"), stage == "答复" || stage == "复查" || stage == "复核") << stage;
    EXPECT_EQ(x.contains("handling_unit"), stage != "登记") << stage;
    if (accepted) {
      EXPECT_LE(std::string(x.at("registered_on").as_string()), std::string(x.at("accepted_on").as_string()));
    }
    EXPECT_EQ(r.mapped->place.division_code.rfind("140929", 0), 0u);
    EXPECT_EQ(r.mapped->place.division_year, 2023);
    EXPECT_TRUE(r.mapped->channel == "来信" || r.mapped->channel == "来访" || r.mapped->channel == "网上");
  }
  for (const char* s : {"登记", "受理", "办理", "答复", "不予受理", "复查"}) EXPECT_GT(stages[s], 0) << s;
}

TEST(XinfangQuirks, SharedMattersBecomeOwnPetitionsAndTheTruthNamesThem) {
  auto work = fresh_dir("shared");
  fs::create_directories(work);
  {
    std::ofstream m(work / "matters.jsonl");
    m << R"({"key":"M-0007","title":"土地承包纠纷","description":"村民反映与邻村因承包地界发生纠纷，多次协商未果，请求调处","category":"矛盾纠纷/土地","division_code":"140929100201","grid_id":"G-140929100201-02","address":"岢岚县岚漪镇西街村","reporter":{"name":"王秀英","phone":"13812341234","id_number":"140929196704282043"},"at":"2026-03-01T09:12:33+08:00"})"
      << "\n"
      << R"({"key":"M-0010","title":"拖欠工资","description":"工人反映某工地拖欠工资三个月","category":"矛盾纠纷/劳资","division_code":"140929400001","address":"岢岚县东城社区","reporter":{"name":"李堃","phone":"13900001111","id_number":""},"at":"2026-03-02T15:00:00+08:00"})"
      << "\n";
  }
  SimRun sim({.records = 50, .seed = 38, .shared_matters = work / "matters.jsonl", .truth_out = work / "truth.json"});
  auto truth = json::parse(read_bytes(work / "truth.json")).as_object();
  ASSERT_EQ(truth.size(), 2u);
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.dir()));
  auto got = drain(inst).records;
  EXPECT_EQ(mapped_ids(got).size(), 52u);
  std::map<std::string, std::string> key_of;
  for (const auto& kv : truth) key_of[kv.key()] = std::string(kv.value().as_string());
  std::set<std::string> keys_seen;
  for (const auto& r : got) {
    auto k = key_of.find(r.external_id);
    if (k == key_of.end()) continue;
    keys_seen.insert(k->second);
    EXPECT_FALSE(contains(r.raw, k->second)) << "nothing in the export names the key";
    if (k->second == "M-0007") {
      EXPECT_EQ(r.mapped->reporter.phone, "13812341234");
      EXPECT_EQ(r.mapped->reporter.id_number, "140929196704282043");
      EXPECT_EQ(r.mapped->place.division_code, "140929100201");
      EXPECT_EQ(r.mapped->category, "矛盾纠纷/土地");
      EXPECT_TRUE(contains(r.mapped->description, "承包地界")) << r.mapped->description;
      EXPECT_TRUE(contains(r.mapped->description, "反映：")) << "reworded by 信访 staff";
      EXPECT_GE(r.mapped->received_at, std::string("2026-03-01T09:12:33+08:00"));
    } else {
      EXPECT_EQ(r.mapped->reporter.name, "李堃");
      EXPECT_EQ(r.mapped->category, "矛盾纠纷/劳资");
    }
  }
  EXPECT_EQ(keys_seen, (std::set<std::string>{"M-0007", "M-0010"}));
  fs::remove_all(work);
}

}  // namespace
}  // namespace xinfang_test
