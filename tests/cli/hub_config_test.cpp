// The hub config file as cli/hub_config composes it from the layers' sections
// (docs/architecture.md §3 "Each layer owns its config section"): one load reports the
// problems of every section at once, each with its path; a section is read by its
// layer's own reader, alone; relative paths are against the config file's folder.
#include "cli/hub_config.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "support/hub_process.hpp"

namespace yizhan {
namespace {

std::string load_error(const std::filesystem::path& file) {
  try {
    cli::load_hub_config(file);
  } catch (const core::ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(HubConfigFile, ReportsEveryProblemOfEverySectionInOneError) {
  test::TempDir dir;
  auto file =
      test::write_hub_config(dir.path(),
                             "database: {backend: oracle}\n"
                             "http: {port: 70000}\n"
                             "linking: {propose_score: 0.9, auto_join_score: 0.8, authority: {title: [Bad-Name]}}\n"
                             "sla: {file: sla.yaml}\n"
                             "write_back: {retry_initial_ms: 1}\n"
                             "auth: {counter_departments: oops}\n"
                             "audit: {checkpoint_interval_minutes: twice}\n"
                             "clock: {start: yesterday}\n"
                             "limits: {title_max_bytes: -3}\n"
                             "colour: blue\n");
  const auto err = load_error(file);
  for (const char* expected :
       {"invalid configuration:", "database.backend: 'oracle' is not one of sqlite, postgresql",
        "http.port: out of range 0..65535", "linking: need 0 < propose_score <= auto_join_score <= 1",
        "linking.authority.title: 'Bad-Name' is not a plugin name", "sla: both file",
        "write_back.retry_initial_ms: must be at least 10",
        "auth.counter_departments: expected a list of department ids",
        "audit.checkpoint_interval_minutes: expected an integer (line 7)", "clock.start: 'yesterday' is not ISO 8601",
        "limits.title_max_bytes: expected a non-negative integer (line 9)", "colour: unknown key"})
    EXPECT_NE(err.find(expected), std::string::npos) << "missing: " << expected << "\nin:\n" << err;
}

TEST(HubConfigFile, ComposesTheSectionsAndResolvesPathsAgainstItsFolder) {
  test::TempDir dir;
  auto file =
      test::write_hub_config(dir.path(),
                             "data_dir: state\n"
                             "database: {backend: sqlite, path: hub.db}\n"
                             "pii: {key_file: keys/pii.key}\n"
                             "routing: {rules: routing.yaml, county: county.yaml}\n"
                             "sla: {file: sla.yaml, calendars: cal, sweep_interval_ms: 500}\n"
                             "web: {idle_timeout_minutes: 5, system_labels: {hotline: {zh-CN: 热线, en: Hotline}}}\n"
                             "intake: {system: window}\n"
                             "plugin_dir: ${TEST_PLUGIN_DIR}\n"
                             "plugins: [{name: fixture_source}]\n"
                             "instances: [{name: fx, plugin: fixture_source, config: {records: 3}}]\n");
  const auto c = cli::load_hub_config(file);
  const auto folder = file.parent_path();
  EXPECT_EQ(c.routing.rules, folder / "routing.yaml");
  EXPECT_EQ(c.routing.county, folder / "county.yaml");
  EXPECT_EQ(c.sla.file, folder / "sla.yaml");
  EXPECT_EQ(c.sla.calendars, folder / "cal");
  EXPECT_EQ(c.sla.sweep_interval_ms, 500);
  EXPECT_EQ(c.web.idle_timeout_minutes, 5);
  EXPECT_EQ(c.web.system_labels.at("hotline").at("zh-CN"), "热线");
  EXPECT_EQ(c.intake.system, "window");
  EXPECT_EQ(c.pii_key_file(), std::filesystem::path("state") / "keys/pii.key");
  EXPECT_EQ(c.soci_connection(), "db=state/hub.db timeout=30");
  ASSERT_EQ(c.plugins.size(), 1u);
  EXPECT_EQ(c.plugins[0].file.filename(), "yizhan_fixture_source.so");
  ASSERT_NE(c.instance("fx"), nullptr);
  EXPECT_EQ(c.instance("fx")->config_json, R"({"records":"3"})");
  EXPECT_EQ(c.instance("nope"), nullptr);
  // Defaults where the file is silent.
  EXPECT_EQ(c.http.port, 8080);
  EXPECT_TRUE(c.auth.required);
  EXPECT_EQ(c.audit.checkpoint_interval_minutes, 60);
}

TEST(HubConfigFile, ALayerReadsItsSectionAlone) {
  core::ConfigReader r("/etc/yizhan");
  link::LinkingConfig linking;
  link::read_linking_config(r, YAML::Load("{window_days: 7, authority: {address: [grid, hotline]}, colour: 1}"),
                            linking);
  EXPECT_EQ(linking.window_days, 7);
  EXPECT_EQ(linking.authority.at("address"), (std::vector<std::string>{"grid", "hotline"}));
  ASSERT_EQ(r.errors().size(), 1u);
  EXPECT_NE(r.errors()[0].find("linking.colour: unknown key (known: authority, auto_join_score"), std::string::npos)
      << r.errors()[0];

  routing::RoutingConfig routing;
  routing::read_routing_config(r, YAML::Load("{rules: r.yaml, county: /srv/county.yaml}"), routing);
  EXPECT_EQ(routing.rules, std::filesystem::path("/etc/yizhan/r.yaml"));
  EXPECT_EQ(routing.county, std::filesystem::path("/srv/county.yaml"));
  EXPECT_EQ(r.errors().size(), 1u);
}

}  // namespace
}  // namespace yizhan
