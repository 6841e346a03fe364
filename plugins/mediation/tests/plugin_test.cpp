// The plugin through the C ABI, as the hub drives it: authentication, the acknowledgement,
// partial batches, bodies that are not batches, replays, config refusals, masked logs.
#include <gtest/gtest.h>

#include <mutex>
#include <yizhan/sdk/host.hpp>

#include "support.hpp"

namespace mediation_test {
namespace {
namespace json = boost::json;
using yizhan::sdk::testkit::InstanceUnderTest;

TEST(MediationPlugin, AGenuineBatchIsAcknowledgedAsTheSystemExpects) {
  InstanceUnderTest inst(plugin_path(), plugin_config());
  auto out = inst.push(signed_call(batch_of({good_case(1), good_case(2, 2)}, "MB-7-000042")));
  ASSERT_EQ(out.code, YZ_OK) << out.message;
  EXPECT_TRUE(out.http_status == 0 || out.http_status == 200);
  EXPECT_EQ(json::parse(out.body), json::parse(R"({"code":0,"msg":"received","batchId":"MB-7-000042"})"));
  ASSERT_EQ(out.records.size(), 2u);
  EXPECT_EQ(out.records[1].mapped->status, "in_progress");
}

TEST(MediationPlugin, AWrongSignatureIsRefused401NamingTheSignatureNotTheSecret) {
  InstanceUnderTest inst(plugin_path(), plugin_config({{"secret", "the-real-s3cret"}}));
  auto out = inst.push(signed_call(batch_of({good_case(1)}), "a-guess"));
  EXPECT_EQ(out.http_status, 401);
  EXPECT_NE(out.message.find("signature does not verify"), std::string::npos) << out.message;
  EXPECT_EQ(out.message.find("the-real-s3cret"), std::string::npos);
  EXPECT_TRUE(out.records.empty());
}

TEST(MediationPlugin, ATamperedBodyIsRefused) {
  InstanceUnderTest inst(plugin_path(), plugin_config());
  auto call = signed_call(batch_of({good_case(1)}));
  call.body.replace(call.body.find("TJ-2026-000001"), 14, "TJ-2026-000666");
  auto out = inst.push(call);
  EXPECT_EQ(out.http_status, 401);
  EXPECT_TRUE(out.records.empty());
}

TEST(MediationPlugin, AnExpiredOrFutureTimestampIsRefusedNamingTheWindow) {
  InstanceUnderTest inst(plugin_path(), plugin_config({{"max_clock_skew_s", 60}}));
  auto old = inst.push(signed_call(batch_of({good_case(1)}), kSecret, -120));
  EXPECT_EQ(old.http_status, 401);
  EXPECT_NE(old.message.find("timestamp outside the window"), std::string::npos) << old.message;
  EXPECT_NE(old.message.find("max_clock_skew_s 60"), std::string::npos) << old.message;
  auto future = inst.push(signed_call(batch_of({good_case(1)}), kSecret, 120));
  EXPECT_EQ(future.http_status, 401);
  EXPECT_EQ(inst.push(signed_call(batch_of({good_case(1)}), kSecret, -30)).code, YZ_OK);
}

TEST(MediationPlugin, MissingHeadersAreRefusedByName) {
  InstanceUnderTest inst(plugin_path(), plugin_config());
  for (const char* header : {"x-mediation-timestamp", "x-mediation-nonce", "x-mediation-signature"}) {
    auto call = signed_call(batch_of({good_case(1)}));
    std::erase_if(call.headers, [&](const auto& h) { return h.first == header; });
    auto out = inst.push(call);
    EXPECT_EQ(out.http_status, 401) << header;
    EXPECT_NE(out.message.find("missing header"), std::string::npos) << out.message;
  }
}

TEST(MediationPlugin, UnmappableCasesAreRejectedAndTheRestOfTheBatchIsKept) {
  InstanceUnderTest inst(plugin_path(), plugin_config());
  auto no_number = good_case(2);
  no_number.erase("caseNo");
  auto bad_outcome = good_case(3, 3);
  bad_outcome["outcome"] = "撤回";
  auto out = inst.push(signed_call(batch_of({good_case(1), no_number, bad_outcome, good_case(4)})));
  ASSERT_EQ(out.code, YZ_OK) << out.message;
  ASSERT_EQ(out.records.size(), 4u);
  EXPECT_TRUE(out.records[0].error.empty());
  EXPECT_NE(out.records[1].error.find("caseNo"), std::string::npos);
  EXPECT_EQ(out.records[2].external_id, "TJ-2026-000003");
  EXPECT_NE(out.records[2].error.find("outcome '撤回'"), std::string::npos);
  EXPECT_FALSE(out.records[2].raw.empty());
  EXPECT_TRUE(out.records[3].error.empty());
}

// README "Bodies that are not batches": kept as one dead letter, acknowledged.
TEST(MediationPlugin, ASignedBodyThatIsNotABatchIsKeptWholeAsOneDeadLetter) {
  InstanceUnderTest inst(plugin_path(), plugin_config());
  for (std::string body :
       {std::string("<xml>不是JSON</xml>"), std::string(R"({"batchId":"MB-9","cases":{}})"), std::string(R"([1,2])")}) {
    auto out = inst.push(signed_call(body));
    ASSERT_EQ(out.code, YZ_OK) << out.message;
    ASSERT_EQ(out.records.size(), 1u) << body;
    EXPECT_EQ(out.records[0].raw, body);
    EXPECT_FALSE(out.records[0].error.empty());
    EXPECT_EQ(json::parse(out.body).at("code"), 0);
  }
}

struct CapturedLog {
  std::mutex mutex;
  std::vector<std::string> lines;
  static void log(void* ctx, int32_t, yz_bytes, yz_bytes message) {
    auto* self = static_cast<CapturedLog*>(ctx);
    std::lock_guard lock(self->mutex);
    self->lines.emplace_back(message.data, message.size);
  }
  std::string all() {
    std::lock_guard lock(mutex);
    std::string s;
    for (auto& l : lines) s += l + "\n";
    return s;
  }
};

// Drives the plugin with a host whose log is captured (InstanceUnderTest logs nowhere).
struct LoggedInstance {
  CapturedLog captured;
  yz_host_api host{sizeof(yz_host_api), YZ_ABI_MAJOR, YZ_ABI_MINOR, &captured, &CapturedLog::log};
  yizhan::sdk::host::LoadedPlugin plugin;
  const yz_push_vtable* vt;
  void* instance = nullptr;
  explicit LoggedInstance(const std::string& config)
      : plugin(yizhan::sdk::host::load_plugin(plugin_path(), &host)),
        vt(yizhan::sdk::host::push_vtable(*plugin.descriptor)) {
    auto st = vt->create(&host, {"t", 1}, {config.data(), config.size()}, &instance);
    if (st.code != YZ_OK) throw std::runtime_error(st.message);
  }
  ~LoggedInstance() { vt->destroy(instance); }
  yz_push_reply push(const yizhan::sdk::testkit::PushCall& call, yz_status* st) {
    std::vector<yz_header> headers;
    for (const auto& [n, v] : call.headers) headers.push_back({{n.data(), n.size()}, {v.data(), v.size()}});
    yz_push_request req{
        sizeof(yz_push_request), {call.method.data(), call.method.size()}, {call.target.data(), call.target.size()},
        headers.data(),          static_cast<uint32_t>(headers.size()),    {call.body.data(), call.body.size()}};
    yz_push_reply reply{};
    *st = vt->on_push(instance, &req, &reply);
    return reply;
  }
};

TEST(MediationPlugin, AReplayedNonceIsAcceptedAndLoggedAndLogsNeverShowPersonalDataOrSecret) {
  LoggedInstance inst(validated_config({{"secret", "s3cr3t-0f-the-hub"}}));
  auto bad_id = good_case(2);
  bad_id["applicant"].as_object()["idCard"] = "140929196704282044";
  auto call = signed_call(batch_of({good_case(1), bad_id}), "s3cr3t-0f-the-hub", 0, "nonce-once");
  yz_status st{};
  EXPECT_EQ(inst.push(call, &st).count, 2u);
  ASSERT_EQ(st.code, YZ_OK) << st.message;
  auto again = inst.push(call, &st);  // the same request, nonce and all
  ASSERT_EQ(st.code, YZ_OK) << st.message;
  EXPECT_EQ(again.count, 2u);
  const std::string log = inst.captured.all();
  EXPECT_NE(log.find("nonce nonce-once seen before"), std::string::npos) << log;
  EXPECT_EQ(log.find("140929196704282044"), std::string::npos) << log;
  EXPECT_NE(log.find("****2044"), std::string::npos) << log;
  EXPECT_EQ(log.find("13812341234"), std::string::npos) << log;
  EXPECT_EQ(log.find("s3cr3t-0f-the-hub"), std::string::npos) << log;
}

TEST(MediationPlugin, ConfigTheSchemaCannotCheckIsRefusedAtCreate) {
  EXPECT_THROW(InstanceUnderTest(plugin_path(), plugin_config({{"outcome_map", json::object{{"调解成功", ""}}}})),
               std::runtime_error);
  EXPECT_THROW(InstanceUnderTest(plugin_path(), plugin_config({{"max_clock_skew_s", 0}})), std::runtime_error);
}

}  // namespace
}  // namespace mediation_test
