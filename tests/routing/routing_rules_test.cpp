// Routing rules (routing/routing_rules.hpp): the demo county's rule set on the cases the
// seeds describe, the file checks, and the detection of rules that can never match.
#include "routing/routing_rules.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "support/hub_process.hpp"
#include "support/test_paths.hpp"

namespace {

using namespace yizhan;
using routing::RoutingFacts;

routing::RuleSet demo_rules() {
  const auto config = test::source_dir() / "config";
  return routing::RuleSet::load(config / "routing.yaml", routing::RuleSet::county_departments(config / "county.yaml"));
}

RoutingFacts facts(std::string category, std::vector<std::string> systems, std::string urgency = "normal") {
  RoutingFacts f;
  f.category = std::move(category);
  f.systems = std::move(systems);
  f.urgency = std::move(urgency);
  f.division_code = "140929100201";
  f.channel = "电话";
  f.title = "事项";
  f.description = "群众反映的事项";
  return f;
}

TEST(RoutingRules, TheDemoCountyRuleSetLoadsAndEveryRuleCanMatch) {
  const auto rules = demo_rules();
  EXPECT_GE(rules.rules().size(), 5u);
  EXPECT_TRUE(rules.unreachable().empty());
}

TEST(RoutingRules, SmallMattersStayInTheVillageBigOnesGoToTheTownUrgentToTheCountyHardOnesToJointConsultation) {
  const auto rules = demo_rules();
  // 小事不出社区: a noise complaint called in to 12345.
  auto d = rules.route(facts("社情民意", {"hotline12345"}));
  ASSERT_TRUE(d.rule);
  EXPECT_EQ(d.level, "village");
  EXPECT_EQ(d.departments, (std::vector<std::string>{"village-140929100201"}));
  // 大事街道协调: a neighbours' dispute.
  d = rules.route(facts("矛盾纠纷/邻里", {"zongzhi"}));
  EXPECT_EQ(d.level, "town");
  EXPECT_EQ(d.departments, (std::vector<std::string>{"town-140929100"}));
  // A land dispute only 12345 knows of is the town's; once 信访 reports it too (a
  // linked case), it is a hard one: joint consultation of three departments.
  EXPECT_EQ(rules.route(facts("矛盾纠纷/土地", {"hotline12345"})).level, "town");
  d = rules.route(facts("矛盾纠纷/土地", {"hotline12345", "xinfang"}));
  EXPECT_EQ(d.level, "joint");
  EXPECT_EQ(d.departments, (std::vector<std::string>{"zrzyj", "nyncj", "sfj"}));
  // 急事直报区级.
  EXPECT_EQ(rules.route(facts("应急处置", {"zongzhi"})).level, "county");
  EXPECT_EQ(rules.route(facts("社情民意", {"hotline12345"}, "urgent")).level, "county");
  // Keywords: a group matter goes to joint consultation whatever its category.
  auto group = facts("公共服务", {"hotline12345"});
  group.description = "涉及多户群众利益，请求协调解决";
  EXPECT_EQ(rules.route(group).rule, "难事会商-群体性");
}

TEST(RoutingRules, NoMatchIsTheTriageQueueAndTheTraceSaysWhyEachRuleFailed) {
  const auto rules = demo_rules();
  auto d = rules.route(facts("", {"hotline12345"}));
  EXPECT_FALSE(d.rule);
  EXPECT_EQ(d.trace.size(), rules.rules().size());
  for (const auto& v : d.trace) {
    EXPECT_FALSE(v.matched);
    EXPECT_FALSE(v.reasons.empty()) << v.rule;
  }
  // A village rule needs a village: a case placed only at town level is not for it.
  auto town_only = facts("社情民意", {"hotline12345"});
  town_only.division_code = "140929100";
  EXPECT_FALSE(rules.route(town_only).rule);
}

class RuleFile : public ::testing::Test {
 protected:
  std::filesystem::path write(const std::string& text) {
    auto p = dir_.path() / "routing.yaml";
    std::ofstream(p) << text;
    return p;
  }
  std::string error_of(const std::string& text) {
    try {
      routing::RuleSet::load(write(text), {"sfj", "zrzyj"});
    } catch (const routing::RuleFileError& e) {
      return e.what();
    }
    return "";
  }
  test::TempDir dir_;
};

TEST_F(RuleFile, EveryProblemIsNamedWithItsRule) {
  const auto e = error_of(
      "version: 1\nrules:\n"
      "  - {name: a, match: {category: [x]}, level: joint, departments: [sfj]}\n"
      "  - {name: b, match: {colour: [red]}, level: town, departments: [nobody]}\n"
      "  - {name: a, level: province, departments: []}\n");
  EXPECT_NE(e.find("'a': a joint (会商) rule names two departments or more"), std::string::npos) << e;
  EXPECT_NE(e.find("match.colour: unknown condition"), std::string::npos) << e;
  EXPECT_NE(e.find("'nobody' is not a department of the county file"), std::string::npos) << e;
  EXPECT_NE(e.find("the name is used twice"), std::string::npos) << e;
  EXPECT_NE(e.find("'province' is not one of village, town, county, joint"), std::string::npos) << e;
  EXPECT_NE(e.find("departments: at least one is required"), std::string::npos) << e;
  EXPECT_NE(error_of("rules: 3\n").find("expected a mapping with a list 'rules'"), std::string::npos);
}

TEST_F(RuleFile, ARuleAnEarlierOneAlwaysTakesFirstIsUnreachable) {
  auto rules = routing::RuleSet::load(
      write("version: 1\nrules:\n"
            "  - {name: 纠纷, match: {category: [矛盾纠纷/]}, level: county, departments: [sfj]}\n"
            "  - {name: 土地, match: {category: [矛盾纠纷/土地], system: [xinfang]}, level: county, "
            "departments: [zrzyj]}\n"
            "  - {name: 其他, level: county, departments: [sfj]}\n"
            "  - {name: 永不, match: {channel: [电话]}, level: county, departments: [sfj]}\n"),
      {});
  auto u = rules.unreachable();
  ASSERT_EQ(u.size(), 2u);
  EXPECT_NE(u[0].find("rule 2 '土地'"), std::string::npos) << u[0];
  EXPECT_NE(u[0].find("rule 1 '纠纷'"), std::string::npos) << u[0];
  EXPECT_NE(u[1].find("rule 4 '永不'"), std::string::npos) << u[1];
  EXPECT_NE(u[1].find("rule 3 '其他'"), std::string::npos) << u[1];
}

TEST_F(RuleFile, RouteCheckOnTheCommandLine) {
  const auto config = test::source_dir() / "config";
  auto ok = test::run_yizhan(
      {"route", "check", (config / "routing.yaml").string(), "--county", (config / "county.yaml").string()});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("OK"), std::string::npos);
  auto shadowed = test::run_yizhan({"route", "check",
                                    write("rules:\n  - {name: all, level: county, departments: [sfj]}\n"
                                          "  - {name: never, match: {channel: [电话]}, level: town, "
                                          "departments: [sfj]}\n")
                                        .string()});
  EXPECT_EQ(shadowed.exit_code, 1);
  EXPECT_NE(shadowed.out.find("unreachable: rule 2 'never'"), std::string::npos) << shadowed.out;
  auto bad =
      test::run_yizhan({"route", "check", write("rules:\n  - {name: x, level: moon, departments: [sfj]}\n").string()});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("'moon' is not one of"), std::string::npos) << bad.err;
}

}  // namespace
