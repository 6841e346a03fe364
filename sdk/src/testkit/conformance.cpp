// The conformance tests every plugin runs (what they check: yizhan/sdk/testkit.hpp).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>
#include <yizhan/sdk/host.hpp>
#include <yizhan/sdk/testkit.hpp>

namespace yizhan::sdk::testkit {
namespace json = boost::json;
namespace {

// Stops the upstream when a test ends, however it ends.
struct UpstreamGuard {
  const PluginUnderTest& p;
  ~UpstreamGuard() {
    if (p.stop_upstream) p.stop_upstream();
  }
};

const yz_plugin_descriptor& load(const PluginUnderTest& p) {
  return *host::load_plugin(p.library, host::null_host_api()).descriptor;
}

std::string example_json(const PluginUnderTest& p) { return host::yaml_file_to_json(p.example_config); }

std::string with_key(const std::string& config, std::string_view key, json::value v) {
  auto o = json::parse(config).as_object();
  if (v.is_null())
    o.erase(key);
  else
    o[key] = std::move(v);
  return json::serialize(o);
}

bool any_mentions(const std::vector<std::string>& errs, std::string_view what) {
  for (const auto& e : errs)
    if (e.find(what) != std::string::npos) return true;
  return false;
}

std::set<std::string> mapped_ids(const std::vector<PolledRecord>& records) {
  std::set<std::string> ids;
  for (const auto& r : records)
    if (r.error.empty()) ids.insert(r.external_id);
  return ids;
}

template <class Body>
void add(const PluginUnderTest& p, const char* test, Body body) {
  std::string suite = "Conformance/" + p.name;
  ::testing::RegisterTest(suite.c_str(), test, nullptr, nullptr, __FILE__, __LINE__, [p, body]() -> ::testing::Test* {
    struct T : ::testing::Test {
      PluginUnderTest p;
      Body body;
      T(PluginUnderTest pp, Body b) : p(std::move(pp)), body(std::move(b)) {}
      void TestBody() override { body(p); }
    };
    return new T(p, body);
  });
}

}  // namespace

void register_conformance_tests(const PluginUnderTest& plugin) {
  add(plugin, "DescriptorIsSane", [](const PluginUnderTest& p) {
    const auto& d = load(p);
    EXPECT_TRUE(host::check_descriptor(&d).empty());
    EXPECT_EQ(std::string(d.name), p.name) << "the descriptor name must equal the plugin's folder name";
    EXPECT_EQ(d.abi_major, YZ_ABI_MAJOR);
  });
  add(plugin, "ExampleConfigValidates", [](const PluginUnderTest& p) {
    auto check = host::validate_config(load(p), p.name, example_json(p));
    EXPECT_TRUE(check.errors.empty()) << (check.errors.empty() ? "" : check.errors.front());
  });
  add(plugin, "UnknownKeyIsRejectedByName", [](const PluginUnderTest& p) {
    auto check = host::validate_config(load(p), p.name, with_key(example_json(p), "no_such_key_x", "1"));
    EXPECT_TRUE(any_mentions(check.errors, "unknown key 'no_such_key_x'"));
  });
  add(plugin, "MissingRequiredKeyIsRejected", [](const PluginUnderTest& p) {
    const auto& d = load(p);
    for (uint32_t i = 0; i < d.config_count; ++i) {
      if (!d.config[i].required) continue;
      auto check = host::validate_config(d, p.name, with_key(example_json(p), d.config[i].key, nullptr));
      EXPECT_TRUE(any_mentions(check.errors, std::string("missing required key '") + d.config[i].key))
          << d.config[i].key;
    }
  });
  add(plugin, "WrongTypeIsRejected", [](const PluginUnderTest& p) {
    const auto& d = load(p);
    for (uint32_t i = 0; i < d.config_count; ++i) {
      const auto& f = d.config[i];
      if (f.type != YZ_CFG_INT && f.type != YZ_CFG_BOOL && f.type != YZ_CFG_DOUBLE) continue;
      auto check = host::validate_config(d, p.name, with_key(example_json(p), f.key, "not-a-value"));
      EXPECT_TRUE(any_mentions(check.errors, std::string("key '") + f.key + "'")) << f.key;
    }
  });
  if (plugin.push_config && plugin.genuine_push) {
    add(plugin, "GenuinePushIsAcceptedWithItsRecords", [](const PluginUnderTest& p) {
      InstanceUnderTest inst(p.library, p.push_config());
      const auto call = p.genuine_push(5);
      auto first = inst.push(call);
      ASSERT_EQ(first.code, YZ_OK) << first.message;
      EXPECT_TRUE(first.http_status == 0 || (first.http_status >= 200 && first.http_status < 300)) << first.http_status;
      ASSERT_EQ(first.records.size(), 5u);
      for (const auto& r : first.records) {
        EXPECT_FALSE(r.external_id.empty());
        EXPECT_FALSE(r.raw.empty()) << "raw payload must be kept for audit and dead letters";
      }
      // Senders retry until they see a 2xx: the same push gives the same records.
      auto again = inst.push(call);
      ASSERT_EQ(again.code, YZ_OK) << again.message;
      ASSERT_EQ(again.records.size(), first.records.size());
      for (size_t i = 0; i < first.records.size(); ++i) {
        EXPECT_EQ(again.records[i].external_id, first.records[i].external_id);
        if (first.records[i].mapped && again.records[i].mapped) {
          EXPECT_EQ(again.records[i].mapped->version, first.records[i].mapped->version);
        }
      }
    });
  }
  if (plugin.push_config && plugin.forged_push) {
    add(plugin, "ForgedPushIsRefusedWithNothingToStore", [](const PluginUnderTest& p) {
      InstanceUnderTest inst(p.library, p.push_config());
      auto out = inst.push(p.forged_push());
      EXPECT_NE(out.code, YZ_OK);
      EXPECT_GE(out.http_status, 400);
      EXPECT_LT(out.http_status, 500);
      EXPECT_TRUE(out.records.empty());
      EXPECT_FALSE(out.message.empty());
    });
  }
  // Live tests run only when the plugin's tests can start its upstream.
  if (!plugin.start_upstream) return;
  add(plugin, "UnreadableCursorIsAnErrorNotACrash", [](const PluginUnderTest& p) {
    UpstreamGuard guard{p};
    InstanceUnderTest inst(p.library, p.start_upstream(10));
    auto b = inst.poll("\x01garbage-cursor\xff");
    EXPECT_EQ(b.code, YZ_E_CURSOR_INVALID) << b.message;
    EXPECT_FALSE(b.message.empty());
  });
  add(plugin, "PollReturnsEveryRecordMapped", [](const PluginUnderTest& p) {
    UpstreamGuard guard{p};
    InstanceUnderTest inst(p.library, p.start_upstream(120));
    auto all = drain(inst);
    auto ids = mapped_ids(all.records);
    EXPECT_EQ(ids.size(), 120u);
    for (const auto& r : all.records) {
      if (!r.error.empty()) continue;
      ASSERT_TRUE(r.mapped.has_value());
      EXPECT_EQ(r.mapped->external_id, r.external_id);
      EXPECT_FALSE(r.raw.empty()) << "raw payload must be kept for audit and dead letters";
    }
  });
  add(plugin, "ResumesFromAnyCursorWithNoGap", [](const PluginUnderTest& p) {
    UpstreamGuard guard{p};
    std::string cfg = p.start_upstream(150);
    std::set<std::string> full;
    {
      InstanceUnderTest inst(p.library, cfg);
      full = mapped_ids(drain(inst).records);
    }
    // Take two batches, drop the instance (a crash), resume in a new one.
    std::set<std::string> resumed;
    std::string cursor;
    {
      InstanceUnderTest first(p.library, cfg);
      auto part = drain(first, {}, 2);
      resumed = mapped_ids(part.records);
      cursor = part.cursor;
    }
    {
      InstanceUnderTest second(p.library, cfg);
      for (auto& id : mapped_ids(drain(second, cursor).records)) resumed.insert(id);
    }
    EXPECT_EQ(resumed, full);
    EXPECT_EQ(full.size(), 150u);
  });
  if (!plugin.start_malformed_upstream) return;
  add(plugin, "MalformedUpstreamDataIsRejectedNotThrown", [](const PluginUnderTest& p) {
    UpstreamGuard guard{p};
    InstanceUnderTest inst(p.library, p.start_malformed_upstream());
    auto all = drain(inst);
    size_t rejected = 0;
    for (const auto& r : all.records)
      if (!r.error.empty()) {
        ++rejected;
        EXPECT_FALSE(r.raw.empty()) << "a rejected record keeps its raw payload";
      }
    EXPECT_GT(rejected, 0u) << "the malformed upstream served bad records; none were rejected";
  });
}

}  // namespace yizhan::sdk::testkit
