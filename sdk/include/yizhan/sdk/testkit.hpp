// Yizhan SDK — the conformance test kit (GoogleTest).
//
// Every plugin runs the same conformance tests: its descriptor is sane,
// its example config validates, its schema rejects unknown keys, missing required
// keys and wrong types, poll is resumable from any cursor with no gap, a cursor it
// cannot read is an error and not a crash, and malformed upstream data becomes a
// rejected record (a dead letter in the hub), never an exception across the ABI.
//
// A plugin's test main registers itself:
//
//   int main(int argc, char** argv) {
//     ::testing::InitGoogleTest(&argc, argv);
//     yizhan::sdk::testkit::register_conformance_tests({
//         .name = "my_system",
//         .library = argv_path_to("yizhan_my_system.so"),
//         .example_config = ".../config.example.yaml",
//         .start_upstream = [](int n) { /* start simulator with n records */ return cfg; },
//     });
//     return RUN_ALL_TESTS();
//   }
#pragma once

#include <yizhan/sdk/abi.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>
#include <yizhan/sdk/case.hpp>

namespace yizhan::sdk::testkit {

// One pushed request (ABI 1.1), as the department system sends it to /hooks/<instance>.
struct PushCall {
  std::string method = "POST";
  std::string target = "/hooks/test";
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;
};

// Members have defaults so that designated initializers naming only some of them
// stay valid (and warning-free) when the kit grows new optional members.
struct PluginUnderTest {
  std::string name;                      // expected descriptor name (the folder's)
  std::filesystem::path library;         // the built plugin file
  std::filesystem::path example_config;  // its config.example.yaml
  // Starts the upstream (e.g. the simulator) serving `records` distinct records and
  // returns an instance config (JSON object text) pointing at it. Quirks such as
  // re-sent pages and transient errors should stay on: the kit tolerates them.
  std::function<std::string(int records)> start_upstream = {};
  // Optional: starts an upstream that serves malformed records among good ones.
  std::function<std::string()> start_malformed_upstream = {};
  // Stops whatever start_* started. Called after each test that started something.
  std::function<void()> stop_upstream = {};

  // Push plugins (ABI 1.1). Optional; when `push_config` is set the kit also checks:
  // a genuine push of n records is accepted with n records and a 2xx answer, sent
  // twice it gives the same records (senders retry), and a forged one is refused
  // (4xx) with nothing to store.
  std::function<std::string()> push_config = {};           // an instance config (JSON object text)
  std::function<PushCall(int records)> genuine_push = {};  // what the system sends, signed
  std::function<PushCall()> forged_push = {};              // e.g. the same body, wrong signature
};

// Registers the conformance tests as "Conformance/<name>.<Test>".
void register_conformance_tests(const PluginUnderTest& plugin);

// One record as it crossed the ABI, copied out.
struct PolledRecord {
  std::string external_id;
  std::optional<CaseRecord> mapped;  // parsed case_json; empty when rejected
  std::string raw;
  std::string error;
};

struct PolledBatch {
  int code = YZ_OK;     // yz_status code of the poll
  std::string message;  // yz_status message
  std::vector<PolledRecord> records;
  std::string next_cursor;
  bool has_more = false;
};

// What the plugin made of it.
struct PushOutcome {
  int code = YZ_OK;  // yz_status code of on_push
  std::string message;
  int http_status = 0;  // as the plugin set it (0: the hub's default)
  std::string content_type, body;
  std::vector<PolledRecord> records;
};

// One write-back (ABI 1.2), as the hub hands it to deliver().
struct DeliveryCall {
  std::string delivery_id, kind, external_id, payload_json;
};
struct DeliveryOutcome {
  int code = YZ_OK;  // yz_status code of deliver: OK, UPSTREAM (retry), INVALID_ARGUMENT (refused)
  std::string message;
};

// Drives one plugin instance through the C ABI exactly as the hub does.
// For a plugin's own tests beyond conformance.
class InstanceUnderTest {
 public:
  // Loads `library` (checked like the hub does), validates `config_json`, creates.
  // Throws std::runtime_error with the reason if any step fails.
  InstanceUnderTest(const std::filesystem::path& library, std::string_view config_json,
                    std::string instance_name = "test");
  ~InstanceUnderTest();
  InstanceUnderTest(const InstanceUnderTest&) = delete;
  InstanceUnderTest& operator=(const InstanceUnderTest&) = delete;

  // The source capability; YZ_E_UNSUPPORTED for a plugin without it.
  PolledBatch poll(std::string_view cursor);
  // The push capability (ABI 1.1); YZ_E_UNSUPPORTED for a plugin without it.
  PushOutcome push(const PushCall& call);
  // The sink capability (ABI 1.2); YZ_E_UNSUPPORTED for a plugin without it.
  DeliveryOutcome deliver(const DeliveryCall& call);
  const yz_plugin_descriptor& descriptor() const { return *descriptor_; }

 private:
  const yz_plugin_descriptor* descriptor_ = nullptr;
  void* instance_ = nullptr;
};

// Polls from `cursor` until a batch is empty with has_more false (or max_polls),
// retrying YZ_E_UPSTREAM up to `upstream_retries` times in a row. Returns every
// record in order and the final cursor; throws on any other error status.
struct Drained {
  std::vector<PolledRecord> records;
  std::string cursor;
  int polls = 0;
};
Drained drain(InstanceUnderTest& instance, std::string cursor = {}, int max_polls = 100000, int upstream_retries = 20);

}  // namespace yizhan::sdk::testkit
