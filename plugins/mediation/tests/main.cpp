// mediation_tests: the SDK conformance kit (push), plus this plugin's own tests (the
// other *_test.cpp files in this folder).
#include <gtest/gtest.h>

#include <yizhan/sdk/testkit.hpp>

#include "support.hpp"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  using namespace mediation_test;
  yizhan::sdk::testkit::register_conformance_tests({
      .name = "mediation",
      .library = plugin_path(),
      .example_config = example_config_path(),
      .push_config = [] { return plugin_config(); },
      .genuine_push =
          [](int n) {
            std::vector<boost::json::object> cases;
            for (int i = 1; i <= n; ++i) cases.push_back(good_case(i, 1 + i % 3));
            return signed_call(batch_of(cases));
          },
      .forged_push =
          [] {
            auto call = signed_call(batch_of({good_case(1)}), "not-the-secret");
            return call;
          },
  });
  return RUN_ALL_TESTS();
}
