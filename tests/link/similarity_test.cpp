// The evidence linking weighs (link/similarity.hpp), part by part.
#include "link/similarity.hpp"

#include <gtest/gtest.h>

namespace {

using namespace yizhan::link;

double sim(const std::string& a, const std::string& b) { return text_similarity(text_bigrams(a), text_bigrams(b)); }

CaseFacts facts(std::string text) {
  CaseFacts f;
  f.text = std::move(text);
  f.category = "矛盾纠纷/土地";
  f.division_code = "140929100201";
  f.grid_id = "140929100201-02";
  f.received_at = "2026-03-01T01:00:00Z";
  f.phone_hash = "p1";
  f.name_hash = "n1";
  return f;
}

Evidence cmp(const CaseFacts& a, const CaseFacts& b, int window = 30) {
  return compare(a, text_bigrams(a.text), b, text_bigrams(b.text), window);
}

TEST(TextSimilarity, IsOneForTheSameTextAndZeroForNothingShared) {
  EXPECT_DOUBLE_EQ(sim("承包地界纠纷", "承包地界纠纷"), 1.0);
  EXPECT_DOUBLE_EQ(sim("承包地界纠纷", "路灯不亮"), 0.0);
  EXPECT_DOUBLE_EQ(sim("", "路灯不亮"), 0.0);
  EXPECT_DOUBLE_EQ(sim("门", "门"), 0.0);  // one character has no bigram
}

TEST(TextSimilarity, ARetellingWithAPrefixOrADroppedClauseStaysHigh) {
  const std::string told = "村民反映与邻村因承包地界发生纠纷，双方多次争执，请求调处。";
  EXPECT_GT(sim(told, "来电反映：" + told), 0.8);
  EXPECT_GT(sim(told, "网格员上报：村民反映与邻村因承包地界发生纠纷。"), 0.6);  // first clause only
  EXPECT_LT(sim(told, "村民反映小区门口路灯坏了一周，晚上出行不便。"), 0.3);
}

TEST(Compare, SamePersonPlaceTimeAndCategoryScoreNearTheTextScorePlusTheRest) {
  auto a = facts("村民反映与邻村因承包地界发生纠纷");
  auto b = facts("来电反映：村民反映与邻村因承包地界发生纠纷");
  auto e = cmp(a, b);
  EXPECT_EQ(e.person_by, "phone");
  EXPECT_EQ(e.place_by, "grid");
  EXPECT_DOUBLE_EQ(e.person, 1);
  EXPECT_DOUBLE_EQ(e.place, 1);
  EXPECT_DOUBLE_EQ(e.time, 1);
  EXPECT_DOUBLE_EQ(e.category, 1);
  EXPECT_NEAR(e.score, 0.45 * e.text + 0.55, 1e-9);
  EXPECT_FALSE(e.different_person);
}

TEST(Compare, EachPartFallsAsTheEvidenceWeakens) {
  auto a = facts("村民反映与邻村因承包地界发生纠纷");
  auto b = a;
  b.phone_hash.clear();  // phone not written down: the name still matches
  EXPECT_EQ(cmp(a, b).person_by, "name");
  EXPECT_DOUBLE_EQ(cmp(a, b).person, 0.6);
  b.phone_hash = "p2";  // a different phone: a different person
  EXPECT_TRUE(cmp(a, b).different_person);
  EXPECT_LT(cmp(a, b).score, cmp(a, a).score - 0.25);
  b = a;
  b.grid_id.clear();
  EXPECT_EQ(cmp(a, b).place_by, "village");
  b.division_code = "140929100999";
  EXPECT_EQ(cmp(a, b).place_by, "town");
  b.division_code = "140929200201";
  EXPECT_EQ(cmp(a, b).place_by, "");
  b = a;
  b.received_at = "2026-03-16T01:00:00Z";  // half the window apart
  EXPECT_NEAR(cmp(a, b).time, 0.5, 1e-9);
  EXPECT_NEAR(cmp(a, b).days_apart, 15, 1e-9);
  b.received_at = "2026-05-01T01:00:00Z";
  EXPECT_DOUBLE_EQ(cmp(a, b).time, 0);
  b = a;
  b.category = "矛盾纠纷/邻里";
  EXPECT_DOUBLE_EQ(cmp(a, b).category, 0.5);
  b.category = "公共服务";
  EXPECT_DOUBLE_EQ(cmp(a, b).category, 0);
}

TEST(Compare, ReasonsNameEachPart) {
  auto a = facts("村民反映与邻村因承包地界发生纠纷");
  auto j = cmp(a, a).to_json();
  EXPECT_EQ(j.at("person"), "phone");
  EXPECT_EQ(j.at("place"), "grid");
  EXPECT_DOUBLE_EQ(j.at("score").as_double(), 1.0);
}

}  // namespace
