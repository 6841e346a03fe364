// One case object to a CaseRecord, field by field, and every reason a case is rejected.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <yizhan/sdk/config.hpp>
#include <yizhan/sdk/plugin.hpp>

#include "case_mapper.hpp"
#include "local_time.hpp"
#include "settings.hpp"
#include "support.hpp"

namespace mediation_test {
namespace {
namespace json = boost::json;
using namespace yizhan::plugins::mediation;

Settings example_settings() { return read_settings(yizhan::sdk::Config(validated_config())); }

TEST(Mapping, AClosedLabourCaseMapsEveryField) {
  auto m = map_case(good_case(123, 3), example_settings());
  ASSERT_TRUE(m.record.error.empty()) << m.record.error;
  const auto& r = m.record.mapped;
  EXPECT_EQ(m.record.external_id, "TJ-2026-000123");
  EXPECT_EQ(r.version, "0000000003");
  EXPECT_EQ(r.title, "拖欠农民工工资纠纷");
  EXPECT_EQ(r.category, "矛盾纠纷/劳资");
  EXPECT_EQ(r.status, "closed");
  EXPECT_EQ(r.channel, "窗口");
  EXPECT_EQ(r.urgency, "normal");
  EXPECT_EQ(r.received_at, "2026-03-01T00:00:00+08:00");
  EXPECT_EQ(r.updated_at, "2026-03-04T10:12:33.123+08:00");
  EXPECT_EQ(r.reporter.name, "王秀英");
  EXPECT_EQ(r.reporter.phone, "13812341234");
  EXPECT_EQ(r.reporter.id_number, "140929196704282043");
  EXPECT_EQ(r.place.division_code, "140929100201");
  EXPECT_EQ(r.place.division_year, 2023);
  auto extra = json::parse(r.extra_json).as_object();
  EXPECT_EQ(extra.at("mediation_body"), "岢岚县劳动争议人民调解委员会");
  EXPECT_EQ(extra.at("dispute_type"), "劳资");
  EXPECT_EQ(extra.at("outcome"), "调解成功");
  EXPECT_EQ(extra.at("outcome_id"), "mediated");
  EXPECT_EQ(extra.at("agreement_amount"), "12000.00");
  EXPECT_EQ(extra.at("respondent"), "李建国");
  EXPECT_EQ(extra.at("close_date"), "2026-03-15");
  // The respondent's phone and ID number go nowhere.
  EXPECT_EQ(r.extra_json.find("13998765432"), std::string::npos);
  EXPECT_EQ(r.extra_json.find("14092919800101001X"), std::string::npos);
  EXPECT_EQ(json::parse(m.record.raw), json::value(good_case(123, 3)));
}

TEST(Mapping, VersionsSortAsTextInNumericOrder) {
  auto s = example_settings();
  auto v9 = good_case(1, 1), v10 = good_case(1, 1);
  v9["version"] = 9;
  v10["version"] = "10";
  auto a = map_case(v9, s).record.mapped.version, b = map_case(v10, s).record.mapped.version;
  EXPECT_EQ(a, "0000000009");
  EXPECT_EQ(b, "0000000010");
  EXPECT_LT(a, b);
}

TEST(Mapping, StagesFollowTheStatusMap) {
  auto s = example_settings();
  EXPECT_EQ(map_case(good_case(1, 1), s).record.mapped.status, "received");
  EXPECT_EQ(map_case(good_case(1, 2), s).record.mapped.status, "in_progress");
}

TEST(Mapping, AnUnmappedDisputeTypeOrStageIsNamedNotRejected) {
  auto c = good_case(1, 2);
  c["disputeType"] = "其他";
  c["stage"] = "中止";
  auto m = map_case(c, example_settings());
  ASSERT_TRUE(m.record.error.empty()) << m.record.error;
  EXPECT_EQ(m.record.mapped.category, "");
  EXPECT_EQ(m.record.mapped.status, "");
  EXPECT_EQ(json::parse(m.record.mapped.extra_json).at("unmapped"), (json::array{"disputeType", "stage"}));
}

TEST(Mapping, ABadApplicantIdNumberIsDroppedWithAMaskedWarning) {
  auto c = good_case(1);
  c["applicant"].as_object()["idCard"] = "140929196704282044";
  auto m = map_case(c, example_settings());
  ASSERT_TRUE(m.record.error.empty());
  EXPECT_EQ(m.record.mapped.reporter.id_number, "");
  ASSERT_EQ(m.warnings.size(), 1u);
  EXPECT_EQ(m.warnings[0].find("140929196704282044"), std::string::npos) << m.warnings[0];
}

struct Broken {
  const char* what;
  std::function<void(json::object&)> change;
  const char* reason;
};

TEST(Mapping, EachUnreadableCaseIsRejectedWithItsReasonAndRaw) {
  const std::vector<Broken> cases = {
      {"no caseNo", [](json::object& c) { c.erase("caseNo"); }, "caseNo is missing"},
      {"empty caseNo", [](json::object& c) { c["caseNo"] = ""; }, "caseNo is missing or empty"},
      {"Chinese date", [](json::object& c) { c["acceptDate"] = "2026年3月1日"; }, "acceptDate '2026年3月1日'"},
      {"slashes", [](json::object& c) { c["acceptDate"] = "2026/03/01"; }, "is not a date YYYY-MM-DD"},
      {"no such day", [](json::object& c) { c["closeDate"] = "2026-02-30"; }, "closeDate '2026-02-30'"},
      {"update time", [](json::object& c) { c["updateTime"] = "2026-03-02T10:00:00"; }, "updateTime"},
      {"outcome", [](json::object& c) { c["outcome"] = "和解"; }, "outcome '和解' is not in outcome_map"},
      {"amount", [](json::object& c) { c["agreementAmount"] = "一万二"; }, "agreementAmount"},
      {"version", [](json::object& c) { c["version"] = 0; }, "version 0 is not a positive integer"},
      {"no version", [](json::object& c) { c.erase("version"); }, "version is missing"},
      {"area", [](json::object& c) { c["areaCode"] = "140929"; }, "areaCode '140929' is not a 12-digit"},
      {"phone type", [](json::object& c) { c["applicant"].as_object()["phone"] = 13812341234; },
       "applicant.phone is not a string (a number)"},
  };
  for (const auto& b : cases) {
    auto c = good_case(5, 3);
    b.change(c);
    auto m = map_case(c, example_settings());
    EXPECT_NE(m.record.error.find(b.reason), std::string::npos) << b.what << ": " << m.record.error;
    EXPECT_EQ(json::parse(m.record.raw), json::value(c)) << b.what;
    EXPECT_EQ(m.record.error.find("13812341234"), std::string::npos) << b.what;
  }
  EXPECT_NE(map_case(json::value("just text"), example_settings()).record.error.find("not a JSON object"),
            std::string::npos);
}

TEST(Mapping, LocalTimesNeedTheirExactShape) {
  EXPECT_EQ(datetime_to_iso("2026-03-15 10:12:33", "+08:00"), "2026-03-15T10:12:33+08:00");
  EXPECT_EQ(datetime_to_iso("2026-03-15 10:12:33.5", "+08:00"), "2026-03-15T10:12:33.5+08:00");
  EXPECT_FALSE(datetime_to_iso("2026-03-15 10:12:33.1234", "+08:00"));
  EXPECT_FALSE(datetime_to_iso("2026-03-15 24:00:00", "+08:00"));
  EXPECT_EQ(date_to_iso("2024-02-29", "+08:00"), "2024-02-29T00:00:00+08:00");
  EXPECT_FALSE(date_to_iso("2026-02-29", "+08:00"));
}

TEST(Settings, RefusesAMapIntoUnknownVocabularyNamingTheKey) {
  auto refused = [](json::object overrides) -> std::string {
    try {
      read_settings(yizhan::sdk::Config(validated_config(overrides)));
    } catch (const yizhan::sdk::ConfigError& e) {
      return e.what();
    }
    return {};
  };
  EXPECT_NE(refused({{"status_map", json::object{{"结案", "done"}}}}).find("status_map: '结案' maps to 'done'"),
            std::string::npos);
  EXPECT_NE(refused({{"dispute_type_map", json::object{{"土地", "土地纠纷"}}}}).find("dispute_type_map"),
            std::string::npos);
  EXPECT_NE(refused({{"channel", "微信"}}).find("channel: '微信'"), std::string::npos);
  EXPECT_NE(refused({{"utc_offset", "8"}}).find("utc_offset"), std::string::npos);
  auto empty = refused({{"secret", ""}});
  EXPECT_NE(empty.find("secret: must not be empty"), std::string::npos);
}

}  // namespace
}  // namespace mediation_test
