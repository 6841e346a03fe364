// Mapping one grid event: what a good one becomes, and why bad ones are rejected.
#include <gtest/gtest.h>

#include <yizhan/sdk/host.hpp>

#include "event_mapper.hpp"
#include "sim_process.hpp"

namespace zongzhi_test {
namespace {
namespace json = boost::json;
using namespace yizhan::plugins::zongzhi;

// The settings an instance gets from config.example.yaml, normalized as the hub does.
Settings example_settings(const json::object& overrides = {}) {
  const auto& d = *yizhan::sdk::host::load_plugin(plugin_path(), yizhan::sdk::host::null_host_api()).descriptor;
  auto check = yizhan::sdk::host::validate_config(d, "test", plugin_config("http://sim.local:8080", overrides));
  if (!check.errors.empty()) throw std::runtime_error(check.errors.front());
  return read_settings(yizhan::sdk::Config(check.normalized_json));
}

json::object good_event() {
  return json::parse(R"({"eventId":"SJ2026030100012","title":"西街村邻里排水纠纷",
    "content":"网格员巡查发现：西街村村民将院内污水排向邻户门口。","eventClass":"01","eventClassName":"平安建设",
    "eventType":"0103","eventTypeName":"矛盾纠纷-邻里纠纷","gridCode":"140929100201-03","gridName":"西街村第3网格",
    "villageCode":"140929100201","villageName":"西街村委会","townCode":"140929100","townName":"岚漪镇",
    "reporterName":"李建国","reporterId":"WGY14092910020103","partyName":"王秀英","partyPhone":"138-1234-1234",
    "partyIdNo":"140929196704282043","eventTime":1772320000000,"reportTime":1772327553000,
    "updateTime":1772413953123,"address":"岢岚县岚漪镇西街村12号附近","lat":38.701234,"lon":111.571234,
    "status":"40","statusName":"处置中","urgency":"2","urgencyName":"紧急","handleDept":"西街村调委会",
    "handleOpinion":"","returnReason":"","version":4})")
      .as_object();
}

std::string text(const json::object& o) { return json::serialize(o); }

TEST(ZongzhiMapping, MapsAGridEventToACaseRecord) {
  std::string raw = text(good_event());
  auto m = map_event(raw, example_settings());
  ASSERT_TRUE(m.record.error.empty()) << m.record.error;
  const auto& c = m.record.mapped;
  EXPECT_EQ(c.external_id, "SJ2026030100012");
  EXPECT_EQ(c.version, "1772413953123");
  EXPECT_EQ(c.title, "西街村邻里排水纠纷");
  EXPECT_EQ(c.category, "矛盾纠纷/邻里");
  EXPECT_EQ(c.channel, "网格员");
  EXPECT_EQ(c.status, "in_progress");
  EXPECT_EQ(c.urgency, "urgent");
  EXPECT_EQ(c.received_at, "2026-03-01T09:12:33+08:00");
  EXPECT_EQ(c.updated_at, "2026-03-02T09:12:33+08:00");
  EXPECT_EQ(c.url, "http://sim.local:8080/api/v2/events/SJ2026030100012");
  EXPECT_EQ(c.reporter.name, "王秀英") << "the reporter is the citizen involved, not the grid worker";
  EXPECT_EQ(c.reporter.phone, "13812341234");
  EXPECT_EQ(c.reporter.id_number, "140929196704282043");
  EXPECT_EQ(c.place.division_code, "140929100201");
  EXPECT_EQ(c.place.division_year, 2023);
  EXPECT_EQ(c.place.grid_id, "140929100201-03");
  EXPECT_DOUBLE_EQ(*c.place.lat, 38.701234);
  EXPECT_DOUBLE_EQ(*c.place.lon, 111.571234);
  auto extra = json::parse(c.extra_json).as_object();
  EXPECT_EQ(extra.at("grid_worker").at("name"), "李建国");
  EXPECT_EQ(extra.at("grid_worker").at("id"), "WGY14092910020103");
  EXPECT_EQ(extra.at("event_time"), "2026-03-01T07:06:40+08:00");
  EXPECT_EQ(extra.at("town_code"), "140929100");
  EXPECT_EQ(extra.at("upstream_version"), 4);
  EXPECT_FALSE(extra.contains("unmapped"));
  EXPECT_EQ(m.record.raw, raw);
  ASSERT_TRUE(m.at.has_value());
  EXPECT_EQ(*m.at, (Position{1772413953123, "SJ2026030100012"}));
}

TEST(ZongzhiMapping, ClassMapAppliesWhenTheSubtypeIsNotMapped) {
  auto o = good_event();
  o["eventClass"] = "03";
  o["eventType"] = "0301";
  auto m = map_event(text(o), example_settings());
  ASSERT_TRUE(m.record.error.empty()) << m.record.error;
  EXPECT_EQ(m.record.mapped.category, "公共服务");
}

TEST(ZongzhiMapping, UnmappedClassIsNotMalformedButNoted) {
  auto o = good_event();
  o["eventClass"] = "09";
  o["eventType"] = "0901";
  o["status"] = 77;  // codes may come as numbers
  auto m = map_event(text(o), example_settings());
  ASSERT_TRUE(m.record.error.empty()) << m.record.error;
  EXPECT_EQ(m.record.mapped.category, "");
  EXPECT_EQ(m.record.mapped.status, "");
  auto extra = json::parse(m.record.mapped.extra_json).as_object();
  EXPECT_EQ(extra.at("event_class"), "09");
  EXPECT_EQ(extra.at("status"), "77");
  EXPECT_EQ(extra.at("unmapped"), (json::array{"eventClass", "eventType", "status"}));
}

TEST(ZongzhiMapping, EmptyPartyLeavesTheReporterEmpty) {
  auto o = good_event();
  o["partyName"] = "";
  o["partyPhone"] = "";
  o["partyIdNo"] = nullptr;
  auto m = map_event(text(o), example_settings());
  ASSERT_TRUE(m.record.error.empty()) << m.record.error;
  EXPECT_EQ(m.record.mapped.reporter.name, "");
  EXPECT_EQ(m.record.mapped.reporter.phone, "");
  EXPECT_EQ(m.record.mapped.reporter.id_number, "");
}

TEST(ZongzhiMapping, InvalidIdNumberIsDroppedAndLoggedMasked) {
  auto o = good_event();
  o["partyIdNo"] = "140929196704282044";  // wrong check digit
  auto m = map_event(text(o), example_settings());
  ASSERT_TRUE(m.record.error.empty()) << m.record.error;
  EXPECT_EQ(m.record.mapped.reporter.id_number, "");
  ASSERT_EQ(m.warnings.size(), 1u);
  EXPECT_EQ(m.warnings[0].find("140929196704282044"), std::string::npos) << m.warnings[0];
  EXPECT_NE(m.warnings[0].find("140***********2044"), std::string::npos) << m.warnings[0];
}

TEST(ZongzhiMapping, MissingEventIdIsRejectedButStillHasAPosition) {
  auto o = good_event();
  o.erase("eventId");
  std::string raw = text(o);
  auto m = map_event(raw, example_settings());
  EXPECT_NE(m.record.error.find("missing eventId"), std::string::npos) << m.record.error;
  EXPECT_EQ(m.record.raw, raw);
  ASSERT_TRUE(m.at.has_value()) << "a rejected event still moves the cursor on";
  EXPECT_EQ(*m.at, (Position{1772413953123, ""}));
}

TEST(ZongzhiMapping, CoordinatesOutOfRangeAreRejected) {
  for (double lat : {387.01234, -98.7, 90.0001}) {
    auto o = good_event();
    o["lat"] = lat;
    auto m = map_event(text(o), example_settings());
    EXPECT_NE(m.record.error.find("lat"), std::string::npos) << lat << ": " << m.record.error;
    EXPECT_NE(m.record.error.find("out of range"), std::string::npos) << m.record.error;
  }
  auto o = good_event();
  o["lon"] = "111.57";
  EXPECT_NE(map_event(text(o), example_settings()).record.error.find("lon"), std::string::npos);
}

TEST(ZongzhiMapping, TimesMustBeEpochMilliseconds) {
  for (json::value bad :
       {json::value("2026-03-01 09:12:33"), json::value(-1), json::value(1772327553), json::value(5e15)}) {
    auto o = good_event();
    o["eventTime"] = bad;
    auto m = map_event(text(o), example_settings());
    EXPECT_NE(m.record.error.find("eventTime is not epoch milliseconds"), std::string::npos)
        << json::serialize(bad) << ": " << m.record.error;
  }
  auto o = good_event();
  o["updateTime"] = "soon";
  auto m = map_event(text(o), example_settings());
  EXPECT_NE(m.record.error.find("updateTime"), std::string::npos) << m.record.error;
  EXPECT_FALSE(m.at.has_value());
}

TEST(ZongzhiMapping, WrongTypesAndBadCodesAreRejectedNamingTheField) {
  auto o = good_event();
  o["title"] = json::object{{"zh", "标题"}};
  EXPECT_NE(map_event(text(o), example_settings()).record.error.find("field 'title' is an object"), std::string::npos);
  auto v = good_event();
  v["villageCode"] = "14092910O2O1";
  EXPECT_NE(map_event(text(v), example_settings()).record.error.find("villageCode"), std::string::npos);
  std::string raw = text(good_event());
  raw.insert(raw.find("西街村12号"), "\xFF\xFE");
  auto m = map_event(raw, example_settings());
  EXPECT_NE(m.record.error.find("field 'address' is not valid UTF-8"), std::string::npos) << m.record.error;
  EXPECT_EQ(m.record.raw, raw);
}

TEST(ZongzhiMapping, MappingTablesNamingUnknownVocabularyFailAtCreate) {
  EXPECT_THROW(example_settings({{"status_map", json::object{{"40", "doing"}}}}), yizhan::sdk::ConfigError);
  EXPECT_THROW(example_settings({{"subtype_map", json::object{{"0101", "土地"}}}}), yizhan::sdk::ConfigError);
  EXPECT_THROW(example_settings({{"utc_offset", "8"}}), yizhan::sdk::ConfigError);
  EXPECT_NO_THROW(example_settings({{"subtype_map", json::object{{"0199", "矛盾纠纷/其他"}}}}));
}

}  // namespace
}  // namespace zongzhi_test
