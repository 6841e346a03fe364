// Write-back, unit by unit: a delivery's 办理反馈 request, the hub's UTC times in the
// platform's local time, and what each answer of the platform means.
#include "feedback.hpp"

#include <gtest/gtest.h>

#include <yizhan/sdk/host.hpp>
#include <yizhan/sdk/support/civil_time.hpp>

#include "sim_process.hpp"

namespace hotline12345_test {
namespace {
namespace json = boost::json;
using namespace yizhan::plugins::hotline12345;
using yizhan::sdk::Delivery;

Settings example_settings(const json::object& overrides = {}) {
  const auto& d =
      *yizhan::sdk::host::load_plugin(plugin_path(), yizhan::sdk::host::null_host_api()).descriptor;
  auto check =
      yizhan::sdk::host::validate_config(d, "test", plugin_config("http://sim.local:8080", overrides));
  if (!check.errors.empty()) throw std::runtime_error(check.errors.front());
  return read_settings(yizhan::sdk::Config(check.normalized_json));
}

std::string payload(const json::object& overrides = {}) {
  json::object p{{"delivery_id", "d-1"},
                 {"kind", "closed"},
                 {"case_id", 7},
                 {"external_id", "12345-20260301-000123"},
                 {"status", "closed"},
                 {"at", "2026-03-01T01:12:33Z"},
                 {"actor", "李明"},
                 {"reason", "按期办结"},
                 {"departments", json::array{"zjj", "gaj"}},
                 {"text", "已修复"},
                 {"rating", ""}};
  for (const auto& kv : overrides) p[kv.key()] = kv.value();
  return json::serialize(p);
}

json::object body_of(const FeedbackRequest& r) { return json::parse(r.body).as_object(); }

TEST(Hotline12345Feedback, ClosureBecomesBanjieOnTheWorkOrdersFeedbackUrl) {
  const std::string p = payload();
  auto r = make_feedback(Delivery{"d-1", "closed", "12345-20260301-000123", p}, example_settings());
  EXPECT_EQ(r.url, "http://sim.local:8080/api/workorders/12345-20260301-000123/feedback");
  EXPECT_EQ(r.fklx, "办结");
  EXPECT_TRUE(r.warnings.empty());
  auto b = body_of(r);
  EXPECT_EQ(b.at("fklx"), "办结");
  EXPECT_EQ(b.at("fknr"), "已修复");
  EXPECT_EQ(b.at("cbdw"), "岢岚县住房和城乡建设管理局、岢岚县公安局");
  EXPECT_EQ(b.at("czr"), "李明");
  EXPECT_EQ(b.at("czsj"), "2026-03-01 09:12:33");
  EXPECT_FALSE(b.contains("myd")) << "no rating, no 满意度";
}

TEST(Hotline12345Feedback, EveryKindHasItsTypeAndStockText) {
  const std::pair<const char*, const char*> kinds[] = {
      {"dispatched", "派单"}, {"replied", "答复"}, {"closed", "办结"}, {"followed_up", "回访"}};
  const auto s = example_settings();
  for (const auto& [kind, fklx] : kinds) {
    const std::string p = payload({{"text", ""}, {"reason", ""}});
    auto b = body_of(make_feedback(Delivery{"d", kind, "g", p}, s));
    EXPECT_EQ(b.at("fklx"), fklx) << kind;
    EXPECT_FALSE(b.at("fknr").as_string().empty()) << kind << ": the platform needs some text";
  }
  const std::string dispatched = payload({{"text", ""}, {"reason", ""}, {"departments", json::array{"cgj"}}});
  EXPECT_EQ(body_of(make_feedback(Delivery{"d", "dispatched", "g", dispatched}, s)).at("fknr"),
            "已派单至岢岚县城市管理局");
  const std::string reason = payload({{"text", ""}});
  EXPECT_EQ(body_of(make_feedback(Delivery{"d", "replied", "g", reason}, s)).at("fknr"), "按期办结");
}

TEST(Hotline12345Feedback, RatingsBecomeSatisfactionAndUnknownOnesAreLeftOutWithAWarning) {
  const auto s = example_settings();
  const std::pair<const char*, const char*> ratings[] = {
      {"satisfied", "满意"}, {"basically_satisfied", "基本满意"}, {"dissatisfied", "不满意"}};
  for (const auto& [rating, myd] : ratings) {
    const std::string p = payload({{"rating", rating}});
    EXPECT_EQ(body_of(make_feedback(Delivery{"d", "followed_up", "g", p}, s)).at("myd"), myd);
  }
  const std::string odd = payload({{"rating", "very_happy"}});
  auto r = make_feedback(Delivery{"d", "followed_up", "g", odd}, s);
  EXPECT_FALSE(body_of(r).contains("myd"));
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("very_happy"), std::string::npos);
}

TEST(Hotline12345Feedback, FeedbackPathAndDepartmentMapComeFromTheConfig) {
  auto s = example_settings({{"feedback_path", "/gateway/gd/{gdbh}/fk?src=yizhan"},
                             {"department_map", json::object{{"zjj", "县住建局"}}}});
  const std::string p = payload();
  auto r = make_feedback(Delivery{"d", "closed", "12345 20260301/1", p}, s);
  EXPECT_EQ(r.url, "http://sim.local:8080/gateway/gd/12345%2020260301%2F1/fk?src=yizhan");
  EXPECT_EQ(body_of(r).at("cbdw"), "县住建局、gaj") << "an unmapped id goes as it is";
  for (const char* bad : {"/api/workorders/feedback", "api/{gdbh}", "/{gdbh}/{gdbh}"})
    EXPECT_THROW(example_settings({{"feedback_path", bad}}), yizhan::sdk::ConfigError) << bad;
}

TEST(Hotline12345Feedback, DeliveriesThatCannotBeExpressedAreRefused) {
  const auto s = example_settings();
  const std::string good = payload();
  auto refused = [&](Delivery d, const std::string& expected) {
    try {
      make_feedback(d, s);
      ADD_FAILURE() << "accepted; expected: " << expected;
    } catch (const yizhan::sdk::DeliveryRefused& e) {
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
    }
  };
  refused(Delivery{"d", "rated", "g", good}, "kind 'rated'");
  refused(Delivery{"d", "closed", "", good}, "external_id is empty");
  refused(Delivery{"", "closed", "g", good}, "Idempotency-Key");
  refused(Delivery{"a\r\nX-Evil: 1", "closed", "g", good}, "Idempotency-Key");
  refused(Delivery{"d", "closed", "g", "not json"}, "not a JSON object");
  refused(Delivery{"d", "closed", "g", "[]"}, "not a JSON object");
  const std::string no_at = payload({{"at", "2026-03-01 09:12:33"}});
  refused(Delivery{"d", "closed", "g", no_at}, "is not a UTC time");
}

TEST(Hotline12345Feedback, UtcInstantsBecomeTheUpstreamsLocalTime) {
  auto text = [](std::string_view instant, std::string_view offset = "+08:00") {
    auto t = yizhan::sdk::support::local_time_of(instant, offset);
    return t ? t->text : std::string("none");
  };
  EXPECT_EQ(text("2026-03-01T01:12:33Z"), "2026-03-01 09:12:33");
  EXPECT_EQ(text("2026-02-28T20:00:00Z"), "2026-03-01 04:00:00") << "over midnight";
  EXPECT_EQ(text("2024-02-28T16:30:00Z"), "2024-02-29 00:30:00") << "into a leap day";
  EXPECT_EQ(text("2026-12-31T23:59:59Z"), "2027-01-01 07:59:59") << "over the year";
  EXPECT_EQ(text("2026-03-01T01:12:33.250Z"), "2026-03-01 09:12:33");
  EXPECT_EQ(text("2026-03-01T09:12:33+08:00"), "2026-03-01 09:12:33");
  EXPECT_EQ(text("2026-03-01T01:12:33Z", "-05:30"), "2026-02-28 19:42:33");
  for (const char* bad : {"", "2026-03-01 01:12:33Z", "2026-03-01T01:12:33", "2026-02-30T01:12:33Z",
                          "2026-03-01T01:12:33.Z", "2026-03-01T01:12:33+8", "yesterday"})
    EXPECT_EQ(text(bad), "none") << bad;
}

TEST(Hotline12345Feedback, AnswersAreAcceptedRetriedOrRefused) {
  using V = FeedbackVerdict;
  struct Case {
    int status;
    const char* body;
    V verdict;
  };
  const Case cases[] = {
      {200, R"({"code":0,"msg":"success","data":{"fkxh":1}})", V::kAccepted},
      {200, R"({"code":"0","msg":"success"})", V::kAccepted},
      {201, R"({"code":0})", V::kAccepted},
      {200, R"({"code":-1,"msg":"系统繁忙，请稍后再试"})", V::kRetry},
      {200, R"({"code":503,"msg":"维护中"})", V::kRetry},
      {200, "<html>gateway</html>", V::kRetry},
      {200, R"({"msg":"no code"})", V::kRetry},
      {200, R"({"code":404,"msg":"工单不存在"})", V::kUnknownWorkOrder},
      {200, R"({"code":1001,"msg":"工单已归档，不能反馈"})", V::kRefused},
      {404, R"({"code":404,"msg":"工单不存在"})", V::kUnknownWorkOrder},
      {404, "Not Found", V::kUnknownWorkOrder},
      {400, R"({"code":400,"msg":"参数错误"})", V::kRefused},
      {409, "", V::kRefused},
      {422, R"({"code":422})", V::kRefused},
      {401, R"({"code":401,"msg":"appKey 无效"})", V::kRetry},
      {408, "", V::kRetry},
      {429, "", V::kRetry},
      {500, R"({"code":500,"msg":"服务器内部错误"})", V::kRetry},
      {502, "<html>bad gateway</html>", V::kRetry},
      {503, "", V::kRetry},
      {302, "", V::kRetry},
  };
  for (const auto& c : cases) {
    auto o = read_feedback_reply(c.status, c.body);
    EXPECT_EQ(static_cast<int>(o.verdict), static_cast<int>(c.verdict)) << c.status << " " << c.body;
    EXPECT_NE(o.detail.find("HTTP " + std::to_string(c.status)), std::string::npos) << o.detail;
  }
  EXPECT_NE(read_feedback_reply(400, R"({"code":400,"msg":"参数错误: fklx"})").detail.find("参数错误: fklx"),
            std::string::npos);
}

TEST(Hotline12345Feedback, ExcerptsMaskPhoneAndIdNumbersButKeepWorkOrderNumbers) {
  const std::string e =
      safe_excerpt("来电人13812341234（身份证140929196704282043）工单12345-20260301-000123\x01");
  EXPECT_EQ(e.find("13812341234"), std::string::npos) << e;
  EXPECT_EQ(e.find("140929196704282043"), std::string::npos) << e;
  EXPECT_NE(e.find("138****1234"), std::string::npos) << e;
  EXPECT_NE(e.find("12345-20260301-000123"), std::string::npos) << e;
  EXPECT_EQ(e.find('\x01'), std::string::npos);
  EXPECT_LE(safe_excerpt(std::string(1000, 'a')).size(), 170u);
}

}  // namespace
}  // namespace hotline12345_test
