// Write-back (the sink capability) against the real simulator process, through the C ABI
// exactly as the hub drives it: what lands in the platform, how often, and which
// failures are retried (YZ_E_UPSTREAM) or parked for good (YZ_E_INVALID_ARGUMENT).
#include <gtest/gtest.h>

#include <cstddef>
#include <mutex>
#include <yizhan/sdk/host.hpp>

#include "sim_process.hpp"

namespace hotline12345_test {
namespace {
namespace json = boost::json;
using yizhan::sdk::testkit::DeliveryCall;
using yizhan::sdk::testkit::InstanceUnderTest;

constexpr const char* kUnknownGdbh = "12345-19990101-000001";

// A work order of the simulator that is not closed yet (zt 01-03), from its list.
std::string open_work_order(const SimProcess& sim) {
  auto list = json::parse(sim.get("/api/workorders?page_size=500")).at("data").at("list").as_array();
  for (const auto& v : list)
    if (v.at("zt").as_string() < "04") return std::string(v.at("gdbh").as_string());
  throw std::runtime_error("the simulator has no open work order");
}

// What the hub hands deliver(): a delivery of `kind` on `gdbh`, its payload as the hub writes it.
DeliveryCall delivery(const std::string& id, const std::string& kind, const std::string& gdbh,
                      const json::object& overrides = {}) {
  json::object p{{"delivery_id", id},
                 {"kind", kind},
                 {"case_id", 42},
                 {"external_id", gdbh},
                 {"status", kind},
                 {"at", "2026-03-01T01:12:33Z"},
                 {"actor", "县住建局 李明"},
                 {"reason", ""},
                 {"departments", json::array{"zjj"}},
                 {"text", "已联系供热公司检修，室温恢复至20度。"},
                 {"rating", ""}};
  for (const auto& kv : overrides) p[kv.key()] = kv.value();
  return DeliveryCall{id, kind, gdbh, json::serialize(p)};
}

const json::array& received(const json::object& feedback) { return feedback.at("list").as_array(); }

TEST(Hotline12345WriteBack, DescriptorDeclaresTheSinkCapabilityBesideTheSource) {
  const auto& d =
      *yizhan::sdk::host::load_plugin(plugin_path(), yizhan::sdk::host::null_host_api()).descriptor;
  EXPECT_TRUE(d.capabilities & YZ_CAP_SINK);
  EXPECT_TRUE(d.capabilities & YZ_CAP_SOURCE);
  EXPECT_FALSE(d.capabilities & YZ_CAP_PUSH);
  ASSERT_GE(d.struct_size, offsetof(yz_plugin_descriptor, sink) + sizeof(d.sink));
  ASSERT_NE(d.sink, nullptr);
  EXPECT_GE(d.sink->struct_size, sizeof(yz_sink_vtable));
  EXPECT_NE(d.sink->deliver, nullptr);
}

TEST(Hotline12345WriteBack, ClosureLandsOnceAsBanjieFeedback) {
  SimProcess sim({.records = 40, .seed = 31});
  const std::string gdbh = open_work_order(sim);
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.base_url()));
  auto out = inst.deliver(delivery("d-31-1", "closed", gdbh));
  ASSERT_EQ(out.code, YZ_OK) << out.message;
  auto fb = sim.feedback();
  EXPECT_EQ(fb.at("count"), 1);
  EXPECT_EQ(fb.at("duplicates"), 0);
  ASSERT_EQ(received(fb).size(), 1u);
  const auto& f = received(fb).at(0).as_object();
  EXPECT_EQ(f.at("key"), "d-31-1") << "the delivery id is the idempotency key";
  EXPECT_EQ(f.at("gdbh"), json::value(gdbh));
  EXPECT_EQ(f.at("fklx"), "办结");
  EXPECT_EQ(f.at("fknr"), "已联系供热公司检修，室温恢复至20度。");
  EXPECT_EQ(f.at("cbdw"), "岢岚县住房和城乡建设管理局") << "zjj through department_map";
  EXPECT_EQ(f.at("czr"), "县住建局 李明");
  EXPECT_EQ(f.at("czsj"), "2026-03-01 09:12:33") << "01:12:33Z is 09:12:33 Beijing time";
  EXPECT_EQ(f.at("myd"), "");
}

TEST(Hotline12345WriteBack, SameDeliveryTwiceIsRecordedOnce) {
  SimProcess sim({.records = 40, .seed = 32});
  const std::string gdbh = open_work_order(sim);
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.base_url()));
  auto first = inst.deliver(delivery("d-32-1", "closed", gdbh));
  auto again = inst.deliver(delivery("d-32-1", "closed", gdbh));
  ASSERT_EQ(first.code, YZ_OK) << first.message;
  ASSERT_EQ(again.code, YZ_OK) << "a key the platform has is a success: " << again.message;
  auto fb = sim.feedback();
  EXPECT_EQ(fb.at("count"), 1);
  EXPECT_EQ(fb.at("duplicates"), 1);
  // Another delivery with the same content is another write-back: only the key decides.
  ASSERT_EQ(inst.deliver(delivery("d-32-2", "closed", gdbh)).code, YZ_OK);
  fb = sim.feedback();
  EXPECT_EQ(fb.at("count"), 2);
  EXPECT_EQ(fb.at("duplicates"), 1);
  EXPECT_EQ(stat(sim.stats(), "feedback_recorded"), 2);
}

TEST(Hotline12345WriteBack, EachKindBecomesItsFeedbackTypeInOrder) {
  SimProcess sim({.records = 40, .seed = 33});
  const std::string gdbh = open_work_order(sim);
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.base_url()));
  ASSERT_EQ(inst.deliver(delivery("k-1", "dispatched", gdbh,
                                  {{"text", ""},
                                   {"departments", json::array{"zjj", "town-140929100", "village-1"}}}))
                .code,
            YZ_OK);
  ASSERT_EQ(
      inst.deliver(delivery("k-2", "replied", gdbh, {{"text", ""}, {"reason", "已电话答复来电人"}})).code,
      YZ_OK);
  ASSERT_EQ(inst.deliver(delivery("k-3", "closed", gdbh)).code, YZ_OK);
  auto last = inst.deliver(delivery("k-4", "followed_up", gdbh, {{"text", ""}, {"rating", "satisfied"}}));
  ASSERT_EQ(last.code, YZ_OK) << last.message;
  const auto list = received(sim.feedback());
  ASSERT_EQ(list.size(), 4u);
  std::vector<std::string> types;
  for (const auto& f : list) types.emplace_back(f.at("fklx").as_string());
  EXPECT_EQ(types, (std::vector<std::string>{"派单", "答复", "办结", "回访"})) << "in the order delivered";
  EXPECT_EQ(list.at(0).at("cbdw"), "岢岚县住房和城乡建设管理局、岚漪镇人民政府、village-1");
  EXPECT_EQ(list.at(0).at("fknr"), "已派单至岢岚县住房和城乡建设管理局、岚漪镇人民政府、village-1");
  EXPECT_EQ(list.at(1).at("fknr"), "已电话答复来电人") << "no text: the reason";
  EXPECT_EQ(list.at(3).at("fknr"), "已回访");
  EXPECT_EQ(list.at(3).at("myd"), "满意");
}

TEST(Hotline12345WriteBack, FaultingPlatformIsAnUpstreamErrorAndTheSameDeliveryLandsOnceAfter) {
  SimProcess sim({.records = 40, .seed = 34});
  const std::string gdbh = open_work_order(sim);
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.base_url()));
  int n = 0;
  for (const char* mode : {"500", "503", "busy", "drop"}) {
    SCOPED_TRACE(mode);
    const std::string id = std::string("f-") + mode;
    sim.set_feedback_fault(mode);
    for (int attempt = 0; attempt < 3; ++attempt) {
      auto out = inst.deliver(delivery(id, "closed", gdbh));
      EXPECT_EQ(out.code, YZ_E_UPSTREAM) << out.message;
      EXPECT_NE(out.message.find("/feedback"), std::string::npos) << out.message;
    }
    EXPECT_EQ(sim.feedback().at("count"), n) << "nothing is recorded while the platform fails";
    sim.set_feedback_fault("off");
    auto out = inst.deliver(delivery(id, "closed", gdbh));
    ASSERT_EQ(out.code, YZ_OK) << out.message;
    ++n;
    auto fb = sim.feedback();
    EXPECT_EQ(fb.at("count"), n);
    EXPECT_EQ(received(fb).back().at("key"), json::value(id));
    EXPECT_EQ(fb.at("duplicates"), 0);
  }
  EXPECT_EQ(stat(sim.stats(), "feedback_faults"), 12);
}

TEST(Hotline12345WriteBack, LostReplyIsRetriedAndCountedOnce) {
  SimProcess sim({.records = 40, .seed = 35});
  const std::string gdbh = open_work_order(sim);
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.base_url()));
  sim.set_feedback_fault("lost_reply", 1);
  auto lost = inst.deliver(delivery("l-1", "closed", gdbh));
  EXPECT_EQ(lost.code, YZ_E_UPSTREAM) << lost.message;
  EXPECT_EQ(sim.feedback().at("count"), 1) << "the platform has it, the plugin cannot know";
  auto retried = inst.deliver(delivery("l-1", "closed", gdbh));
  ASSERT_EQ(retried.code, YZ_OK) << retried.message;
  auto fb = sim.feedback();
  EXPECT_EQ(fb.at("count"), 1);
  EXPECT_EQ(fb.at("duplicates"), 1);
}

TEST(Hotline12345WriteBack, SlowPlatformPastTheTimeoutIsAnUpstreamError) {
  SimProcess sim({.records = 40, .seed = 36, .slow_min_ms = 1500, .slow_max_ms = 1500});
  const std::string gdbh = open_work_order(sim);
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.base_url(), {{"timeout_ms", 300}}));
  sim.set_feedback_fault("slow", 1);
  auto slow = inst.deliver(delivery("s-1", "closed", gdbh));
  EXPECT_EQ(slow.code, YZ_E_UPSTREAM) << slow.message;
  EXPECT_NE(slow.message.find("timed out"), std::string::npos) << slow.message;
  ASSERT_EQ(inst.deliver(delivery("s-1", "closed", gdbh)).code, YZ_OK);
  auto fb = sim.feedback();
  EXPECT_EQ(fb.at("count"), 1) << "the slow request was recorded; its retry is a duplicate";
  EXPECT_EQ(fb.at("duplicates"), 1);
}

TEST(Hotline12345WriteBack, PlatformDownIsAnUpstreamErrorAndTheDeliveryLandsWhenItIsBack) {
  auto sim = std::make_unique<SimProcess>(SimFlags{.records = 40, .seed = 37});
  const std::string gdbh = open_work_order(*sim), url = sim->base_url();
  const int port = std::stoi(url.substr(url.rfind(':') + 1));
  InstanceUnderTest inst(plugin_path(), plugin_config(url, {{"timeout_ms", 2000}}));
  sim.reset();  // down: nothing listens on the port
  auto down = inst.deliver(delivery("u-1", "closed", gdbh));
  EXPECT_EQ(down.code, YZ_E_UPSTREAM) << down.message;
  EXPECT_NE(down.message.find(url), std::string::npos) << down.message;
  // Back on the same address, with the same work orders (same seed).
  sim = std::make_unique<SimProcess>(SimFlags{.records = 40, .seed = 37, .port = port});
  ASSERT_EQ(sim->base_url(), url);
  auto back = inst.deliver(delivery("u-1", "closed", gdbh));
  ASSERT_EQ(back.code, YZ_OK) << back.message;
  auto fb = sim->feedback();
  EXPECT_EQ(fb.at("count"), 1);
  EXPECT_EQ(received(fb).at(0).at("key"), "u-1");
}

TEST(Hotline12345WriteBack, UnknownWorkOrderIsRefusedForGood) {
  SimProcess sim({.records = 40, .seed = 38});
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.base_url()));
  auto out = inst.deliver(delivery("x-1", "closed", kUnknownGdbh));
  EXPECT_EQ(out.code, YZ_E_INVALID_ARGUMENT) << out.message;
  EXPECT_NE(out.message.find(kUnknownGdbh), std::string::npos) << out.message;
  EXPECT_NE(out.message.find("HTTP 404"), std::string::npos) << out.message;
  EXPECT_EQ(sim.feedback().at("count"), 0);
  EXPECT_EQ(stat(sim.stats(), "feedback_refused"), 1);
}

TEST(Hotline12345WriteBack, PlatformRefusalIsParkedWithItsMessage) {
  SimProcess sim({.records = 40, .seed = 39});
  const std::string gdbh = open_work_order(sim);
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.base_url()));
  // The simulated platform takes keys of up to 128 characters.
  auto out = inst.deliver(delivery(std::string(200, 'k'), "closed", gdbh));
  EXPECT_EQ(out.code, YZ_E_INVALID_ARGUMENT) << out.message;
  EXPECT_NE(out.message.find("HTTP 400"), std::string::npos) << out.message;
  EXPECT_NE(out.message.find("Idempotency-Key"), std::string::npos) << out.message;
  EXPECT_EQ(sim.feedback().at("count"), 0);
}

TEST(Hotline12345WriteBack, DeliveryThePluginCannotExpressIsRefusedWithoutARequest) {
  SimProcess sim({.records = 40, .seed = 40});
  const std::string gdbh = open_work_order(sim);
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.base_url()));
  auto kind = inst.deliver(delivery("b-1", "rated", gdbh));
  EXPECT_EQ(kind.code, YZ_E_INVALID_ARGUMENT);
  EXPECT_NE(kind.message.find("kind 'rated'"), std::string::npos) << kind.message;
  auto at = inst.deliver(delivery("b-2", "closed", gdbh, {{"at", "yesterday"}}));
  EXPECT_EQ(at.code, YZ_E_INVALID_ARGUMENT);
  EXPECT_NE(at.message.find("at 'yesterday'"), std::string::npos) << at.message;
  auto payload = inst.deliver(DeliveryCall{"b-3", "closed", gdbh, "[1,2]"});
  EXPECT_EQ(payload.code, YZ_E_INVALID_ARGUMENT) << payload.message;
  EXPECT_EQ(stat(sim.stats(), "feedback_requests"), 0);
}

TEST(Hotline12345WriteBack, WrongFeedbackPathIsRetriedNotParked) {
  SimProcess sim({.records = 40, .seed = 41});
  const std::string gdbh = open_work_order(sim);
  InstanceUnderTest inst(plugin_path(),
                         plugin_config(sim.base_url(), {{"feedback_path", "/api/v2/gd/{gdbh}/fk"}}));
  auto out = inst.deliver(delivery("p-1", "closed", gdbh));
  EXPECT_EQ(out.code, YZ_E_UPSTREAM) << "a config mistake must not park every write-back: " << out.message;
  EXPECT_NE(out.message.find("feedback_path"), std::string::npos) << out.message;
}

TEST(Hotline12345WriteBack, ClosureShowsOnTheNextPollAsANewClosedVersion) {
  SimProcess sim({.records = 60, .seed = 42});
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.base_url()));
  auto before = yizhan::sdk::testkit::drain(inst);
  const yizhan::sdk::testkit::PolledRecord* open = nullptr;
  for (const auto& r : before.records)
    if (r.mapped && (r.mapped->status == "in_progress" || r.mapped->status == "dispatched")) open = &r;
  ASSERT_NE(open, nullptr) << "the simulator has open work orders";
  ASSERT_EQ(inst.deliver(delivery("c-1", "closed", open->external_id)).code, YZ_OK);
  auto after = yizhan::sdk::testkit::drain(inst, before.cursor);
  ASSERT_EQ(after.records.size(), 1u) << "only the closed work order comes again";
  const auto& closed = after.records.front();
  EXPECT_EQ(closed.external_id, open->external_id);
  ASSERT_TRUE(closed.mapped);
  EXPECT_EQ(closed.mapped->status, "closed");
  EXPECT_GT(closed.mapped->version, open->mapped->version);
  auto bbh = [](const yizhan::sdk::testkit::PolledRecord& r) {
    return json::parse(r.mapped->extra_json).at("bbh").to_number<std::int64_t>();
  };
  EXPECT_EQ(bbh(closed), bbh(*open) + 1);
  EXPECT_EQ(stat(sim.stats(), "feedback_changes"), 1);
  EXPECT_EQ(stat(sim.stats(), "updates_pending"), 0);
}

// Logs go through the host API; a write-back's text may carry a phone number.
struct CapturedLog {
  std::mutex mutex;
  std::vector<std::string> lines;
  static void log(void* ctx, int32_t, yz_bytes, yz_bytes message) {
    auto* self = static_cast<CapturedLog*>(ctx);
    std::lock_guard lock(self->mutex);
    self->lines.emplace_back(message.data, message.size);
  }
};

TEST(Hotline12345WriteBack, NeitherLogsNorStatusesShowPhoneOrIdNumbers) {
  SimProcess sim({.records = 40, .seed = 43});
  const std::string gdbh = open_work_order(sim);
  CapturedLog captured;
  yz_host_api host{sizeof(yz_host_api), YZ_ABI_MAJOR, YZ_ABI_MINOR, &captured, &CapturedLog::log};
  const auto* d = yizhan::sdk::host::load_plugin(plugin_path(), &host).descriptor;
  auto check = yizhan::sdk::host::validate_config(*d, "kelan_12345", plugin_config(sim.base_url()));
  ASSERT_TRUE(check.errors.empty());
  void* instance = nullptr;
  std::string name = "kelan_12345";
  auto st = d->source->create(&host, {name.data(), name.size()},
                              {check.normalized_json.data(), check.normalized_json.size()}, &instance);
  ASSERT_EQ(st.code, YZ_OK) << st.message;
  const std::string phone = "13812341234", id_number = "140929196704282043";
  std::vector<std::string> statuses;
  auto deliver = [&](const DeliveryCall& c) {
    yz_delivery dv{sizeof(yz_delivery),
                   {c.delivery_id.data(), c.delivery_id.size()},
                   {c.kind.data(), c.kind.size()},
                   {c.external_id.data(), c.external_id.size()},
                   {c.payload_json.data(), c.payload_json.size()}};
    auto s = d->sink->deliver(instance, &dv);
    statuses.emplace_back(s.message);
    return s.code;
  };
  const json::object personal{{"text", "已电话联系" + phone + "，身份证" + id_number},
                              {"rating", "satisfied " + phone}};
  EXPECT_EQ(deliver(delivery("m-1", "followed_up", gdbh, personal)), YZ_OK);
  EXPECT_EQ(deliver(delivery("m-2", "closed", kUnknownGdbh, personal)), YZ_E_INVALID_ARGUMENT);
  sim.set_feedback_fault("busy", 1);
  EXPECT_EQ(deliver(delivery("m-3", "closed", gdbh, personal)), YZ_E_UPSTREAM);
  d->source->destroy(instance);
  EXPECT_EQ(received(sim.feedback()).at(0).at("fknr"),
            json::value("已电话联系" + phone + "，身份证" + id_number))
      << "the platform gets the text as it is";
  EXPECT_FALSE(captured.lines.empty()) << "the unknown rating is warned about";
  for (const auto& lines : {captured.lines, statuses})
    for (const auto& line : lines) {
      EXPECT_EQ(line.find(phone), std::string::npos) << line;
      EXPECT_EQ(line.find(id_number), std::string::npos) << line;
    }
}

}  // namespace
}  // namespace hotline12345_test
