// yizhan::sdk::host::check_descriptor on hand-built descriptors: what the hub refuses
// before it calls anything in a plugin (docs/architecture.md §14).
#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <vector>
#include <yizhan/sdk/host.hpp>

namespace {
using yizhan::sdk::host::check_descriptor;

yz_status ok_create(const yz_host_api*, yz_bytes, yz_bytes, void** out) {
  *out = nullptr;
  return yz_status{};
}
void ok_destroy(void*) {}
yz_status ok_poll(void*, yz_bytes, yz_batch* out) {
  *out = yz_batch{};
  return yz_status{};
}

constexpr yz_source_vtable kSource{sizeof(yz_source_vtable), &ok_create, &ok_destroy, &ok_poll, nullptr};
constexpr yz_config_field kConfig[] = {
    {"base_url", YZ_CFG_STRING, 1, nullptr, "Base URL", 0, -1},
    {"page_size", YZ_CFG_INT, 0, "100", "Records per request", 1, 1000},
};

// A descriptor the hub accepts; each test breaks one thing.
yz_plugin_descriptor good() {
  return yz_plugin_descriptor{sizeof(yz_plugin_descriptor),
                              YZ_ABI_MAJOR,
                              YZ_ABI_MINOR,
                              "hotline12345",
                              "1.0.0",
                              "12345 hotline work orders",
                              YZ_CAP_SOURCE,
                              kConfig,
                              2,
                              &kSource,
                              nullptr,
                              nullptr};
}

std::string joined(const std::vector<std::string>& errors) {
  std::string s;
  for (const auto& e : errors) s += e + "\n";
  return s;
}

// True when some problem contains `text`.
::testing::AssertionResult Mentions(const std::vector<std::string>& errors, const std::string& text) {
  for (const auto& e : errors)
    if (e.find(text) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "no problem mentions '" << text << "'; problems:\n" << joined(errors);
}

TEST(DescriptorCheck, AWellFormedDescriptorHasNoProblems) {
  auto d = good();
  EXPECT_TRUE(check_descriptor(&d).empty()) << joined(check_descriptor(&d));
}

TEST(DescriptorCheck, NullDescriptorIsRefused) {
  EXPECT_TRUE(Mentions(check_descriptor(nullptr), "returned no descriptor"));
}

TEST(DescriptorCheck, AnotherAbiMajorIsRefusedWithBothVersions) {
  for (uint16_t major : {uint16_t(YZ_ABI_MAJOR - 1), uint16_t(YZ_ABI_MAJOR + 1)}) {
    auto d = good();
    d.abi_major = major;
    auto errs = check_descriptor(&d);
    ASSERT_EQ(errs.size(), 1u) << "nothing else is read from a foreign ABI: " << joined(errs);
    EXPECT_TRUE(Mentions(errs, "built for SDK ABI " + std::to_string(major) + "." + std::to_string(YZ_ABI_MINOR)));
    EXPECT_TRUE(Mentions(errs, "this hub speaks " + std::to_string(YZ_ABI_MAJOR) + "." + std::to_string(YZ_ABI_MINOR)));
    EXPECT_TRUE(Mentions(errs, "rebuild the plugin"));
  }
}

TEST(DescriptorCheck, ANewerMinorIsRefused) {
  auto d = good();
  d.abi_minor = YZ_ABI_MINOR + 1;
  auto errs = check_descriptor(&d);
  ASSERT_EQ(errs.size(), 1u) << joined(errs);
  EXPECT_TRUE(Mentions(errs, "minor must not be newer"));
}

TEST(DescriptorCheck, AStructTooSmallToHoldTheVersionIsRefused) {
  auto d = good();
  d.struct_size = 4;
  auto errs = check_descriptor(&d);
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_TRUE(Mentions(errs, "struct_size 4 is too small to hold a version"));
}

TEST(DescriptorCheck, AStructSmallerThanAbi1_0IsRefusedBeforeItsMembersAreRead) {
  auto d = good();
  d.struct_size = offsetof(yz_plugin_descriptor, source);  // stops just before `source`
  d.name = nullptr;                                        // would be a problem if it were read; it must not be
  auto errs = check_descriptor(&d);
  ASSERT_EQ(errs.size(), 1u) << joined(errs);
  EXPECT_TRUE(Mentions(errs, "struct_size " + std::to_string(d.struct_size) + " is smaller than ABI"));
  // ABI 1.0's size: a 1.0 plugin is read only that far (1.1 appended `push`).
  EXPECT_TRUE(Mentions(errs, "(" + std::to_string(offsetof(yz_plugin_descriptor, push)) + ")"));
}

TEST(DescriptorCheck, NamesMustBeLowerSnakeCaseIdentifiers) {
  for (const char* bad : {"Hotline", "12345hotline", "", "hot-line", "hot line", "热线",
                          "a_name_that_is_far_too_long_to_be_the_name_of_any_plugin_folder_x"}) {
    auto d = good();
    d.name = bad;
    EXPECT_TRUE(Mentions(check_descriptor(&d), std::string("plugin name '") + bad + "'")) << bad;
  }
  auto d = good();
  d.name = nullptr;
  EXPECT_TRUE(Mentions(check_descriptor(&d), "plugin name '(null)'"));
  for (const char* fine : {"a", "hotline12345", "grid_platform", "x9"}) {
    d.name = fine;
    EXPECT_TRUE(check_descriptor(&d).empty()) << fine << ": " << joined(check_descriptor(&d));
  }
}

TEST(DescriptorCheck, VersionsMustBeSemver) {
  for (const char* bad : {"1.0", "v1.0.0", "1.0.0.0", "1.x.0", "", "1.0.0~rc1"}) {
    auto d = good();
    d.version = bad;
    EXPECT_TRUE(Mentions(check_descriptor(&d), "is not semver")) << bad;
  }
  for (const char* fine : {"0.1.0", "1.2.3-alpha.1", "10.20.30+build.5"}) {
    auto d = good();
    d.version = fine;
    EXPECT_TRUE(check_descriptor(&d).empty()) << fine << ": " << joined(check_descriptor(&d));
  }
}

TEST(DescriptorCheck, ADescriptionIsRequired) {
  auto d = good();
  d.description = "";
  EXPECT_TRUE(Mentions(check_descriptor(&d), "has no description"));
}

TEST(DescriptorCheck, ASourceWithoutPollIsRefused) {
  yz_source_vtable no_poll = kSource;
  no_poll.poll = nullptr;
  auto d = good();
  d.source = &no_poll;
  EXPECT_TRUE(Mentions(check_descriptor(&d), "lacks a required callback (create, destroy or poll)"));
}

TEST(DescriptorCheck, ASourceWithoutCreateOrDestroyIsRefused) {
  yz_source_vtable v = kSource;
  v.create = nullptr;
  auto d = good();
  d.source = &v;
  EXPECT_TRUE(Mentions(check_descriptor(&d), "lacks a required callback"));
  v = kSource;
  v.destroy = nullptr;
  EXPECT_TRUE(Mentions(check_descriptor(&d), "lacks a required callback"));
}

TEST(DescriptorCheck, OnCommittedIsOptional) {
  auto d = good();
  ASSERT_EQ(d.source->on_committed, nullptr);
  EXPECT_TRUE(check_descriptor(&d).empty());
}

TEST(DescriptorCheck, ASourceCapabilityNeedsItsVtable) {
  auto d = good();
  d.source = nullptr;
  EXPECT_TRUE(Mentions(check_descriptor(&d), "declares the source capability but has no source vtable"));
}

TEST(DescriptorCheck, ATooSmallSourceVtableIsRefused) {
  yz_source_vtable small = kSource;
  small.struct_size = offsetof(yz_source_vtable, poll);
  auto d = good();
  d.source = &small;
  EXPECT_TRUE(Mentions(check_descriptor(&d),
                       "source vtable struct_size " + std::to_string(small.struct_size) + " is too small"));
}

TEST(DescriptorCheck, CapabilitiesMustBeKnownAndPresent) {
  auto d = good();
  d.capabilities = 0;
  EXPECT_TRUE(Mentions(check_descriptor(&d), "declares no capability"));
  d.capabilities = YZ_CAP_SOURCE | 0x80u;
  EXPECT_TRUE(Mentions(check_descriptor(&d), "unknown capability bits 128"));
}

TEST(DescriptorCheck, ConfigSchemaProblemsNameTheField) {
  const yz_config_field bad[] = {
      {"base_url", YZ_CFG_STRING, 1, nullptr, "Base URL", 0, -1},
      {"base_url", YZ_CFG_STRING, 0, nullptr, "Again", 0, -1},
      {"Page-Size", YZ_CFG_INT, 0, nullptr, "Bad key", 0, -1},
      {"colour", 42, 0, nullptr, "Unknown type", 0, -1},
      {"retries", YZ_CFG_INT, 0, "3", "", 0, 10},
  };
  auto d = good();
  d.config = bad;
  d.config_count = 5;
  auto errs = check_descriptor(&d);
  EXPECT_TRUE(Mentions(errs, "config field #1 'base_url' is declared twice"));
  EXPECT_TRUE(Mentions(errs, "config field #2 has an invalid key"));
  EXPECT_TRUE(Mentions(errs, "config field #3 'colour' has an unknown type"));
  EXPECT_TRUE(Mentions(errs, "config field #4 'retries' has no description"));
  EXPECT_EQ(errs.size(), 4u) << joined(errs);
}

TEST(DescriptorCheck, AConfigCountWithoutATableIsRefused) {
  auto d = good();
  d.config = nullptr;
  EXPECT_TRUE(Mentions(check_descriptor(&d), "config_count is set but the config table is null"));
  d.config_count = 0;
  EXPECT_TRUE(check_descriptor(&d).empty()) << "a plugin without config is fine";
}

TEST(DescriptorCheck, EveryProblemIsReportedAtOnce) {
  auto d = good();
  d.name = "Bad";
  d.version = "one";
  d.description = nullptr;
  auto errs = check_descriptor(&d);
  EXPECT_EQ(errs.size(), 3u) << joined(errs);
}

}  // namespace

namespace {
yz_status ok_push(void*, const yz_push_request*, yz_push_reply* out) {
  *out = yz_push_reply{};
  return yz_status{};
}
constexpr yz_push_vtable kPush{sizeof(yz_push_vtable), &ok_create, &ok_destroy, &ok_push};

TEST(DescriptorCheck, APushPluginNeedsOnlyItsPushVtable) {
  auto d = good();
  d.capabilities = YZ_CAP_PUSH;
  d.source = nullptr;
  d.push = &kPush;
  EXPECT_TRUE(check_descriptor(&d).empty()) << joined(check_descriptor(&d));
  d.push = nullptr;
  EXPECT_TRUE(Mentions(check_descriptor(&d), "declares the push capability but has no push vtable"));
  yz_push_vtable no_on_push = kPush;
  no_on_push.on_push = nullptr;
  d.push = &no_on_push;
  EXPECT_TRUE(Mentions(check_descriptor(&d), "push vtable lacks a required callback"));
}

// A plugin built against ABI 1.0 has a 64-byte descriptor: `push` is not its memory
// and must not be read; declaring the capability there is refused.
TEST(DescriptorCheck, AnAbi1_0DescriptorCannotDeclarePushAndItsTailIsNeverRead) {
  auto d = good();
  d.struct_size = offsetof(yz_plugin_descriptor, push);
  d.abi_minor = 0;
  d.push = &kPush;  // what lies beyond a 1.0 descriptor: must be ignored
  EXPECT_TRUE(check_descriptor(&d).empty()) << joined(check_descriptor(&d));
  EXPECT_EQ(yizhan::sdk::host::push_vtable(d), nullptr);
  d.capabilities = YZ_CAP_SOURCE | YZ_CAP_PUSH;
  EXPECT_TRUE(Mentions(check_descriptor(&d), "declares the push capability (ABI 1.1)"));
}

yz_status ok_deliver(void*, const yz_delivery*) { return yz_status{}; }
constexpr yz_sink_vtable kSink{sizeof(yz_sink_vtable), &ok_create, &ok_destroy, &ok_deliver};

TEST(DescriptorCheck, ASinkBesideASourceOrAloneNeedsItsDeliverAndAloneItsLifecycle) {
  auto d = good();
  d.capabilities = YZ_CAP_SOURCE | YZ_CAP_SINK;
  d.sink = &kSink;
  EXPECT_TRUE(check_descriptor(&d).empty()) << joined(check_descriptor(&d));
  d.sink = nullptr;
  EXPECT_TRUE(Mentions(check_descriptor(&d), "declares the sink capability but has no sink vtable"));
  yz_sink_vtable no_deliver = kSink;
  no_deliver.deliver = nullptr;
  d.sink = &no_deliver;
  EXPECT_TRUE(Mentions(check_descriptor(&d), "sink vtable lacks a required callback"));
  // Beside a source, instances come from the source vtable: create/destroy may be null.
  yz_sink_vtable deliver_only{sizeof(yz_sink_vtable), nullptr, nullptr, &ok_deliver};
  d.sink = &deliver_only;
  EXPECT_TRUE(check_descriptor(&d).empty()) << joined(check_descriptor(&d));
  // Alone, they are required, and instances come from them.
  d.capabilities = YZ_CAP_SINK;
  d.source = nullptr;
  EXPECT_TRUE(Mentions(check_descriptor(&d), "sink vtable lacks a required callback"));
  d.sink = &kSink;
  EXPECT_TRUE(check_descriptor(&d).empty()) << joined(check_descriptor(&d));
  EXPECT_EQ(yizhan::sdk::host::lifecycle(d).create, kSink.create);
}

// A 1.1 plugin's descriptor (72 bytes) ends before `sink`: never read, never declared.
TEST(DescriptorCheck, AnAbi1_1DescriptorCannotDeclareASinkAndItsTailIsNeverRead) {
  auto d = good();
  d.struct_size = offsetof(yz_plugin_descriptor, sink);
  d.abi_minor = 1;
  d.sink = &kSink;
  EXPECT_TRUE(check_descriptor(&d).empty()) << joined(check_descriptor(&d));
  EXPECT_EQ(yizhan::sdk::host::sink_vtable(d), nullptr);
  d.capabilities = YZ_CAP_SOURCE | YZ_CAP_SINK;
  EXPECT_TRUE(Mentions(check_descriptor(&d), "declares the sink capability (ABI 1.2)"));
}
}  // namespace
