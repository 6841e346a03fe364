// yizhan::sdk::host::validate_config: the typed config schema every plugin declares
// (docs/architecture.md §14). The hub runs it on every instance before anything starts.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>
#include <yizhan/sdk/host.hpp>

namespace {
namespace json = boost::json;
using yizhan::sdk::host::validate_config;

constexpr yz_config_field kFields[] = {
    {"base_url", YZ_CFG_STRING, 1, nullptr, "Base URL of the hotline system's API", 0, -1},
    {"page_size", YZ_CFG_INT, 0, "100", "Work orders per request", 1, 1000},
    {"verify_tls", YZ_CFG_BOOL, 0, "true", "Check the server certificate", 0, -1},
    {"timeout_s", YZ_CFG_DOUBLE, 0, "2.5", "Seconds before a request is abandoned", 0, -1},
    {"category_map", YZ_CFG_STRING_MAP, 0, nullptr, "Upstream category code to taxonomy id", 0, -1},
    {"districts", YZ_CFG_STRING_LIST, 0, nullptr, "Division codes to fetch", 0, -1},
    {"offset", YZ_CFG_INT, 0, nullptr, "Any integer (unbounded: min > max)", 0, -1},
    {"token", YZ_CFG_STRING, 0, nullptr, "API token", 0, -1},
};

yz_plugin_descriptor descriptor(const yz_config_field* fields = kFields,
                                uint32_t count = sizeof(kFields) / sizeof(kFields[0])) {
  yz_plugin_descriptor d{};
  d.struct_size = sizeof(d);
  d.abi_major = YZ_ABI_MAJOR;
  d.abi_minor = YZ_ABI_MINOR;
  d.name = "hotline12345";
  d.version = "1.0.0";
  d.description = "test";
  d.capabilities = YZ_CAP_SOURCE;
  d.config = fields;
  d.config_count = count;
  return d;
}

const yz_plugin_descriptor kDescriptor = descriptor();

yizhan::sdk::host::ConfigCheck check(std::string_view config_json) {
  return validate_config(kDescriptor, "instances.county_12345", config_json);
}

std::string joined(const std::vector<std::string>& errors) {
  std::string s;
  for (const auto& e : errors) s += e + "\n";
  return s;
}

// Validates with base_url given plus `extra` (a JSON object's members, no braces).
yizhan::sdk::host::ConfigCheck check_with(const std::string& extra) {
  return check(R"({"base_url":"http://127.0.0.1:9000")" + (extra.empty() ? "" : "," + extra) + "}");
}

json::object normalized(const yizhan::sdk::host::ConfigCheck& c) {
  EXPECT_TRUE(c.errors.empty()) << joined(c.errors);
  if (!c.errors.empty()) return {};
  return json::parse(c.normalized_json).as_object();
}

TEST(ConfigSchema, UnknownKeyIsAnErrorNamingTheNearestKnownKey) {
  auto c = check_with(R"("page_sise":"10")");
  ASSERT_EQ(c.errors.size(), 1u) << joined(c.errors);
  const auto& e = c.errors[0];
  EXPECT_NE(e.find("instances.county_12345: "), std::string::npos) << e;
  EXPECT_NE(e.find("unknown key 'page_sise'"), std::string::npos) << e;
  EXPECT_NE(e.find("did you mean 'page_size'?"), std::string::npos) << e;
  EXPECT_NE(e.find("known keys: "), std::string::npos) << e;
  EXPECT_NE(e.find("verify_tls"), std::string::npos) << "lists the known keys: " << e;
  EXPECT_TRUE(c.normalized_json.empty());
}

TEST(ConfigSchema, UnknownKeyFarFromEveryKnownKeySuggestsNone) {
  auto c = check_with(R"("completely_unrelated":"1")");
  ASSERT_EQ(c.errors.size(), 1u) << joined(c.errors);
  EXPECT_NE(c.errors[0].find("unknown key 'completely_unrelated'"), std::string::npos);
  EXPECT_EQ(c.errors[0].find("did you mean"), std::string::npos) << c.errors[0];
}

TEST(ConfigSchema, UnknownKeyPicksTheClosestOfSeveral) {
  auto c = check_with(R"("tokn":"x")");
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_NE(c.errors[0].find("did you mean 'token'?"), std::string::npos) << c.errors[0];
}

TEST(ConfigSchema, MissingRequiredKeyIsAnErrorWithItsTypeAndDescription) {
  auto c = check(R"({"page_size":"10"})");
  ASSERT_EQ(c.errors.size(), 1u) << joined(c.errors);
  EXPECT_NE(c.errors[0].find("missing required key 'base_url'"), std::string::npos) << c.errors[0];
  EXPECT_NE(c.errors[0].find("string"), std::string::npos) << c.errors[0];
  EXPECT_NE(c.errors[0].find("Base URL of the hotline system's API"), std::string::npos) << c.errors[0];
}

TEST(ConfigSchema, NullForARequiredKeyCountsAsMissing) {
  // YAML `base_url:` with nothing after it arrives as null.
  auto c = check(R"({"base_url":null})");
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_NE(c.errors[0].find("missing required key 'base_url'"), std::string::npos);
}

TEST(ConfigSchema, EmptyConfigIsAnEmptyMapping) {
  auto c = check("");
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_NE(c.errors[0].find("missing required key 'base_url'"), std::string::npos);
  EXPECT_TRUE(check("null").errors.size() == 1u);
}

TEST(ConfigSchema, ConfigThatIsNotAMappingIsRejected) {
  auto list = check(R"(["base_url"])");
  ASSERT_EQ(list.errors.size(), 1u);
  EXPECT_NE(list.errors[0].find("must be a mapping"), std::string::npos) << list.errors[0];
  auto broken = check(R"({"base_url": )");
  ASSERT_EQ(broken.errors.size(), 1u);
  EXPECT_NE(broken.errors[0].find("not valid JSON"), std::string::npos) << broken.errors[0];
}

TEST(ConfigSchema, IntegersMustLieWithinTheirBounds) {
  EXPECT_EQ(normalized(check_with(R"("page_size":"1")")).at("page_size").as_int64(), 1);
  EXPECT_EQ(normalized(check_with(R"("page_size":"1000")")).at("page_size").as_int64(), 1000);
  for (const char* bad : {"0", "1001", "-5"}) {
    auto c = check_with(std::string(R"("page_size":")") + bad + "\"");
    ASSERT_EQ(c.errors.size(), 1u) << bad;
    EXPECT_NE(c.errors[0].find("key 'page_size'"), std::string::npos) << c.errors[0];
    EXPECT_NE(c.errors[0].find("out of range [1, 1000]"), std::string::npos) << c.errors[0];
  }
}

TEST(ConfigSchema, IntegersMustBeWholeNumbers) {
  for (const char* bad : {"\"12abc\"", "\"1.5\"", "\"\"", "\"ten\"", "[1]", "{}"}) {
    auto c = check_with(std::string(R"("page_size":)") + bad);
    ASSERT_EQ(c.errors.size(), 1u) << bad;
    EXPECT_NE(c.errors[0].find("key 'page_size': expected an integer"), std::string::npos) << c.errors[0];
  }
  // A JSON number is as good as YAML's text.
  EXPECT_EQ(normalized(check_with(R"("page_size":250)")).at("page_size").as_int64(), 250);
}

TEST(ConfigSchema, MinAboveMaxMeansUnbounded) {
  auto n = normalized(check_with(R"("offset":"-9223372036854775808")"));
  EXPECT_EQ(n.at("offset").as_int64(), INT64_MIN);
}

TEST(ConfigSchema, BooleansAcceptYamlWords) {
  for (const char* yes : {"\"true\"", "\"yes\"", "\"on\"", "true"})
    EXPECT_TRUE(normalized(check_with(std::string(R"("verify_tls":)") + yes)).at("verify_tls").as_bool()) << yes;
  for (const char* no : {"\"false\"", "\"no\"", "\"off\"", "false"})
    EXPECT_FALSE(normalized(check_with(std::string(R"("verify_tls":)") + no)).at("verify_tls").as_bool()) << no;
  auto c = check_with(R"("verify_tls":"maybe")");
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_NE(c.errors[0].find("key 'verify_tls': expected true or false, got 'maybe'"), std::string::npos)
      << c.errors[0];
}

TEST(ConfigSchema, NumbersParseFully) {
  EXPECT_DOUBLE_EQ(normalized(check_with(R"("timeout_s":"0.25")")).at("timeout_s").as_double(), 0.25);
  EXPECT_DOUBLE_EQ(normalized(check_with(R"("timeout_s":"1e3")")).at("timeout_s").as_double(), 1000.0);
  auto c = check_with(R"("timeout_s":"2.5s")");
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_NE(c.errors[0].find("key 'timeout_s': expected a number, got '2.5s'"), std::string::npos) << c.errors[0];
}

TEST(ConfigSchema, StringsAcceptAnyScalarButNotStructures) {
  EXPECT_EQ(normalized(check_with(R"("token":12345)")).at("token").as_string(), "12345");
  auto c = check_with(R"("token":{"a":"b"})");
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_NE(c.errors[0].find("key 'token': expected a string"), std::string::npos) << c.errors[0];
}

TEST(ConfigSchema, StringMapsTakeMappingsOfScalars) {
  auto n = normalized(check_with(R"("category_map":{"0101":"矛盾纠纷/土地","7":7})"));
  const auto& m = n.at("category_map").as_object();
  EXPECT_EQ(m.at("0101").as_string(), "矛盾纠纷/土地");
  EXPECT_EQ(m.at("7").as_string(), "7") << "scalars are kept as strings";

  auto list = check_with(R"("category_map":["a","b"])");
  ASSERT_EQ(list.errors.size(), 1u);
  EXPECT_NE(list.errors[0].find("key 'category_map': expected a map of strings"), std::string::npos) << list.errors[0];
  auto nested = check_with(R"("category_map":{"a":{"b":"c"}})");
  ASSERT_EQ(nested.errors.size(), 1u);
  EXPECT_NE(nested.errors[0].find("entry 'a' is not a string"), std::string::npos) << nested.errors[0];
}

TEST(ConfigSchema, StringListsTakeSequencesOfScalars) {
  auto n = normalized(check_with(R"("districts":["140929100","140929101",3])"));
  const auto& a = n.at("districts").as_array();
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[0].as_string(), "140929100");
  EXPECT_EQ(a[2].as_string(), "3");

  auto scalar = check_with(R"("districts":"140929100")");
  ASSERT_EQ(scalar.errors.size(), 1u);
  EXPECT_NE(scalar.errors[0].find("key 'districts': expected a list of strings"), std::string::npos)
      << scalar.errors[0];
  auto nested = check_with(R"("districts":[["x"]])");
  ASSERT_EQ(nested.errors.size(), 1u);
  EXPECT_NE(nested.errors[0].find("a list entry is not a string"), std::string::npos) << nested.errors[0];
}

TEST(ConfigSchema, NullForAnOptionalKeyIsLikeLeavingItOut) {
  // YAML `category_map:` with nothing after it arrives as null: the default applies,
  // or null when there is none (Config::string_map then reads it as empty).
  auto n = normalized(check_with(R"("category_map":null,"districts":null,"page_size":null)"));
  EXPECT_TRUE(n.at("category_map").is_null());
  EXPECT_TRUE(n.at("districts").is_null());
  EXPECT_EQ(n.at("page_size").as_int64(), 100);
}

TEST(ConfigSchema, DefaultsAreFilledInWithTheirTypes) {
  auto n = normalized(check_with(""));
  EXPECT_EQ(n.at("base_url").as_string(), "http://127.0.0.1:9000");
  EXPECT_EQ(n.at("page_size").as_int64(), 100);
  EXPECT_TRUE(n.at("verify_tls").as_bool());
  EXPECT_DOUBLE_EQ(n.at("timeout_s").as_double(), 2.5);
  // Optional keys without a default are present, as null, so a plugin can ask has().
  EXPECT_TRUE(n.at("token").is_null());
  EXPECT_TRUE(n.at("offset").is_null());
  EXPECT_EQ(n.size(), sizeof(kFields) / sizeof(kFields[0]));
}

TEST(ConfigSchema, GivenValuesOverrideDefaults) {
  auto n = normalized(check_with(R"("page_size":"20","verify_tls":"off")"));
  EXPECT_EQ(n.at("page_size").as_int64(), 20);
  EXPECT_FALSE(n.at("verify_tls").as_bool());
}

TEST(ConfigSchema, EveryErrorIsReportedAtOnce) {
  auto c = check(R"({"page_size":"0","verify_tls":"maybe","colour":"red","districts":"x"})");
  EXPECT_EQ(c.errors.size(), 5u) << joined(c.errors);  // + missing base_url
  EXPECT_TRUE(c.normalized_json.empty());
}

TEST(ConfigSchema, AnInvalidDefaultIsThePluginsFault) {
  constexpr yz_config_field bad[] = {{"retries", YZ_CFG_INT, 0, "many", "How often to retry", 0, 10}};
  auto d = descriptor(bad, 1);
  auto c = validate_config(d, "x", "{}");
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_NE(c.errors[0].find("the plugin's default for 'retries' is invalid"), std::string::npos) << c.errors[0];
}

TEST(ConfigSchema, ValidatesWhatYamlGives) {
  // The hub reads instance config from YAML, where every scalar is text.
  const auto config = yizhan::sdk::host::yaml_to_json(
      "base_url: http://127.0.0.1:9000\n"
      "page_size: 50\n"
      "verify_tls: no\n"
      "category_map:\n"
      "  '0101': 矛盾纠纷/土地\n"
      "districts: [140929100, 140929101]\n");
  auto n = normalized(check(config));
  EXPECT_EQ(n.at("page_size").as_int64(), 50);
  EXPECT_FALSE(n.at("verify_tls").as_bool());
  EXPECT_EQ(n.at("category_map").as_object().at("0101").as_string(), "矛盾纠纷/土地");
  EXPECT_EQ(n.at("districts").as_array().size(), 2u);
}

}  // namespace
