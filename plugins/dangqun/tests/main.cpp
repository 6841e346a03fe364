// dangqun_tests: the SDK conformance kit against the real simulator, plus this plugin's
// own tests (the other *_test.cpp files in this folder).
#include <gtest/gtest.h>

#include <memory>
#include <yizhan/sdk/testkit.hpp>

#include "sim_process.hpp"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  using namespace dangqun_test;
  // The kit starts one upstream per live test and stops it at the end of the test.
  auto sim = std::make_shared<std::unique_ptr<SimProcess>>();
  yizhan::sdk::testkit::register_conformance_tests({
      .name = "dangqun",
      .library = plugin_path(),
      .example_config = example_config_path(),
      .start_upstream =
          [sim](int records) {
            // Quirks on (the kit tolerates them), malformed records off: every record must map.
            *sim = std::make_unique<SimProcess>(SimFlags{.records = records,
                                                         .seed = 2026,
                                                         .update_interval_ms = 2,
                                                         .late_rate = 0.2,
                                                         .lock_every = 7,
                                                         .lock_ms = 50});
            return plugin_config((*sim)->connection(), {{"batch_size", 40}});
          },
      .start_malformed_upstream =
          [sim]() {
            *sim = std::make_unique<SimProcess>(
                SimFlags{.records = 300, .seed = 2027, .update_interval_ms = 2, .malformed_rate = 0.1});
            return plugin_config((*sim)->connection(), {{"batch_size", 50}});
          },
      .stop_upstream = [sim]() { sim->reset(); },
  });
  return RUN_ALL_TESTS();
}
