// Mapping one order row, field by field, and every reason for a rejection.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <yizhan/sdk/host.hpp>

#include "order_mapper.hpp"
#include "sim_process.hpp"

namespace yizhan::plugins::dangqun {
namespace {
namespace json = boost::json;

// The example config as the hub hands it over: validated, defaults filled in.
Settings example_settings() {
  const auto* d = sdk::host::load_plugin(dangqun_test::plugin_path(), sdk::host::null_host_api()).descriptor;
  auto check = sdk::host::validate_config(*d, "test", dangqun_test::plugin_config("db=/nonexistent.db"));
  if (!check.errors.empty()) throw std::runtime_error(check.errors.front());
  return read_settings(sdk::Config(check.normalized_json));
}

OrderRow good_row() {
  OrderRow row;
  row.id = 42;
  auto set = [&](std::string_view column, std::optional<std::string> v) {
    for (size_t i = 0; i < kOrderColumns.size(); ++i)
      if (kOrderColumns[i] == column) row.values[i] = std::move(v);
  };
  set("id", "42");
  set("ddbh", "DQ2026030100042");
  set("qzxm", "王秀英");
  set("lxdh", "138-1234-1234");
  set("sfzh", "140929196704282043");
  set("sqdm", "140929100201");
  set("wgbh", "G-140929100201-02");
  set("fwlx", "01");
  set("bt", "承包地边界纠纷调解");
  set("nr", "西街村群众反映与邻户承包地边界不清。");
  set("ddzt", "40");
  set("ddly", "2");
  set("jdbm", "县司法局");
  set("ldry", "DY0007");
  set("cjsj", "2026-03-01 09:12:33");
  set("gxsj", "2026-03-02 10:00:00");
  set("sfsc", "0");
  return row;
}

void set(OrderRow& row, std::string_view column, std::optional<std::string> v) {
  for (size_t i = 0; i < kOrderColumns.size(); ++i)
    if (kOrderColumns[i] == column) row.values[i] = std::move(v);
}

TEST(DangqunMapping, MapsEveryColumnThroughTheConfiguredTables) {
  auto m = map_order(good_row(), example_settings());
  ASSERT_EQ(m.record.error, "");
  const auto& c = m.record.mapped;
  EXPECT_EQ(c.external_id, "DQ2026030100042");
  EXPECT_EQ(c.version, "2026-03-02 10:00:00/40/0");
  EXPECT_EQ(c.category, "矛盾纠纷/土地");
  EXPECT_EQ(c.channel, "网上");
  EXPECT_EQ(c.status, "in_progress");
  EXPECT_EQ(c.received_at, "2026-03-01T09:12:33+08:00");
  EXPECT_EQ(c.updated_at, "2026-03-02T10:00:00+08:00");
  EXPECT_EQ(c.reporter.phone, "13812341234");
  EXPECT_EQ(c.reporter.id_number, "140929196704282043");
  EXPECT_EQ(c.place.division_code, "140929100201");
  EXPECT_EQ(c.place.division_year, 2023);
  EXPECT_EQ(c.place.grid_id, "G-140929100201-02");
  auto extra = json::parse(c.extra_json).as_object();
  EXPECT_EQ(extra.at("jdbm"), "县司法局");
  EXPECT_EQ(extra.at("ldry"), "DY0007");
  EXPECT_FALSE(extra.contains("unmapped"));
  EXPECT_EQ(m.at, (Position{"2026-03-02 10:00:00", 42}));
  EXPECT_EQ(json::parse(m.record.raw).at("ddbh"), "DQ2026030100042");
}

TEST(DangqunMapping, RatedOrderKeepsItsScoreAndAnInvalidIdNumberIsDroppedWithAWarning) {
  auto row = good_row();
  set(row, "ddzt", "60");
  set(row, "pjdf", "95");
  set(row, "sfzh", "140929196704282044");
  auto m = map_order(row, example_settings());
  ASSERT_EQ(m.record.error, "");
  EXPECT_EQ(m.record.mapped.status, "rated");
  EXPECT_EQ(m.record.mapped.reporter.id_number, "");
  auto extra = json::parse(m.record.mapped.extra_json).as_object();
  EXPECT_EQ(extra.at("pjdf"), 95);
  EXPECT_EQ(extra.at("sfzh_invalid"), true);
  ASSERT_EQ(m.warnings.size(), 1u);
  EXPECT_EQ(m.warnings[0].find("140929196704282044"), std::string::npos) << m.warnings[0];
}

TEST(DangqunMapping, EachMalformedColumnIsARejectionNamingIt) {
  struct Case {
    const char* column;
    std::optional<std::string> value;
    const char* reason;
  };
  const Case cases[] = {
      {"ddbh", std::nullopt, "missing ddbh"},
      {"cjsj", "2026-02-30 09:15:00", "bad date in cjsj: '2026-02-30 09:15:00'"},
      {"cjsj", std::nullopt, "bad date in cjsj: 'NULL'"},
      {"gxsj", "0000-00-00 00:00:00", "bad date in gxsj"},
      {"lxdh", "138O1234123", "phone (lxdh) is not a phone number: '138****4123'"},
      {"sqdm", "14092910020X", "column 'sqdm' is not a division code"},
      {"pjdf", "优", "column 'pjdf'"},
      {"sfsc", "2", "column 'sfsc'"},
      {"nr", std::string("\xC3\x28", 2), "column 'nr' is not valid UTF-8"},
  };
  for (const auto& k : cases) {
    auto row = good_row();
    set(row, k.column, k.value);
    auto m = map_order(row, example_settings());
    EXPECT_NE(m.record.error.find(k.reason), std::string::npos) << k.column << ": " << m.record.error;
    EXPECT_FALSE(m.record.raw.empty());
  }
}

TEST(DangqunMapping, UnknownCodesAreNotedNotRejected) {
  auto row = good_row();
  set(row, "ddzt", "45");
  set(row, "fwlx", "99");
  set(row, "ddly", std::nullopt);
  auto m = map_order(row, example_settings());
  ASSERT_EQ(m.record.error, "");
  EXPECT_EQ(m.record.mapped.status, "");
  EXPECT_EQ(m.record.mapped.category, "");
  EXPECT_EQ(m.record.mapped.channel, "");
  auto unmapped = json::parse(m.record.mapped.extra_json).at("unmapped").as_array();
  EXPECT_EQ(unmapped, (json::array{"fwlx", "ddzt"}));
}

TEST(DangqunMapping, CancelledAndSoftDeletedOrdersAreClosedAndMarked) {
  auto row = good_row();
  set(row, "ddzt", "90");
  auto m = map_order(row, example_settings());
  EXPECT_EQ(m.record.mapped.status, "closed");
  EXPECT_EQ(json::parse(m.record.mapped.extra_json).at("cancelled"), true);
  set(row, "ddzt", "30");
  set(row, "sfsc", "1");
  m = map_order(row, example_settings());
  EXPECT_EQ(m.record.mapped.status, "closed");
  EXPECT_EQ(m.record.mapped.version, "2026-03-02 10:00:00/30/1");
  EXPECT_EQ(json::parse(m.record.mapped.extra_json).at("deleted"), true);
}

TEST(DangqunMapping, PasswordsAreRedactedFromConnectionStrings) {
  EXPECT_EQ(redact_connection("host=db dbname=dq user=u password=s3cret port=5432"),
            "host=db dbname=dq user=u password=*** port=5432");
  EXPECT_EQ(redact_connection("password='a b' host=x"), "password=*** host=x");
  EXPECT_EQ(redact_connection("db=/var/dq.db"), "db=/var/dq.db");
}

}  // namespace
}  // namespace yizhan::plugins::dangqun
