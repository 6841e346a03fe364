// Each quirk of the 综治 platform, served by the real simulator, against the real plugin
// driven through the C ABI exactly as the hub drives it.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "sim_process.hpp"

namespace zongzhi_test {
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

// Every (id, version) at most once, versions of one event strictly increasing.
void expect_each_version_once(const std::vector<PolledRecord>& records) {
  std::map<std::string, std::string> last;
  for (const auto& r : records) {
    if (!r.error.empty()) continue;
    auto [it, fresh] = last.emplace(r.external_id, r.mapped->version);
    if (!fresh) {
      EXPECT_LT(it->second, r.mapped->version) << r.external_id << ": a repeated event must be a newer version";
      it->second = r.mapped->version;
    }
  }
}

TEST(ZongzhiQuirks, ShortLivedTokenIsKeptAcrossPollsAndRenewedWhenItRunsOut) {
  SimProcess sim({.records = 60, .seed = 31, .token_ttl_s = 1});
  InstanceUnderTest inst(plugin_path(), plugin_config(sim, {{"page_size", 20}}));
  std::string cursor;
  int polls = 0;
  std::set<std::string> ids;
  // Poll (as the hub does, over and over) until the simulator has issued three tokens, i.e.
  // the first two ran out; bounded by a deadline, not a sleep.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (stat(sim.stats(), "tokens_issued") < 3 && std::chrono::steady_clock::now() < deadline) {
    auto b = inst.poll(cursor);
    ASSERT_EQ(b.code, YZ_OK) << b.message;
    for (const auto& r : b.records) ids.insert(r.external_id);
    cursor = b.next_cursor;
    ++polls;
  }
  auto s = sim.stats();
  ASSERT_GE(stat(s, "tokens_issued"), 3) << "the token was not renewed within the deadline";
  EXPECT_EQ(ids.size(), 60u);
  EXPECT_GT(polls, 5 * stat(s, "tokens_issued")) << "the plugin must not log in on every poll";
  EXPECT_EQ(stat(s, "unknown_tokens"), 0) << "every request carried a token";
}

TEST(ZongzhiQuirks, RevokedTokenIsRenewedAndTheRequestRetriedOnce) {
  SimProcess sim({.records = 300, .seed = 32, .revoke_rate = 0.3});
  InstanceUnderTest inst(plugin_path(), plugin_config(sim, {{"page_size", 25}}));
  auto got = poll_until_quiet(inst, sim);
  auto s = sim.stats();
  EXPECT_EQ(mapped_ids(got.records).size(), 300u);
  EXPECT_GT(stat(s, "revoked_tokens"), 3);
  // One login at the start, then exactly one per refused token: renew and retry, no more.
  EXPECT_EQ(stat(s, "tokens_issued"), 1 + stat(s, "revoked_tokens") + stat(s, "expired_tokens"));
  for (const auto& e : got.upstream_errors)
    EXPECT_NE(e.find("refused again with a fresh token"), std::string::npos) << e;
  EXPECT_LT(got.upstream_errors.size(), static_cast<size_t>(stat(s, "revoked_tokens")))
      << "most refusals are absorbed by the one retry";
}

TEST(ZongzhiQuirks, WrongSecretIsAConfigErrorNamingTheAppIdNeverTheSecret) {
  SimProcess sim({.records = 5, .seed = 33, .app_id = "kelan-zz-hub"});
  InstanceUnderTest inst(plugin_path(), plugin_config(sim, {{"app_secret", "Wr0ng-S3cret-xyz"}, {"page_size", 5}}));
  auto b = inst.poll("");
  EXPECT_EQ(b.code, YZ_E_CONFIG) << b.message;
  EXPECT_NE(b.message.find("kelan-zz-hub"), std::string::npos) << b.message;
  EXPECT_NE(b.message.find("40100"), std::string::npos) << b.message;
  EXPECT_EQ(b.message.find("Wr0ng-S3cret-xyz"), std::string::npos) << b.message;
  EXPECT_EQ(stat(sim.stats(), "auth_failures"), 1);
  EXPECT_EQ(stat(sim.stats(), "list_requests"), 0);
}

TEST(ZongzhiQuirks, RateLimitWithShortRetryAfterIsWaitedOutLongerIsAnUpstreamError) {
  SimProcess sim({.records = 120, .seed = 34, .fault_rate = 0.6, .retry_after_s = 1});
  {
    // Retry-After 1 s is longer than this instance may wait: the 429 surfaces, naming it.
    InstanceUnderTest impatient(plugin_path(), plugin_config(sim, {{"retry_after_max_ms", 0}}));
    bool seen = false;
    for (int i = 0; i < 200 && !seen; ++i) {
      auto b = impatient.poll("");
      if (b.code == YZ_E_UPSTREAM) seen = b.message.find("HTTP 429") != std::string::npos;
      if (seen) {
        EXPECT_NE(b.message.find("Retry-After 1 s"), std::string::npos) << b.message;
      }
    }
    EXPECT_TRUE(seen) << "no 429 reached the impatient instance";
  }
  const auto limited_before = stat(sim.stats(), "rate_limited");
  InstanceUnderTest patient(plugin_path(), plugin_config(sim, {{"page_size", 30}}));
  auto got = poll_until_quiet(patient, sim);
  EXPECT_EQ(mapped_ids(got.records).size(), 120u);
  const auto limited = stat(sim.stats(), "rate_limited") - limited_before;
  size_t surfaced = 0;
  for (const auto& e : got.upstream_errors) surfaced += e.find("HTTP 429") != std::string::npos;
  EXPECT_GT(limited, 0);
  EXPECT_LT(static_cast<std::int64_t>(surfaced), limited) << "short Retry-Afters must be waited out";
}

TEST(ZongzhiQuirks, BadGatewayIsAnUpstreamErrorAndTheNextPollRecovers) {
  SimProcess sim({.records = 200, .seed = 35, .fault_rate = 0.5});
  InstanceUnderTest inst(plugin_path(), plugin_config(sim, {{"page_size", 20}, {"retry_after_max_ms", 0}}));
  std::string cursor;
  std::set<std::string> ids;
  int bad_gateway = 0;
  for (int polls = 0; polls < 1000; ++polls) {
    auto b = inst.poll(cursor);
    if (b.code == YZ_E_UPSTREAM) {
      bad_gateway += b.message.find("HTTP 502") != std::string::npos;
      EXPECT_NE(b.message.find("/api/v2/events"), std::string::npos) << b.message;
      continue;  // the hub retries from the same cursor
    }
    ASSERT_EQ(b.code, YZ_OK) << b.message;
    for (const auto& r : b.records) ids.insert(r.external_id);
    cursor = b.next_cursor;
    if (b.records.empty() && !b.has_more) break;
  }
  EXPECT_GT(bad_gateway, 0);
  EXPECT_EQ(bad_gateway, stat(sim.stats(), "bad_gateway"));
  EXPECT_EQ(ids.size(), 200u) << "nothing is lost across the errors";
}

TEST(ZongzhiQuirks, RowsRepeatedAcrossPagesAreDeliveredOnce) {
  SimProcess sim({.records = 250, .seed = 36, .dup_rate = 1.0});
  InstanceUnderTest inst(plugin_path(), plugin_config(sim, {{"page_size", 20}}));
  auto got = poll_until_quiet(inst, sim);
  auto s = sim.stats();
  EXPECT_GT(stat(s, "duplicates_served"), 10) << "every page should have started early";
  EXPECT_EQ(got.records.size(), 250u) << "each event exactly once: no update happened";
  EXPECT_EQ(mapped_ids(got.records).size(), 250u);
  EXPECT_EQ(static_cast<std::int64_t>(got.records.size()),
            stat(s, "records_served") - stat(s, "duplicates_served") -
                /* the inclusive overlap: the cursor's own event comes back on each later page */
                (stat(s, "pages_served") - 1));
}

TEST(ZongzhiQuirks, EventsUpdatedDuringAScanAreNotSkipped) {
  SimProcess sim({.records = 300, .seed = 37, .update_ticks = 40});
  // A naive reader paging by number over the live list loses events: updates move
  // events it has read to the end, and every later page shifts under it.
  const std::string token = sim.login();
  std::set<std::string> naive;
  for (int page_no = 1; page_no < 100; ++page_no) {
    auto r =
        sim.request("GET", "/api/v2/events?updatedSince=0&pageSize=20&pageNo=" + std::to_string(page_no), {}, token);
    ASSERT_EQ(r.status, 200u) << r.body;
    auto records = json::parse(r.body).at("data").at("records").as_array();
    for (const auto& e : records) naive.insert(std::string(e.at("eventId").as_string()));
    if (records.size() < 20) break;
  }
  EXPECT_LT(naive.size(), 300u) << "the simulator should have shifted pages under the naive reader";

  InstanceUnderTest inst(plugin_path(), plugin_config(sim, {{"page_size", 20}}));
  auto got = poll_until_quiet(inst, sim);
  EXPECT_EQ(mapped_ids(got.records).size(), 300u) << "the cursor reader loses nothing";
  expect_each_version_once(got.records);
  // Statuses only move forward, and the last version seen is the platform's current one.
  const std::vector<std::string> flow = {"received", "routed", "dispatched", "in_progress", "closed"};
  std::map<std::string, const PolledRecord*> last;
  size_t changed = 0;
  for (const auto& r : got.records) {
    auto& prev = last[r.external_id];
    if (prev) {
      ++changed;
      EXPECT_NE(prev->mapped->status, "closed") << r.external_id;
      EXPECT_NE(prev->mapped->status, "returned") << r.external_id;
      if (r.mapped->status != "returned") {
        auto rank = [&](const std::string& s) { return std::find(flow.begin(), flow.end(), s) - flow.begin(); };
        EXPECT_LT(rank(prev->mapped->status), rank(r.mapped->status)) << r.external_id;
      }
    }
    prev = &r;
  }
  EXPECT_GT(changed, 10u) << "status changes during the scan bring events back as newer versions";
  EXPECT_GT(stat(sim.stats(), "updates_served"), 0);
  for (const auto& [id, r] : last) {
    if (id.back() % 5 != 0) continue;
    auto now = sim.request("GET", "/api/v2/events/" + id, {}, sim.login());
    EXPECT_EQ(json::parse(now.body).at("data").at("updateTime").to_number<std::int64_t>(),
              std::stoll(r->mapped->version))
        << id;
  }
}

TEST(ZongzhiQuirks, MalformedRecordsAreRejectedAndUnmappedClassesAreNot) {
  SimProcess sim({.records = 600, .seed = 38, .dup_rate = 0.3, .malformed_rate = 0.2});
  InstanceUnderTest inst(plugin_path(), plugin_config(sim, {{"page_size", 100}}));
  auto got = poll_until_quiet(inst, sim);
  auto s = sim.stats();
  const auto malformed = stat(s, "distinct_records") - stat(s, "distinct_valid_records");
  EXPECT_GT(malformed, 60);
  std::map<std::string, int> kinds;
  size_t unmapped = 0;
  for (const auto& r : got.records) {
    if (r.error.empty()) {
      auto extra = json::parse(r.mapped->extra_json).as_object();
      if (extra.contains("unmapped")) {
        ++unmapped;
        EXPECT_EQ(r.mapped->category, "");
        EXPECT_EQ(extra.at("event_class"), "09");
      }
      continue;
    }
    EXPECT_FALSE(r.raw.empty());
    EXPECT_FALSE(r.mapped.has_value());
    auto raw = json::parse(r.raw).as_object();
    if (r.error.find("missing eventId") != std::string::npos) {
      ++kinds["missing eventId"];
      EXPECT_FALSE(raw.contains("eventId"));
    } else if (r.error.find("out of range") != std::string::npos) {
      ++kinds["coordinates"];
      EXPECT_EQ(r.external_id, std::string(raw.at("eventId").as_string()));
    } else if (r.error.find("eventTime is not epoch milliseconds") != std::string::npos) {
      ++kinds["event time"];
    } else {
      ADD_FAILURE() << "unexpected reason: " << r.error;
    }
  }
  EXPECT_EQ(static_cast<std::int64_t>(got.records.size() - mapped_ids(got.records).size()), malformed)
      << "each malformed event rejected exactly once, repeated rows included";
  EXPECT_EQ(static_cast<std::int64_t>(mapped_ids(got.records).size()), stat(s, "distinct_valid_records"));
  for (const char* kind : {"missing eventId", "coordinates", "event time"})
    EXPECT_GT(kinds[kind], 0) << "no rejection for " << kind;
  EXPECT_GT(unmapped, 0u) << "class 09 events arrive mapped, with extra.unmapped";
}

}  // namespace
}  // namespace zongzhi_test
