// One row to one CaseRecord: fields, codes, dates, and every rejection reason.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <yizhan/sdk/config.hpp>
#include <yizhan/sdk/host.hpp>

#include "petition_mapper.hpp"
#include "sim_process.hpp"

namespace yizhan::plugins::xinfang {
namespace {
namespace json = boost::json;

Settings example_settings() {
  auto cfg = json::parse(sdk::host::yaml_file_to_json(xinfang_test::example_config_path())).as_object();
  cfg["columns"] = json::object{};
  cfg["rows_per_poll"] = 500;
  cfg["skip_missing_files"] = false;
  cfg["division_year"] = 2023;
  return read_settings(sdk::Config(json::serialize(cfg)));
}

struct XinfangMapping : ::testing::Test {
  Settings settings = example_settings();
  ToUtf8 utf8{"UTF-8"};
  HeaderLayout layout;
  std::vector<std::string> row = {"XF-2026-000123",
                                  "2026-03-01 09:12:33",
                                  "王堃",
                                  "138-1234-1234",
                                  "140929196704282043",
                                  "来访",
                                  "140929100200",
                                  "岢岚县岚漪镇东街村1号",
                                  "1001",
                                  "反映承包地被占用",
                                  "来访人反映：承包地, 被占用",
                                  "受理",
                                  "岢岚县农业农村局",
                                  "2026-03-05",
                                  "",
                                  "2026-03-05 10:00:00",
                                  "2"};
  XinfangMapping() {
    layout.field_count = row.size();
    for (size_t i = 0; i < kColumnCount; ++i) layout.index[i] = i;
  }
  MappedPetition map() {
    CsvRow r;
    r.fields = row;
    r.raw = "raw-row-bytes";
    return map_petition_row(r, {settings, layout, utf8, "XF_EXPORT_20260305_100500.csv", 7});
  }
};

TEST_F(XinfangMapping, MapsEveryColumn) {
  auto m = map();
  ASSERT_EQ(m.record.error, "");
  const auto& c = m.record.mapped;
  EXPECT_EQ(c.external_id, "XF-2026-000123");
  EXPECT_EQ(c.version, "000000002 2026-03-05 10:00:00");
  EXPECT_EQ(c.received_at, "2026-03-01T09:12:33+08:00");
  EXPECT_EQ(c.updated_at, "2026-03-05T10:00:00+08:00");
  EXPECT_EQ(c.category, "矛盾纠纷/土地");
  EXPECT_EQ(c.channel, "来访");
  EXPECT_EQ(c.status, "dispatched");
  EXPECT_EQ(c.reporter.name, "王堃");
  EXPECT_EQ(c.reporter.phone, "13812341234");
  EXPECT_EQ(c.reporter.id_number, "140929196704282043");
  EXPECT_EQ(c.place.division_code, "140929100200");
  EXPECT_EQ(c.place.division_year, 2023);
  EXPECT_EQ(c.description, "来访人反映：承包地, 被占用");
  auto x = json::parse(c.extra_json).as_object();
  EXPECT_EQ(x.at("registered_on"), "2026-03-01");
  EXPECT_EQ(x.at("accepted_on"), "2026-03-05");
  EXPECT_FALSE(x.contains("answered_on"));
  EXPECT_EQ(x.at("stage"), "受理");
  EXPECT_EQ(x.at("handling_unit"), "岢岚县农业农村局");
  EXPECT_EQ(m.record.raw, "raw-row-bytes");
}

TEST_F(XinfangMapping, VersionsSortAsTextInUpstreamOrder) {
  row[16] = "9";
  std::string v9 = map().record.mapped.version;
  row[16] = "10";
  row[15] = "2026-03-06 10:00:00";
  EXPECT_LT(v9, map().record.mapped.version);
}

TEST_F(XinfangMapping, UnknownCodesAreKeptAndNamedNotRejected) {
  row[8] = "9001";
  row[11] = "转送";
  auto m = map();
  ASSERT_EQ(m.record.error, "");
  EXPECT_EQ(m.record.mapped.category, "");
  EXPECT_EQ(m.record.mapped.status, "");
  auto x = json::parse(m.record.mapped.extra_json).as_object();
  EXPECT_EQ(x.at("unmapped"), (json::array{"问题分类", "当前环节"}));
}

TEST_F(XinfangMapping, WrongIdCheckDigitDropsTheIdNumberOnlyAndTheWarningIsMasked) {
  row[4] = "140929196704282044";
  auto m = map();
  ASSERT_EQ(m.record.error, "");
  EXPECT_EQ(m.record.mapped.reporter.id_number, "");
  EXPECT_EQ(m.record.mapped.reporter.phone, "13812341234");
  ASSERT_EQ(m.warnings.size(), 1u);
  EXPECT_EQ(m.warnings[0].find("140929196704282044"), std::string::npos) << m.warnings[0];
}

TEST_F(XinfangMapping, EachBrokenRowIsRejectedWithItsReasonAndPlace) {
  struct Case {
    size_t column;
    std::string value;
    std::string reason;
  };
  const Case cases[] = {
      {0, "", "empty 信访件编号"},
      {1, "2026-02-30 09:00:00", "bad date in 登记日期: '2026-02-30 09:00:00'"},
      {1, "0000-00-00", "bad date in 登记日期"},
      {13, "2026-13-01", "bad date in 受理日期"},
      {15, "yesterday", "bad time in 最后更新时间"},
      {16, "V2", "版本 is not a positive integer: 'V2'"},
      {16, "0", "版本 is not a positive integer"},
      {6, "14092910020A", "问题属地 is not a division code"},
      {10, "bad \xFF bytes", "field 内容摘要 is not valid UTF-8 text (byte 4 of the field)"},
  };
  for (const auto& k : cases) {
    auto saved = row[k.column];
    row[k.column] = k.value;
    auto m = map();
    EXPECT_NE(m.record.error.find(k.reason), std::string::npos) << m.record.error;
    EXPECT_EQ(m.record.error.rfind("XF_EXPORT_20260305_100500.csv line 7: ", 0), 0u) << m.record.error;
    EXPECT_EQ(m.record.raw, "raw-row-bytes");
    row[k.column] = saved;
  }
  row.push_back("extra");
  auto m = map();
  EXPECT_NE(m.record.error.find("18 fields, the header has 17"), std::string::npos) << m.record.error;
  EXPECT_EQ(m.record.external_id, "XF-2026-000123") << "the petition is still named when it can be";
}

}  // namespace
}  // namespace yizhan::plugins::xinfang
