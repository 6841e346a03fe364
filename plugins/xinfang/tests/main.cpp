// xinfang_tests: the SDK conformance kit against the real simulator, plus this plugin's
// own tests (the other *_test.cpp files in this folder).
#include <gtest/gtest.h>

#include <memory>
#include <yizhan/sdk/testkit.hpp>

#include "sim_process.hpp"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  using namespace xinfang_test;
  // The kit starts one upstream per live test and stops it at the end of the test.
  auto sim = std::make_shared<std::unique_ptr<SimRun>>();
  yizhan::sdk::testkit::register_conformance_tests({
      .name = "xinfang",
      .library = plugin_path(),
      .example_config = example_config_path(),
      .start_upstream =
          [sim](int records) {
            // Quirks on (the kit tolerates them), malformed rows off: every petition must map.
            *sim = std::make_unique<SimRun>(
                SimFlags{.records = records, .seed = 2026, .rows_per_export = 40, .resend_rate = 0.1, .bom_rate = 0.2});
            return plugin_config((*sim)->dir(), {{"rows_per_poll", 35}});
          },
      .start_malformed_upstream =
          [sim]() {
            *sim = std::make_unique<SimRun>(SimFlags{
                .records = 300, .seed = 2027, .rows_per_export = 60, .malformed_rate = 0.1, .resend_rate = 0.1});
            return plugin_config((*sim)->dir(), {{"rows_per_poll", 50}});
          },
      .stop_upstream = [sim]() { sim->reset(); },
  });
  return RUN_ALL_TESTS();
}
