// Each quirk of the 12345 upstream, served by the real simulator, against the real plugin
// driven through the C ABI exactly as the hub drives it.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <yizhan/sdk/utf8.hpp>

#include "sim_process.hpp"

namespace hotline12345_test {
namespace {
namespace json = boost::json;
using yizhan::sdk::testkit::InstanceUnderTest;
using yizhan::sdk::testkit::PolledRecord;

std::set<std::string> mapped_ids(const std::vector<PolledRecord>& records) {
  std::set<std::string> ids;
  for (const auto& r : records)
    if (r.error.empty()) ids.insert(r.external_id);
  return ids;
}

std::int64_t bbh(const PolledRecord& r) {
  return json::parse(r.mapped->extra_json).at("bbh").to_number<std::int64_t>();
}

// Versions of each work order in the order they arrived.
std::map<std::string, std::vector<std::string>> versions_by_id(const std::vector<PolledRecord>& records) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& r : records)
    if (r.error.empty()) out[r.external_id].push_back(r.mapped->version);
  return out;
}

TEST(Hotline12345Quirks, ResentOverlappingPagesLoseNothingAndRepeatOnlyUpdates) {
  SimProcess sim({.records = 400, .seed = 11, .resend_rate = 0.5, .update_ticks = 30});
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.base_url(), {{"page_size", 25}}));
  auto got = poll_until_quiet(inst, sim);
  auto stats = sim.stats();
  EXPECT_GT(stat(stats, "resent_pages"), 3) << "the simulator should have re-sent overlapping pages";
  EXPECT_EQ(mapped_ids(got.records).size(), 400u) << "no work order is missing";
  EXPECT_EQ(stat(stats, "distinct_valid_work_orders"), 400);
  size_t repeated = 0;
  for (const auto& [id, versions] : versions_by_id(got.records)) {
    for (size_t i = 1; i < versions.size(); ++i)
      EXPECT_LT(versions[i - 1], versions[i]) << id << ": a repeated work order must be a newer version";
    repeated += versions.size() > 1;
  }
  EXPECT_GT(repeated, 0u) << "status changes should bring some work orders back";
  // Every record the simulator served again inside an overlap was dropped by the plugin.
  EXPECT_LT(got.records.size(), static_cast<size_t>(stat(stats, "records_served")));
}

TEST(Hotline12345Quirks, TransientServerErrorIsAnUpstreamErrorAndTheNextPollRecovers) {
  SimProcess sim({.records = 200, .seed = 12, .fault_rate = 0.5});
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.base_url(), {{"page_size", 20}}));
  std::string cursor;
  std::set<std::string> ids;
  int failures = 0, recoveries = 0;
  for (int polls = 0; polls < 500; ++polls) {
    auto b = inst.poll(cursor);
    if (b.code == YZ_E_UPSTREAM) {
      ++failures;
      EXPECT_TRUE(b.message.find("HTTP 500") != std::string::npos ||
                  b.message.find("HTTP 503") != std::string::npos ||
                  b.message.find("upstream error code -1") != std::string::npos)
          << b.message;
      // The hub retries from the same cursor; a few retries must get through.
      int retries = 0;
      do {
        b = inst.poll(cursor);
        ++retries;
      } while (b.code == YZ_E_UPSTREAM && retries < 20);
      ASSERT_EQ(b.code, YZ_OK) << b.message;
      ++recoveries;
    }
    ASSERT_EQ(b.code, YZ_OK) << b.message;
    for (const auto& r : b.records) ids.insert(r.external_id);
    cursor = b.next_cursor;
    if (b.records.empty() && !b.has_more) break;
  }
  EXPECT_GT(failures, 0);
  EXPECT_EQ(recoveries, failures);
  EXPECT_EQ(ids.size(), 200u) << "nothing is lost across the errors";
  EXPECT_GT(stat(sim.stats(), "server_errors"), 0);
}

TEST(Hotline12345Quirks, SlowReplyPastTheTimeoutIsAnUpstreamError) {
  SimProcess sim({.records = 50, .seed = 13, .fault_rate = 1.0, .slow_min_ms = 1500, .slow_max_ms = 1500});
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.base_url(), {{"timeout_ms", 300}}));
  bool timed_out = false;
  for (int i = 0; i < 40 && !timed_out; ++i) {
    auto b = inst.poll("");
    ASSERT_EQ(b.code, YZ_E_UPSTREAM) << "every request is a fault at fault-rate 1";
    timed_out = b.message.find("timed out") != std::string::npos;
  }
  EXPECT_TRUE(timed_out);
  EXPECT_GT(stat(sim.stats(), "slow_replies"), 0);
}

TEST(Hotline12345Quirks, MalformedRecordsAreRejectedWithReasonAndRawPayload) {
  SimProcess sim({.records = 500, .seed = 14, .malformed_rate = 0.2});
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.base_url(), {{"page_size", 100}}));
  auto got = poll_until_quiet(inst, sim);
  auto stats = sim.stats();
  std::vector<const PolledRecord*> rejected;
  for (const auto& r : got.records)
    if (!r.error.empty()) rejected.push_back(&r);
  const auto malformed = stat(stats, "distinct_work_orders") - stat(stats, "distinct_valid_work_orders");
  EXPECT_GT(malformed, 50);
  EXPECT_EQ(static_cast<std::int64_t>(rejected.size()), malformed);
  EXPECT_EQ(stat(stats, "malformed_served"), malformed);
  EXPECT_EQ(static_cast<std::int64_t>(mapped_ids(got.records).size()),
            stat(stats, "distinct_valid_work_orders"));

  std::map<std::string, int> kinds;
  for (const auto* r : rejected) {
    EXPECT_FALSE(r->raw.empty());
    EXPECT_FALSE(r->mapped.has_value());
    json::parse_options lenient;
    lenient.allow_invalid_utf8 = true;
    json::error_code ec;
    auto raw = json::parse(r->raw, ec, {}, lenient);
    ASSERT_FALSE(ec) << "the raw payload is the record as the upstream sent it";
    if (r->error.find("missing gdbh") != std::string::npos) {
      ++kinds["missing gdbh"];
      EXPECT_EQ(r->external_id, "");
      EXPECT_FALSE(raw.as_object().contains("gdbh"));
      continue;
    }
    EXPECT_EQ(r->external_id, std::string(raw.at("gdbh").as_string()));
    if (r->error.find("is not valid UTF-8") != std::string::npos) {
      ++kinds["utf8"];
      EXPECT_TRUE(yizhan::sdk::first_invalid_utf8(r->raw).has_value())
          << "the invalid bytes are kept as received";
    } else if (r->error.find("over max_title_chars") != std::string::npos) {
      ++kinds["long title"];
      EXPECT_GT(yizhan::sdk::utf8_length(raw.at("bt").as_string()), 10000u);
    } else if (r->error.find("bad date in slsj") != std::string::npos) {
      ++kinds["bad date"];
    } else if (r->error.find("field 'qy' is an object") != std::string::npos ||
               r->error.find("field 'kzzd' is not a JSON object") != std::string::npos) {
      ++kinds["garbage field"];
    } else {
      ADD_FAILURE() << "unexpected reason: " << r->error;
    }
  }
  for (const char* kind : {"missing gdbh", "utf8", "long title", "bad date", "garbage field"})
    EXPECT_GT(kinds[kind], 0) << "no rejection for " << kind;
}

TEST(Hotline12345Quirks, StatusChangesArriveAsNewVersionsOfTheSameWorkOrder) {
  SimProcess sim({.records = 150, .seed = 15, .update_ticks = 20});
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.base_url(), {{"page_size", 50}}));
  auto got = poll_until_quiet(inst, sim);
  EXPECT_EQ(mapped_ids(got.records).size(), 150u);
  const std::vector<std::string> lifecycle = {"received", "dispatched", "in_progress",
                                              "replied",  "closed",     "followed_up"};
  auto rank = [&](const std::string& s) {
    return std::find(lifecycle.begin(), lifecycle.end(), s) - lifecycle.begin();
  };
  std::map<std::string, const PolledRecord*> last;
  size_t changed = 0;
  for (const auto& r : got.records) {
    auto& prev = last[r.external_id];
    if (prev) {
      ++changed;
      EXPECT_LT(prev->mapped->version, r.mapped->version) << r.external_id;
      EXPECT_LT(prev->mapped->updated_at, r.mapped->updated_at) << r.external_id;
      EXPECT_LT(rank(prev->mapped->status), rank(r.mapped->status))
          << r.external_id << ": " << prev->mapped->status << " then " << r.mapped->status;
      EXPECT_EQ(prev->mapped->received_at, r.mapped->received_at) << "same work order, same receipt";
      EXPECT_LT(bbh(*prev), bbh(r)) << r.external_id;
    }
    prev = &r;
  }
  EXPECT_GT(changed, 50u);
  EXPECT_GT(stat(sim.stats(), "updates_served"), 0);
  // After converging, the hub's last version is the upstream's current one.
  for (const auto& [id, r] : last) {
    if (id.back() % 7 != 0) continue;
    auto now = json::parse(sim.get("/api/workorders/" + id)).at("data").as_object();
    EXPECT_EQ(now.at("gxsj"), json::value(r->mapped->version)) << id;
  }
}

TEST(Hotline12345Quirks, SimStatsCountWhatWasServed) {
  SimProcess sim({.records = 300, .seed = 16, .fault_rate = 0.3, .malformed_rate = 0.05, .update_ticks = 10});
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.base_url(), {{"page_size", 40}}));
  auto got = poll_until_quiet(inst, sim);
  auto s = sim.stats();
  std::int64_t rejected = 0, updates = 0;
  for (const auto& r : got.records) {
    if (!r.error.empty())
      ++rejected;
    else if (r.mapped->version >= "2026-03-01 08:00:00")
      ++updates;  // changed since the simulation started
  }
  EXPECT_EQ(stat(s, "distinct_work_orders"), 300);
  EXPECT_EQ(stat(s, "distinct_valid_work_orders"), static_cast<std::int64_t>(mapped_ids(got.records).size()));
  EXPECT_EQ(stat(s, "pages_served"), got.ok_polls);
  EXPECT_EQ(stat(s, "server_errors"), static_cast<std::int64_t>(got.upstream_errors.size()));
  EXPECT_EQ(stat(s, "faults_injected"), stat(s, "server_errors") + stat(s, "slow_replies"));
  EXPECT_GT(stat(s, "slow_replies"), 0);
  EXPECT_EQ(stat(s, "list_requests"), got.ok_polls + static_cast<std::int64_t>(got.upstream_errors.size()));
  EXPECT_EQ(stat(s, "resent_pages"), 0);
  EXPECT_EQ(stat(s, "records_served"), static_cast<std::int64_t>(got.records.size()));
  EXPECT_EQ(stat(s, "malformed_served"), rejected);
  EXPECT_EQ(stat(s, "updates_served"), updates);
  EXPECT_EQ(stat(s, "updates_pending"), 0);
  EXPECT_GT(stat(s, "updates_applied"), 0);
}

}  // namespace
}  // namespace hotline12345_test
