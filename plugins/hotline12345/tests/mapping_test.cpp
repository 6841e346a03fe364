// Mapping one upstream work order: what a good one becomes, and why bad ones are rejected.
#include <gtest/gtest.h>

#include <yizhan/sdk/host.hpp>
#include <yizhan/sdk/utf8.hpp>

#include "sim_process.hpp"
#include "work_order_mapper.hpp"

namespace hotline12345_test {
namespace {
namespace json = boost::json;
using namespace yizhan::plugins::hotline12345;

// The settings an instance gets from config.example.yaml, normalized as the hub does.
Settings example_settings(const json::object& overrides = {}) {
  const auto& d =
      *yizhan::sdk::host::load_plugin(plugin_path(), yizhan::sdk::host::null_host_api()).descriptor;
  auto check =
      yizhan::sdk::host::validate_config(d, "test", plugin_config("http://sim.local:8080", overrides));
  if (!check.errors.empty()) throw std::runtime_error(check.errors.front());
  return read_settings(yizhan::sdk::Config(check.normalized_json));
}

json::object good_order() {
  return json::
      parse(R"({"id":123,"gdbh":"12345-20260301-000123","bt":"小区暖气不热","nr":"来电人反映：暖气温度只有12度。",
    "lb":"0302","lbmc":"供暖问题","qy":"140929100200","qymc":"岚漪镇东街村委会","dz":"岢岚县岚漪镇岚漪路12号",
    "lxr":"王秀英","lxdh":"13812341234","sfzh":"140929196704282043","qd":"1","qdmc":"12345热线电话","zt":"03",
    "ztmc":"办理中","slsj":"2026-03-01 09:12:33","gxsj":"2026-03-02 10:00:05","gdlx":"求决","jjcd":"紧急",
    "cbdw":"岢岚县住房和城乡建设管理局","dfnr":"","bbh":3,"kzzd":"{\"sjly\":\"12345热线\",\"sfhf\":\"否\"}"})")
          .as_object();
}

std::string text(const json::object& o) { return json::serialize(o); }

TEST(Hotline12345Mapping, MapsAWorkOrderToACaseRecord) {
  std::string raw = text(good_order());
  auto m = map_work_order(raw, example_settings());
  ASSERT_TRUE(m.record.error.empty()) << m.record.error;
  const auto& c = m.record.mapped;
  EXPECT_EQ(m.record.external_id, "12345-20260301-000123");
  EXPECT_EQ(c.external_id, "12345-20260301-000123");
  EXPECT_EQ(c.version, "2026-03-02 10:00:05");
  EXPECT_EQ(c.title, "小区暖气不热");
  EXPECT_EQ(c.description, "来电人反映：暖气温度只有12度。");
  EXPECT_EQ(c.category, "公共服务");
  EXPECT_EQ(c.status, "in_progress");
  EXPECT_EQ(c.channel, "电话");
  EXPECT_EQ(c.urgency, "urgent");
  EXPECT_EQ(c.received_at, "2026-03-01T09:12:33+08:00");
  EXPECT_EQ(c.updated_at, "2026-03-02T10:00:05+08:00");
  EXPECT_EQ(c.url, "http://sim.local:8080/api/workorders/12345-20260301-000123");
  EXPECT_EQ(c.reporter.name, "王秀英");
  EXPECT_EQ(c.reporter.phone, "13812341234");
  EXPECT_EQ(c.reporter.id_number, "140929196704282043");
  EXPECT_EQ(c.place.division_code, "140929100200");
  EXPECT_EQ(c.place.division_year, 2023);
  EXPECT_EQ(c.place.address, "岢岚县岚漪镇岚漪路12号");
  auto extra = json::parse(c.extra_json).as_object();
  EXPECT_EQ(extra.at("gdlx"), "求决");
  EXPECT_EQ(extra.at("jjcd"), "紧急");
  EXPECT_EQ(extra.at("cbdw"), "岢岚县住房和城乡建设管理局");
  EXPECT_EQ(extra.at("bbh"), 3);
  EXPECT_EQ(extra.at("upstream_id"), 123);
  EXPECT_EQ(extra.at("kzzd").at("sfhf"), "否");
  EXPECT_FALSE(extra.contains("unmapped"));
  EXPECT_EQ(m.record.raw, raw);
  ASSERT_TRUE(m.at.has_value());
  EXPECT_EQ(m.at->after_id, 123u);
  EXPECT_EQ(m.at->updated_after->text, "2026-03-02 10:00:05");
  EXPECT_TRUE(m.warnings.empty());
}

TEST(Hotline12345Mapping, AnonymousCallerHasNoNameAndLandlineKeepsDigits) {
  auto o = good_order();
  o["lxr"] = "匿名";
  o["lxdh"] = "0350-5212345";
  o["sfzh"] = "";
  auto m = map_work_order(text(o), example_settings());
  ASSERT_TRUE(m.record.error.empty()) << m.record.error;
  EXPECT_EQ(m.record.mapped.reporter.name, "");
  EXPECT_EQ(m.record.mapped.reporter.phone, "03505212345");
  EXPECT_EQ(m.record.mapped.reporter.id_number, "");
}

TEST(Hotline12345Mapping, UnknownCodesLeaveFieldsEmptyAndAreNoted) {
  auto o = good_order();
  o["lb"] = "9999";
  o["zt"] = 42;  // codes may come as numbers
  auto m = map_work_order(text(o), example_settings());
  ASSERT_TRUE(m.record.error.empty()) << m.record.error;
  EXPECT_EQ(m.record.mapped.category, "");
  EXPECT_EQ(m.record.mapped.status, "");
  auto extra = json::parse(m.record.mapped.extra_json).as_object();
  EXPECT_EQ(extra.at("lb"), "9999");
  EXPECT_EQ(extra.at("zt"), "42");
  EXPECT_EQ(extra.at("unmapped"), (json::array{"lb", "zt"}));
}

TEST(Hotline12345Mapping, InvalidIdNumberIsDroppedAndLoggedMasked) {
  auto o = good_order();
  o["sfzh"] = "140929196704282044";  // wrong check digit
  auto m = map_work_order(text(o), example_settings());
  ASSERT_TRUE(m.record.error.empty()) << m.record.error;
  EXPECT_EQ(m.record.mapped.reporter.id_number, "");
  ASSERT_EQ(m.warnings.size(), 1u);
  EXPECT_EQ(m.warnings[0].find("140929196704282044"), std::string::npos) << m.warnings[0];
  EXPECT_NE(m.warnings[0].find("140***********2044"), std::string::npos) << m.warnings[0];
}

TEST(Hotline12345Mapping, RejectsMissingGdbhKeepingRawAndPosition) {
  auto o = good_order();
  o.erase("gdbh");
  std::string raw = text(o);
  auto m = map_work_order(raw, example_settings());
  EXPECT_NE(m.record.error.find("missing gdbh"), std::string::npos) << m.record.error;
  EXPECT_EQ(m.record.external_id, "");
  EXPECT_EQ(m.record.raw, raw);
  EXPECT_TRUE(m.at.has_value()) << "a rejected work order still moves the cursor on";
}

TEST(Hotline12345Mapping, RejectsInvalidUtf8NamingTheFieldAndKeepsTheBytes) {
  for (std::string bad : {"\xE5\x99", "\xC0\xAF", "\xFF\xFE", "\xED\xA0\x80", "\xF4\x90\x80\x80"}) {
    std::string raw = text(good_order());
    size_t at = raw.find("岚漪路");
    raw.insert(at, bad);
    auto m = map_work_order(raw, example_settings());
    EXPECT_NE(m.record.error.find("field 'dz' is not valid UTF-8"), std::string::npos) << m.record.error;
    EXPECT_EQ(m.record.external_id, "12345-20260301-000123");
    EXPECT_EQ(m.record.raw, raw) << "the raw payload is kept byte for byte";
    EXPECT_FALSE(yizhan::sdk::first_invalid_utf8(m.record.error).has_value()) << "the reason itself is text";
  }
}

TEST(Hotline12345Mapping, RejectsAbsurdlyLongTitle) {
  auto o = good_order();
  std::string title;
  while (yizhan::sdk::utf8_length(title) <= 10000) title += "请尽快处理！";
  o["bt"] = title;
  auto m = map_work_order(text(o), example_settings());
  EXPECT_NE(m.record.error.find("over max_title_chars 2000"), std::string::npos) << m.record.error;
  EXPECT_EQ(m.record.external_id, "12345-20260301-000123");
  auto lenient = map_work_order(text(o), example_settings({{"max_title_chars", 20000}}));
  EXPECT_TRUE(lenient.record.error.empty()) << lenient.record.error;
}

TEST(Hotline12345Mapping, RejectsDatesThatAreNotRealDates) {
  for (const char* bad : {"2026-02-30 25:61:00", "0000-00-00 00:00:00", "2026/03/01 09:12:33", "",
                          "1900-01-00", "2025-02-29 10:00:00", "2026-03-01T09:12:33", "2026-03-01 09:12"}) {
    auto o = good_order();
    o["slsj"] = bad;
    auto m = map_work_order(text(o), example_settings());
    EXPECT_NE(m.record.error.find("bad date in slsj"), std::string::npos) << bad << ": " << m.record.error;
  }
  auto leap = good_order();
  leap["slsj"] = "2024-02-29 23:59:59";
  EXPECT_TRUE(map_work_order(text(leap), example_settings()).record.error.empty());
  auto no_update = good_order();
  no_update["gxsj"] = "2026-13-01 00:00:00";
  auto m = map_work_order(text(no_update), example_settings());
  EXPECT_NE(m.record.error.find("bad date in gxsj"), std::string::npos) << m.record.error;
  EXPECT_FALSE(m.at.has_value());
}

TEST(Hotline12345Mapping, RejectsGarbageInsideFields) {
  auto wrong_type = good_order();
  wrong_type["qy"] = json::object{{"code", "140929100200"}, {"err", "ORA-01722: invalid number"}};
  auto m1 = map_work_order(text(wrong_type), example_settings());
  EXPECT_NE(m1.record.error.find("field 'qy' is an object"), std::string::npos) << m1.record.error;

  auto not_json = good_order();
  not_json["kzzd"] = "{sjly:12345热线,,sfhf:否\x01<!-- 00000000 -->";
  auto m2 = map_work_order(text(not_json), example_settings());
  EXPECT_NE(m2.record.error.find("field 'kzzd' is not a JSON object"), std::string::npos) << m2.record.error;

  auto bad_code = good_order();
  bad_code["qy"] = "14092910O2O0";
  auto m3 = map_work_order(text(bad_code), example_settings());
  EXPECT_NE(m3.record.error.find("not a division code"), std::string::npos) << m3.record.error;
}

TEST(Hotline12345Mapping, RejectsWhatIsNotAnObject) {
  for (std::string raw : {"[1,2]", "\"12345-20260301-000123\"", "{\"id\":1,", "null"}) {
    auto m = map_work_order(raw, example_settings());
    EXPECT_FALSE(m.record.error.empty()) << raw;
    EXPECT_EQ(m.record.raw, raw);
  }
}

TEST(Hotline12345Settings, MappingTablesMustNameHubVocabulary) {
  EXPECT_THROW(example_settings({{"status_map", json::object{{"03", "doing"}}}}), yizhan::sdk::ConfigError);
  EXPECT_THROW(example_settings({{"channel_map", json::object{{"1", "phone"}}}}), yizhan::sdk::ConfigError);
  EXPECT_THROW(example_settings({{"urgency_map", json::object{{"紧急", "high"}}}}), yizhan::sdk::ConfigError);
  EXPECT_THROW(example_settings({{"base_url", "https://gateway"}}), yizhan::sdk::ConfigError);
  EXPECT_THROW(example_settings({{"utc_offset", "CST"}}), yizhan::sdk::ConfigError);
  EXPECT_THROW(example_settings({{"initial_updated_after", "yesterday"}}), yizhan::sdk::ConfigError);
  try {
    example_settings({{"status_map", json::object{{"03", "doing"}}}});
  } catch (const yizhan::sdk::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("status_map: '03' maps to 'doing'"), std::string::npos) << e.what();
  }
}

TEST(Hotline12345Utf8, AcceptsWellFormedAndFindsTheFirstBadByte) {
  EXPECT_FALSE(yizhan::sdk::first_invalid_utf8("plain ascii").has_value());
  EXPECT_FALSE(yizhan::sdk::first_invalid_utf8("噪音扰民 漏水 😀").has_value());
  EXPECT_EQ(yizhan::sdk::first_invalid_utf8("ab\xE5\x99"), 2u);        // truncated
  EXPECT_EQ(yizhan::sdk::first_invalid_utf8("a\xC0\xAF"), 1u);         // overlong '/'
  EXPECT_EQ(yizhan::sdk::first_invalid_utf8("\xED\xA0\x80"), 0u);      // surrogate
  EXPECT_EQ(yizhan::sdk::first_invalid_utf8("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(yizhan::sdk::first_invalid_utf8("漏\x80"), 3u);            // stray continuation
  EXPECT_EQ(yizhan::sdk::utf8_length("噪音abc"), 5u);
  EXPECT_EQ(yizhan::sdk::printable_utf8(std::string("a\xFF") + "b"), "a?b");
}

}  // namespace
}  // namespace hotline12345_test
