// Write-back (the sink capability, ABI 1.2): the plugin drops a receipt file per delivery
// into the folder the 信访 system imports from, and the real simulator imports it.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <mutex>
#include <set>
#include <yizhan/sdk/host.hpp>

#include "sim_process.hpp"
#include "text_encoding.hpp"

namespace xinfang_test {
namespace {
namespace json = boost::json;
namespace fs = std::filesystem;
using yizhan::plugins::xinfang::FromUtf8;
using yizhan::plugins::xinfang::ToUtf8;
using yizhan::sdk::testkit::DeliveryCall;
using yizhan::sdk::testkit::InstanceUnderTest;

SimFlags with_import(std::uint64_t seed) {
  return {.records = 30, .seed = seed, .once = false, .interval_ms = 0, .import = true};
}

std::string config_for(const fs::path& inbox, const fs::path& import_dir) {
  return plugin_config(inbox, {{"import_dir", import_dir.string()},
                               {"unit_map", json::object{{"nyncj", "岢岚县农业农村局"}, {"xfj", "岢岚县信访局"}}}});
}

// A petition the sim really reported, as the hub would know it: the first one polled.
std::string first_petition(InstanceUnderTest& inst) {
  auto b = inst.poll("");
  if (b.code != YZ_OK || b.records.empty()) throw std::runtime_error("no petition polled: " + b.message);
  return b.records.front().external_id;
}

// A write-back as the hub's outbox makes it.
DeliveryCall write_back(const std::string& delivery_id, const std::string& kind, const std::string& petition,
                        const json::object& overrides = {}) {
  json::object p{{"delivery_id", delivery_id},
                 {"kind", kind},
                 {"case_id", 17},
                 {"external_id", petition},
                 {"status", kind},
                 {"at", "2026-03-01T01:12:33Z"},
                 {"actor", "wang.li"},
                 {"reason", ""},
                 {"departments", json::array{"nyncj"}},
                 {"text", ""},
                 {"rating", ""}};
  for (const auto& kv : overrides) p[kv.key()] = kv.value();
  return {delivery_id, kind, petition, json::serialize(p)};
}

std::string config_without_import_dir() {
  auto cfg = json::parse(plugin_config("/tmp")).as_object();
  cfg.erase("import_dir");
  return json::serialize(cfg);
}

// Files the sim has dealt with: imported (moved to processed/) or failed (moved to failed/).
// Waiting on both lets a test fail at once, not at the deadline, when a file is refused.
std::int64_t handled(const json::object& summary) {
  return stat(summary, "files_imported") + stat(summary, "failed_files");
}

std::string str(const json::object& o, const char* key) { return std::string(o.at(key).as_string()); }

// The receipt files (XF_IMPORT_*.csv and temporary names) directly in `dir`.
std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file()) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(XinfangWriteBack, DescriptorDeclaresTheSinkCapability) {
  InstanceUnderTest inst(plugin_path(), config_without_import_dir());
  const yz_plugin_descriptor* d = &inst.descriptor();
  EXPECT_TRUE(d->capabilities & YZ_CAP_SOURCE);
  EXPECT_TRUE(d->capabilities & YZ_CAP_SINK);
  ASSERT_NE(yizhan::sdk::host::sink_vtable(*d), nullptr);
  EXPECT_NE(yizhan::sdk::host::sink_vtable(*d)->deliver, nullptr);
  std::set<std::string> keys;
  for (uint32_t i = 0; i < d->config_count; ++i) keys.insert(d->config[i].key);
  for (const char* key : {"import_dir", "import_encoding", "kind_map", "unit_map"})
    EXPECT_TRUE(keys.contains(key)) << key;
}

TEST(XinfangWriteBack, ClosureIsImportedOnceWithItsFields) {
  SimRun sim(with_import(51));
  InstanceUnderTest inst(plugin_path(), config_for(sim.dir(), sim.import_dir()));
  const std::string petition = first_petition(inst);
  auto out = inst.deliver(write_back("yz-1", "closed", petition,
                                     {{"text", "已协调返还承包地, 信访人王堃认可。\n结案。"},
                                      {"reason", "办结"},
                                      {"departments", json::array{"nyncj", "town-140929100"}}}));
  ASSERT_EQ(out.code, YZ_OK) << out.message;
  auto s = sim.wait_for_import([](const json::object& s) { return handled(s) >= 1; });
  EXPECT_EQ(stat(s, "accepted"), 1);
  EXPECT_EQ(stat(s, "duplicates"), 0);
  EXPECT_EQ(stat(s, "rejected"), 0);
  EXPECT_EQ(stat(s, "failed_files"), 0);
  auto got = sim.imported();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(str(got[0], "回执编号"), "yz-1");
  EXPECT_EQ(str(got[0], "信访件编号"), petition);
  EXPECT_EQ(str(got[0], "办理类型"), "办结");
  EXPECT_EQ(str(got[0], "办理时间"), "2026-03-01 09:12:33") << "UTC made Beijing time";
  EXPECT_EQ(str(got[0], "办理单位"), "岢岚县农业农村局、town-140929100") << "unit_map, unlisted ids as they are";
  EXPECT_EQ(str(got[0], "操作人"), "wang.li");
  EXPECT_EQ(str(got[0], "内容"), "已协调返还承包地, 信访人王堃认可。\r\n结案。");
  EXPECT_EQ(str(got[0], "满意度"), "");
  EXPECT_EQ(str(got[0], "说明"), "办结");
  EXPECT_EQ(str(got[0], "平台案件号"), "17");
  EXPECT_EQ(str(got[0], "文件"), "XF_IMPORT_20260301_091233_yz-1.csv");
  // Moved to processed/, nothing left behind (no temporary file either).
  EXPECT_EQ(files_in(sim.import_dir()), std::vector<std::string>{});
  EXPECT_EQ(files_in(sim.import_dir() / "processed"), std::vector<std::string>{"XF_IMPORT_20260301_091233_yz-1.csv"});
}

TEST(XinfangWriteBack, ReceiptFilesAreGbkWithCrlfAndATrailer) {
  SimRun sim(with_import(52));
  InstanceUnderTest inst(plugin_path(), config_for(sim.dir(), sim.import_dir()));
  const std::string petition = first_petition(inst);
  const std::string text = "已答复信访人王堃：承包地已返还";
  ASSERT_EQ(inst.deliver(write_back("yz-2", "replied", petition, {{"text", text}})).code, YZ_OK);
  sim.wait_for_import([](const json::object& s) { return handled(s) >= 1; });
  const std::string bytes = read_bytes(sim.import_dir() / "processed" / "XF_IMPORT_20260301_091233_yz-2.csv");
  EXPECT_FALSE(ToUtf8("UTF-8").convert(bytes).has_value()) << "not UTF-8";
  EXPECT_EQ(bytes.find(text), std::string::npos);
  EXPECT_NE(bytes.find("\xB4\xF0\xB8\xB4"), std::string::npos) << "答复 in GBK";
  auto decoded = ToUtf8("GB18030").convert(bytes);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded,
            "回执编号,信访件编号,办理类型,办理时间,办理单位,操作人,内容,满意度,说明,平台案件号\r\n"
            "yz-2," +
                petition + ",答复,2026-03-01 09:12:33,岢岚县农业农村局,wang.li," + text + ",,,17\r\n#END,1\r\n");
  EXPECT_EQ(str(sim.imported().at(0), "内容"), text);
}

TEST(XinfangWriteBack, SameDeliveryAgainAfterTheImportIsCountedAsADuplicate) {
  SimRun sim(with_import(53));
  InstanceUnderTest inst(plugin_path(), config_for(sim.dir(), sim.import_dir()));
  const auto call = write_back("yz-3", "closed", first_petition(inst), {{"text", "办结"}});
  ASSERT_EQ(inst.deliver(call).code, YZ_OK);
  sim.wait_for_import([](const json::object& s) { return handled(s) >= 1; });
  // The hub did not hear the OK (a timeout) and delivers it again.
  ASSERT_EQ(inst.deliver(call).code, YZ_OK);
  auto s = sim.wait_for_import([](const json::object& s) { return handled(s) >= 2; });
  EXPECT_EQ(stat(s, "accepted"), 1);
  EXPECT_EQ(stat(s, "duplicates"), 1);
  EXPECT_EQ(sim.imported().size(), 1u);
  EXPECT_EQ(files_in(sim.import_dir() / "processed").size(), 2u) << "the system keeps both files";
}

TEST(XinfangWriteBack, SameDeliveryTwiceBeforeTheImportReplacesTheFile) {
  SimRun sim(with_import(54));
  InstanceUnderTest inst(plugin_path(), config_for(sim.dir(), sim.import_dir()));
  const auto call = write_back("yz-4", "closed", first_petition(inst), {{"text", "办结"}});
  sim.freeze();
  ASSERT_EQ(inst.deliver(call).code, YZ_OK);
  ASSERT_EQ(inst.deliver(call).code, YZ_OK);
  EXPECT_EQ(files_in(sim.import_dir()), std::vector<std::string>{"XF_IMPORT_20260301_091233_yz-4.csv"});
  sim.thaw();
  sim.wait_for_import([](const json::object& s) { return handled(s) >= 1; });
  auto s = sim.wait_for_fresh_scan();
  EXPECT_EQ(stat(s, "files_imported"), 1);
  EXPECT_EQ(stat(s, "accepted"), 1);
  EXPECT_EQ(stat(s, "duplicates"), 0);
  EXPECT_EQ(sim.imported().size(), 1u);
}

TEST(XinfangWriteBack, MissingImportFolderIsAnUpstreamErrorAndTheRetryIsImportedOnce) {
  SimRun sim(with_import(55));
  InstanceUnderTest inst(plugin_path(), config_for(sim.dir(), sim.import_dir()));
  const auto call = write_back("yz-5", "closed", first_petition(inst), {{"text", "办结"}});
  sim.import_share_down();
  auto out = inst.deliver(call);
  EXPECT_EQ(out.code, YZ_E_UPSTREAM);
  EXPECT_NE(out.message.find(sim.import_dir().string()), std::string::npos) << out.message;
  auto s = sim.wait_for_import([](const json::object& s) { return stat(s, "unavailable_scans") >= 1; });
  EXPECT_FALSE(s.at("import_dir_available").as_bool());
  EXPECT_FALSE(fs::exists(sim.import_dir())) << "the plugin never creates the mount point";
  EXPECT_EQ(files_in(sim.import_share_parked()), std::vector<std::string>{}) << "nothing written anywhere";
  // A second attempt while down fails the same way.
  EXPECT_EQ(inst.deliver(call).code, YZ_E_UPSTREAM);

  sim.import_share_up();
  s = sim.wait_for_fresh_scan();
  EXPECT_TRUE(s.at("import_dir_available").as_bool());
  EXPECT_EQ(stat(s, "accepted"), 0) << "nothing was imported while the share was down";
  out = inst.deliver(call);  // the hub's retry
  ASSERT_EQ(out.code, YZ_OK) << out.message;
  s = sim.wait_for_import([](const json::object& s) { return handled(s) >= 1; });
  EXPECT_EQ(stat(s, "accepted"), 1);
  EXPECT_EQ(stat(s, "duplicates"), 0);
  ASSERT_EQ(sim.imported().size(), 1u);
  EXPECT_EQ(str(sim.imported()[0], "回执编号"), "yz-5");
}

TEST(XinfangWriteBack, UnknownPetitionIsRejectedByTheSystem) {
  SimRun sim(with_import(56));
  InstanceUnderTest inst(plugin_path(), config_for(sim.dir(), sim.import_dir()));
  // The plugin cannot know: the file is written, the system's import refuses the receipt.
  auto out = inst.deliver(write_back("yz-6", "replied", "XF-2099-999999", {{"text", "已答复"}}));
  ASSERT_EQ(out.code, YZ_OK) << out.message;
  auto s = sim.wait_for_import([](const json::object& s) { return handled(s) >= 1; });
  EXPECT_EQ(stat(s, "rejected"), 1);
  EXPECT_EQ(stat(s, "accepted"), 0);
  EXPECT_TRUE(sim.imported().empty());
  auto notes = sim.import_rejections();
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(str(notes[0], "代码"), "unknown_petition");
  EXPECT_EQ(str(notes[0], "回执编号"), "yz-6");
  EXPECT_EQ(str(notes[0], "信访件编号"), "XF-2099-999999");
  EXPECT_EQ(notes[0].at("行").to_number<int>(), 2);
}

TEST(XinfangWriteBack, ReceiptsAreImportedInTheOrderOfTheirSteps) {
  SimRun sim(with_import(57));
  InstanceUnderTest inst(plugin_path(), config_for(sim.dir(), sim.import_dir()));
  const std::string petition = first_petition(inst);
  // Delivery ids that sort the other way as text ("yz-10" < "yz-9"): the time leads the name.
  sim.freeze();  // all three land before the next scan
  ASSERT_EQ(inst.deliver(write_back("yz-9", "replied", petition, {{"at", "2026-03-10T01:00:00Z"}})).code, YZ_OK);
  ASSERT_EQ(inst.deliver(write_back("yz-10", "closed", petition, {{"at", "2026-03-10T02:00:00Z"}})).code, YZ_OK);
  ASSERT_EQ(inst.deliver(write_back("yz-11", "followed_up", petition,
                                    {{"at", "2026-03-12T03:00:00.250Z"}, {"rating", "basically_satisfied"}}))
                .code,
            YZ_OK);
  sim.thaw();
  sim.wait_for_import([](const json::object& s) { return handled(s) >= 3; });
  auto got = sim.imported();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(str(got[0], "回执编号"), "yz-9");
  EXPECT_EQ(str(got[1], "回执编号"), "yz-10");
  EXPECT_EQ(str(got[2], "回执编号"), "yz-11");
  EXPECT_EQ(str(got[0], "办理类型"), "答复");
  EXPECT_EQ(str(got[1], "办理类型"), "办结");
  EXPECT_EQ(str(got[2], "办理类型"), "回访");
  EXPECT_EQ(str(got[2], "满意度"), "基本满意");
  EXPECT_EQ(str(got[2], "办理时间"), "2026-03-12 11:00:00");
}

TEST(XinfangWriteBack, SimImportsAFileOnlyOnceItsTrailerIsThereAndIgnoresTemporaryNames) {
  SimRun sim(with_import(58));
  InstanceUnderTest inst(plugin_path(), config_for(sim.dir(), sim.import_dir()));
  const std::string petition = first_petition(inst);
  const std::string body = "回执编号,信访件编号,办理类型,办理时间,内容\r\nr-1," + petition +
                           ",交办,2026-03-02 10:00:00,\"转岢岚县农业农村局, 限期办理\"\r\n";
  auto gbk = FromUtf8("GBK").convert(body);
  ASSERT_TRUE(gbk.has_value());
  {
    std::ofstream(sim.import_dir() / "XF_IMPORT_half.csv", std::ios::binary) << gbk->bytes;
    std::ofstream(sim.import_dir() / ".XF_IMPORT_temp.csv.tmp", std::ios::binary) << gbk->bytes << "#END,1\r\n";
  }
  auto s = sim.wait_for_fresh_scan();
  EXPECT_EQ(stat(s, "waiting_files"), 1);
  EXPECT_EQ(stat(s, "files_imported"), 0);
  std::ofstream(sim.import_dir() / "XF_IMPORT_half.csv", std::ios::binary | std::ios::app) << "#END,1\r\n";
  s = sim.wait_for_import([](const json::object& s) { return handled(s) >= 1; });
  EXPECT_EQ(stat(s, "accepted"), 1);
  EXPECT_EQ(str(sim.imported().at(0), "内容"), "转岢岚县农业农村局, 限期办理");
  s = sim.wait_for_fresh_scan();
  EXPECT_EQ(stat(s, "files_imported"), 1) << "the temporary name is never imported";
  EXPECT_EQ(files_in(sim.import_dir()), std::vector<std::string>{".XF_IMPORT_temp.csv.tmp"});
}

// Without the sim: what the plugin refuses, and where it cannot write.
TEST(XinfangWriteBack, WithoutImportDirADeliveryIsRefusedSayingToSetIt) {
  InstanceUnderTest inst(plugin_path(), config_without_import_dir());
  auto out = inst.deliver(write_back("yz-20", "closed", "XF-2026-000001"));
  EXPECT_EQ(out.code, YZ_E_INVALID_ARGUMENT);
  EXPECT_NE(out.message.find("set import_dir"), std::string::npos) << out.message;
}

TEST(XinfangWriteBack, WriteBacksTheSystemCouldNeverTakeAreRefused) {
  auto dir = fresh_dir("import");
  fs::create_directories(dir);
  InstanceUnderTest inst(plugin_path(), config_for("/tmp", dir));
  auto refused = [&](DeliveryCall call, const std::string& what) {
    auto out = inst.deliver(call);
    EXPECT_EQ(out.code, YZ_E_INVALID_ARGUMENT) << what;
    EXPECT_NE(out.message.find(what), std::string::npos) << out.message;
  };
  refused(write_back("yz-21", "reopened", "XF-2026-000001"), "kind 'reopened'");
  refused(write_back("yz-22", "closed", "XF-2026-000001", {{"at", "yesterday"}}), "'at'");
  refused(write_back("yz-23", "followed_up", "XF-2026-000001", {{"rating", "great"}}), "'rating'");
  refused(write_back("yz-24", "closed", ""), "external_id");
  auto bad_json = write_back("yz-25", "closed", "XF-2026-000001");
  bad_json.payload_json = "not json";
  refused(bad_json, "not a JSON object");
  EXPECT_EQ(files_in(dir), std::vector<std::string>{});
  fs::remove_all(dir);
}

TEST(XinfangWriteBack, ImportDirThatIsNotAFolderIsAnUpstreamError) {
  auto dir = fresh_dir("import");
  fs::create_directories(dir);
  std::ofstream(dir / "file") << "x";
  InstanceUnderTest inst(plugin_path(), config_for("/tmp", dir / "file"));
  auto out = inst.deliver(write_back("yz-26", "closed", "XF-2026-000001"));
  EXPECT_EQ(out.code, YZ_E_UPSTREAM);
  EXPECT_NE(out.message.find("not a folder"), std::string::npos) << out.message;
  fs::remove_all(dir);
}

TEST(XinfangWriteBack, CharactersTheImportEncodingLacksBecomeQuestionMarks) {
  auto dir = fresh_dir("import");
  fs::create_directories(dir);
  auto cfg = json::parse(config_for("/tmp", dir)).as_object();
  cfg["import_encoding"] = "GBK";
  InstanceUnderTest inst(plugin_path(), json::serialize(cfg));
  ASSERT_EQ(inst.deliver(write_back("yz-27", "replied", "XF-2026-000001", {{"text", "已答复👍"}})).code, YZ_OK);
  auto decoded = ToUtf8("GBK").convert(read_bytes(dir / "XF_IMPORT_20260301_091233_yz-27.csv"));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_NE(decoded->find(",已答复?,"), std::string::npos) << *decoded;
  fs::remove_all(dir);
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

TEST(XinfangWriteBack, LogsAndErrorsNeverShowPhoneOrIdNumbersInClear) {
  auto dir = fresh_dir("import");
  fs::create_directories(dir);
  CapturedLog captured;
  yz_host_api host{sizeof(yz_host_api), YZ_ABI_MAJOR, YZ_ABI_MINOR, &captured, &CapturedLog::log};
  const auto* d = yizhan::sdk::host::load_plugin(plugin_path(), &host).descriptor;
  auto check = yizhan::sdk::host::validate_config(*d, "kelan_xinfang", config_for("/tmp", dir));
  ASSERT_TRUE(check.errors.empty());
  void* instance = nullptr;
  std::string name = "kelan_xinfang";
  auto st = d->source->create(&host, {name.data(), name.size()},
                              {check.normalized_json.data(), check.normalized_json.size()}, &instance);
  ASSERT_EQ(st.code, YZ_OK) << st.message;
  const std::string phone = "13812341234", id_number = "140929196704282043";
  const auto* sink = yizhan::sdk::host::sink_vtable(*d);
  auto deliver = [&](const DeliveryCall& c) {
    yz_delivery dl{sizeof(yz_delivery),
                   {c.delivery_id.data(), c.delivery_id.size()},
                   {c.kind.data(), c.kind.size()},
                   {c.external_id.data(), c.external_id.size()},
                   {c.payload_json.data(), c.payload_json.size()}};
    return sink->deliver(instance, &dl);
  };
  const auto call = write_back(
      "yz-28", "replied", "XF-2026-000001",
      {{"text", "已电话联系信访人(" + phone + ", 身份证 " + id_number + ")"}, {"reason", "联系电话 " + phone}});
  std::vector<std::string> messages;
  st = deliver(call);
  EXPECT_EQ(st.code, YZ_OK) << st.message;
  fs::remove_all(dir);  // the share goes down
  st = deliver(call);
  EXPECT_EQ(st.code, YZ_E_UPSTREAM);
  messages.emplace_back(st.message);
  st = deliver(write_back("yz-29", "followed_up", "XF-2026-000001", {{"rating", phone}}));
  EXPECT_EQ(st.code, YZ_E_INVALID_ARGUMENT);
  d->source->destroy(instance);
  EXPECT_FALSE(captured.lines.empty()) << "each write-back is logged";
  for (const auto& line : captured.lines) messages.push_back(line);
  for (const auto& m : messages) {
    EXPECT_EQ(m.find(phone), std::string::npos) << m;
    EXPECT_EQ(m.find(id_number), std::string::npos) << m;
  }
}

}  // namespace
}  // namespace xinfang_test
