// zongzhi_tests: the SDK conformance kit against the real simulator, plus this plugin's
// own tests (the other *_test.cpp files in this folder).
#include <gtest/gtest.h>

#include <memory>
#include <yizhan/sdk/testkit.hpp>

#include "sim_process.hpp"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  using namespace zongzhi_test;
  // The kit starts one upstream per live test and stops it at the end of the test.
  auto sim = std::make_shared<std::unique_ptr<SimProcess>>();
  yizhan::sdk::testkit::register_conformance_tests({
      .name = "zongzhi",
      .library = plugin_path(),
      .example_config = example_config_path(),
      .start_upstream =
          [sim](int records) {
            // Quirks on (the kit tolerates them), malformed records off: every record must map.
            *sim = std::make_unique<SimProcess>(SimFlags{.records = records,
                                                         .seed = 2026,
                                                         .token_ttl_s = 2,
                                                         .fault_rate = 0.05,
                                                         .revoke_rate = 0.05,
                                                         .dup_rate = 0.2,
                                                         .update_ticks = 30});
            return plugin_config(**sim, {{"page_size", 40}});
          },
      .start_malformed_upstream =
          [sim]() {
            *sim = std::make_unique<SimProcess>(
                SimFlags{.records = 300, .seed = 2027, .fault_rate = 0.05, .dup_rate = 0.2, .malformed_rate = 0.1});
            return plugin_config(**sim, {{"page_size", 50}});
          },
      .stop_upstream = [sim]() { sim->reset(); },
  });
  return RUN_ALL_TESTS();
}
