// Code maps: values checked against the hub's ids when read, "" for unknown codes.
#include <gtest/gtest.h>

#include <functional>
#include <yizhan/sdk/case.hpp>
#include <yizhan/sdk/plugin.hpp>
#include <yizhan/sdk/support/code_map.hpp>

namespace {
using namespace yizhan::sdk::support;
using yizhan::sdk::Config;
using yizhan::sdk::ConfigError;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(SdkSupportCodeMap, ReadsAndLooksUp) {
  Config config(R"({"status_map":{"1":"received","9":"closed"},"channel_map":{"01":"电话"}})");
  CodeMap status = read_code_map(config, "status_map", yizhan::sdk::kStatusIds);
  EXPECT_EQ(status.size(), 2u);
  EXPECT_EQ(mapped(status, "9"), "closed");
  EXPECT_EQ(mapped(status, "1"), "received");
  EXPECT_EQ(mapped(status, "2"), "") << "an unknown code maps to nothing";
  EXPECT_EQ(mapped(status, ""), "");
  EXPECT_EQ(mapped(read_code_map(config, "channel_map", kChannelIds), "01"), "电话");
}

TEST(SdkSupportCodeMap, AValueThatIsNoIdIsAConfigErrorNamingTableCodeAndIds) {
  Config config(R"({"status_map":{"1":"received","9":"done"},"urgency_map":{"A":"high"}})");
  EXPECT_EQ(error_of([&] { read_code_map(config, "status_map", yizhan::sdk::kStatusIds); }),
            "status_map: '9' maps to 'done', which is not one of: received, routed, dispatched, in_progress, "
            "replied, closed, followed_up, rated, returned, supervised, suspended");
  EXPECT_EQ(error_of([&] { read_code_map(config, "urgency_map", kUrgencyIds); }),
            "urgency_map: 'A' maps to 'high', which is not one of: normal, urgent");
}

TEST(SdkSupportCodeMap, CategoryMaps) {
  EXPECT_TRUE(is_category_id("矛盾纠纷"));
  EXPECT_TRUE(is_category_id("矛盾纠纷/土地"));
  EXPECT_TRUE(is_category_id("公共服务"));
  EXPECT_FALSE(is_category_id("矛盾纠纷/"));
  EXPECT_FALSE(is_category_id("公共服务/供水")) << "only 矛盾纠纷 takes a subtype";
  EXPECT_FALSE(is_category_id("治安"));
  EXPECT_FALSE(is_category_id(""));
  Config good(R"({"class_map":{"01":"矛盾纠纷/土地","02":"社情民意"}})");
  EXPECT_EQ(mapped(read_category_map(good, "class_map"), "01"), "矛盾纠纷/土地");
  Config bad(R"({"class_map":{"01":"治安"}})");
  EXPECT_EQ(error_of([&] { read_category_map(bad, "class_map"); }),
            "class_map: '01' maps to '治安', which is not a taxonomy id (矛盾纠纷, 社情民意, 公共服务, 应急处置, "
            "平安建设, or 矛盾纠纷/<subtype>)");
}

TEST(SdkSupportCodeMap, JoinedAndIsOneOf) {
  EXPECT_EQ(joined(kUrgencyIds), "normal, urgent");
  EXPECT_EQ(joined({}), "");
  EXPECT_TRUE(is_one_of("来访", kChannelIds));
  EXPECT_FALSE(is_one_of("来", kChannelIds));
}

}  // namespace
