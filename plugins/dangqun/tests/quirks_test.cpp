// Each quirk of the centre's database, written by the real simulator, against the real
// plugin driven through the C ABI exactly as the hub drives it.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "sim_process.hpp"

namespace dangqun_test {
namespace {
namespace json = boost::json;
using yizhan::sdk::testkit::InstanceUnderTest;
using yizhan::sdk::testkit::PolledRecord;

json::object extra(const PolledRecord& r) { return json::parse(r.mapped->extra_json).as_object(); }
std::string gxsj_of(const std::string& version) { return version.substr(0, 19); }

// The last record received per external id.
std::map<std::string, const PolledRecord*> last_by_id(const std::vector<PolledRecord>& records) {
  std::map<std::string, const PolledRecord*> out;
  for (const auto& r : records)
    if (r.error.empty()) out[r.external_id] = &r;
  return out;
}

// "gxsj/ddzt/sfsc" of every row, as the plugin forms versions.
std::map<std::string, std::string> db_versions(const SimProcess& sim) {
  std::map<std::string, std::string> out;
  for (auto& row : query_db(sim.db(), "SELECT ddbh, gxsj, ddzt, sfsc FROM t_fwdd"))
    out[row["ddbh"]] = row["gxsj"] + "/" + row["ddzt"] + "/" + row["sfsc"];
  return out;
}

TEST(DangqunQuirks, OrdersUpdatedInPlaceArriveAsNewVersionsUpToTheCurrentRow) {
  SimProcess sim({.records = 200, .seed = 11, .update_interval_ms = 2});
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.connection(), {{"batch_size", 30}}));
  auto got = poll_until_quiet(inst, sim);
  const std::vector<std::string> flow = {"10", "20", "30", "40", "50", "60"};
  std::map<std::string, std::vector<const PolledRecord*>> versions;
  for (const auto& r : got.records) versions[r.external_id].push_back(&r);
  size_t moved = 0;
  for (const auto& [id, list] : versions) {
    for (size_t i = 1; i < list.size(); ++i) {
      const auto &a = *list[i - 1]->mapped, &b = *list[i]->mapped;
      EXPECT_LT(a.version, b.version) << id << ": a repeated order must be a newer version";
      EXPECT_EQ(a.received_at, b.received_at) << id << ": same order, same cjsj";
      auto ra = std::find(flow.begin(), flow.end(), std::string(extra(*list[i - 1]).at("ddzt").as_string()));
      auto rb = std::find(flow.begin(), flow.end(), std::string(extra(*list[i]).at("ddzt").as_string()));
      if (ra != flow.end() && rb != flow.end()) {
        EXPECT_LE(ra, rb) << id << ": the workflow only moves forward";
      }
    }
    moved += list.size() > 1;
  }
  EXPECT_GT(moved, 50u) << "workflow changes should bring orders back";
  EXPECT_GT(stat(sim.stats(), "updates_applied"), 100);
  // Converged: the last version of every order is the row as it is now.
  auto now = db_versions(sim);
  auto last = last_by_id(got.records);
  ASSERT_EQ(last.size(), now.size());
  for (const auto& [id, r] : last) EXPECT_EQ(r->mapped->version, now[id]) << id;
}

TEST(DangqunQuirks, ManyRowsInOneSecondAreReadAcrossBatchesWithoutLossOrRepeat) {
  SimProcess sim({.records = 600, .seed = 12, .once = true});
  const int batch = 3;
  auto ties = query_db(sim.db(), "SELECT gxsj, count(*) AS n FROM t_fwdd GROUP BY gxsj ORDER BY n DESC LIMIT 1");
  ASSERT_GT(std::stoi(ties.at(0).at("n")), batch) << "the simulator should put more rows in one second than a batch";
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.connection(), {{"batch_size", batch}}));
  auto all = yizhan::sdk::testkit::drain(inst);
  std::map<std::string, int> seen;
  for (const auto& r : all.records) ++seen[r.external_id];
  EXPECT_EQ(seen.size(), 600u);
  for (const auto& [id, n] : seen) EXPECT_EQ(n, 1) << id << " came " << n << " times";
  EXPECT_GT(all.polls, 600 / batch);
}

TEST(DangqunQuirks, LateCommittedRowsBelowTheCursorAreReturnedOnceAndNotAgain) {
  SimProcess sim({.records = 300, .seed = 13, .update_interval_ms = 3, .late_rate = 1.0});
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.connection(), {{"batch_size", 25}}));
  auto got = poll_until_quiet(inst, sim);
  // A late record: its gxsj is below the position of the cursor it was polled with.
  size_t late = 0;
  for (size_t i = 0; i < got.records.size(); ++i) {
    const auto& r = got.records[i];
    if (!r.error.empty() || got.cursors_before[i].empty()) continue;
    auto before = json::parse(got.cursors_before[i]).as_object();
    late += gxsj_of(r.mapped->version) < std::string(before.at("gxsj").as_string());
  }
  EXPECT_GT(stat(sim.stats(), "late_commits"), 20);
  EXPECT_GT(late, 0u) << "some versions should have become visible below the cursor";
  // Nothing is lost: the hub ends with every row's current version ...
  auto now = db_versions(sim);
  auto last = last_by_id(got.records);
  for (const auto& [id, v] : now) {
    ASSERT_TRUE(last.count(id)) << id;
    EXPECT_EQ(last[id]->mapped->version, v) << id << ": a late commit was missed";
  }
  // ... no version came twice, and the quiet window is not returned again and again.
  std::set<std::pair<std::string, std::string>> pairs;
  for (const auto& r : got.records)
    EXPECT_TRUE(pairs.insert({r.external_id, r.mapped->version}).second) << r.external_id;
  for (int i = 0; i < 3; ++i) {
    auto b = inst.poll(got.cursor);
    ASSERT_EQ(b.code, YZ_OK) << b.message;
    EXPECT_TRUE(b.records.empty());
    EXPECT_FALSE(b.has_more);
    got.cursor = b.next_cursor;
  }
}

TEST(DangqunQuirks, NullTextColumnsBecomeEmptyFieldsAndNullsInTheRaw) {
  SimProcess sim({.records = 400, .seed = 14, .once = true});
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.connection()));
  auto all = yizhan::sdk::testkit::drain(inst);
  std::map<std::string, const PolledRecord*> by_id = last_by_id(all.records);
  auto rows = query_db(sim.db(), "SELECT ddbh, qzxm, nr, wgbh, dz, lxdh, sfzh FROM t_fwdd");
  std::map<std::string, int> nulls;
  for (auto& row : rows) {
    const auto* r = by_id.at(row["ddbh"]);
    auto raw = json::parse(r->raw).as_object();
    for (const char* column : {"qzxm", "nr", "wgbh", "dz", "lxdh", "sfzh"}) {
      if (row.count(column)) continue;
      ++nulls[column];
      EXPECT_TRUE(raw.at(column).is_null()) << row["ddbh"] << " " << column;
    }
    if (!row.count("qzxm")) {
      EXPECT_EQ(r->mapped->reporter.name, "");
    }
    if (!row.count("nr")) {
      EXPECT_EQ(r->mapped->description, "");
    }
    if (!row.count("wgbh")) {
      EXPECT_EQ(r->mapped->place.grid_id, "");
    }
    if (!row.count("dz")) {
      EXPECT_EQ(r->mapped->place.address, "");
    }
    if (!row.count("lxdh")) {
      EXPECT_EQ(r->mapped->reporter.phone, "");
    }
  }
  for (const char* column : {"qzxm", "nr", "wgbh", "dz", "sfzh"}) EXPECT_GT(nulls[column], 0) << column;
}

TEST(DangqunQuirks, SoftDeletedOrdersArriveClosedAndMarkedDeleted) {
  SimProcess sim({.records = 400, .seed = 15, .once = true});
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.connection()));
  auto drained = yizhan::sdk::testkit::drain(inst);
  auto last = last_by_id(drained.records);
  std::int64_t deleted = 0;
  for (const auto& [id, r] : last) {
    auto e = extra(*r);
    if (!e.contains("deleted")) continue;
    ++deleted;
    EXPECT_EQ(r->mapped->status, "closed") << id;
    EXPECT_EQ(r->mapped->version.substr(r->mapped->version.size() - 2), "/1") << id;
  }
  EXPECT_GT(deleted, 0);
  EXPECT_EQ(deleted, stat(sim.stats(), "deleted_orders"));
  EXPECT_EQ(deleted, static_cast<std::int64_t>(query_db(sim.db(), "SELECT id FROM t_fwdd WHERE sfsc = 1").size()));
}

TEST(DangqunQuirks, WithdrawnOrdersAreClosedAndMarkedCancelled) {
  SimProcess sim({.records = 400, .seed = 16, .once = true});
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.connection()));
  auto drained = yizhan::sdk::testkit::drain(inst);
  auto last = last_by_id(drained.records);
  std::int64_t cancelled = 0;
  for (const auto& [id, r] : last) {
    auto e = extra(*r);
    if (e.at("ddzt") != "90") {
      EXPECT_FALSE(e.contains("cancelled")) << id;
      continue;
    }
    ++cancelled;
    EXPECT_EQ(e.at("cancelled"), true) << id;
    if (!e.contains("deleted")) {
      EXPECT_EQ(r->mapped->status, "closed") << id;
    }
  }
  EXPECT_GT(cancelled, 0);
  EXPECT_EQ(cancelled, stat(sim.stats(), "cancelled_orders"));
}

TEST(DangqunQuirks, LegacyStatusCodesAreUnmappedNotErrors) {
  SimProcess sim({.records = 500, .seed = 17, .once = true});
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.connection()));
  auto drained = yizhan::sdk::testkit::drain(inst);
  auto last = last_by_id(drained.records);
  std::int64_t legacy = 0;
  for (const auto& [id, r] : last) {
    auto e = extra(*r);
    const std::string ddzt(e.at("ddzt").as_string());
    if (ddzt != "00" && ddzt != "45") {
      EXPECT_FALSE(r->mapped->status.empty()) << id << " " << ddzt;
      continue;
    }
    ++legacy;
    EXPECT_TRUE(r->error.empty());
    if (!e.contains("deleted")) {
      EXPECT_EQ(r->mapped->status, "") << id;
    }
    ASSERT_TRUE(e.contains("unmapped")) << id;
    const auto& unmapped = e.at("unmapped").as_array();
    EXPECT_NE(std::find(unmapped.begin(), unmapped.end(), json::value("ddzt")), unmapped.end()) << id;
  }
  EXPECT_GT(legacy, 0);
  EXPECT_EQ(legacy, stat(sim.stats(), "legacy_status_orders"));
}

TEST(DangqunQuirks, MalformedRowsAreRejectedWithTheRowAsRawAndAReason) {
  SimProcess sim({.records = 500, .seed = 18, .malformed_rate = 0.2, .once = true});
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.connection(), {{"batch_size", 100}}));
  auto all = yizhan::sdk::testkit::drain(inst);
  std::map<std::string, int> kinds;
  std::set<std::string> rejected_ids;
  for (const auto& r : all.records) {
    if (r.error.empty()) continue;
    rejected_ids.insert(r.external_id);
    EXPECT_FALSE(r.mapped.has_value());
    auto raw = json::parse(r.raw).as_object();
    EXPECT_EQ(std::string(raw.at("ddbh").as_string()), r.external_id) << "the raw payload is the row";
    EXPECT_TRUE(raw.contains("gxsj") && raw.contains("cjsj") && raw.contains("id"));
    if (r.error.find("bad date in cjsj") != std::string::npos) {
      ++kinds["date"];
      EXPECT_NE(r.error.find(std::string(raw.at("cjsj").as_string())), std::string::npos) << r.error;
    } else if (r.error.find("phone (lxdh) is not a phone number") != std::string::npos) {
      ++kinds["phone"];
      EXPECT_EQ(r.error.find(std::string(raw.at("lxdh").as_string())), std::string::npos)
          << "the reason masks the phone: " << r.error;
    } else {
      ADD_FAILURE() << "unexpected reason: " << r.error;
    }
  }
  EXPECT_GT(kinds["date"], 0);
  EXPECT_GT(kinds["phone"], 0);
  auto stats = sim.stats();
  EXPECT_EQ(static_cast<std::int64_t>(rejected_ids.size()), stat(stats, "malformed_orders"));
  EXPECT_EQ(static_cast<std::int64_t>(last_by_id(all.records).size()), stat(stats, "distinct_valid_orders"));
}

TEST(DangqunQuirks, BriefWriterLockIsWaitedOutWithinTheBusyTimeout) {
  SimProcess sim({.records = 150, .seed = 19, .update_interval_ms = 2, .lock_every = 3, .lock_ms = 80});
  InstanceUnderTest inst(plugin_path(),
                         plugin_config(sim.connection(), {{"batch_size", 20}, {"busy_timeout_ms", 10000}}));
  auto got = poll_until_quiet(inst, sim);
  EXPECT_TRUE(got.upstream_errors.empty()) << got.upstream_errors.front();
  EXPECT_GT(stat(sim.stats(), "locks_taken"), 5);
  auto now = db_versions(sim);
  auto last = last_by_id(got.records);
  for (const auto& [id, v] : now) EXPECT_EQ(last.count(id) ? last[id]->mapped->version : "", v) << id;
}

TEST(DangqunQuirks, LockHeldPastTheBusyTimeoutIsAnUpstreamErrorAndALaterPollGetsThrough) {
  // Every other tick holds the database for 1.5 s; between them it is free for 300 ms.
  SimProcess sim({.records = 200, .seed = 20, .update_interval_ms = 300, .lock_every = 2, .lock_ms = 1500});
  InstanceUnderTest impatient(plugin_path(), plugin_config(sim.connection(), {{"busy_timeout_ms", 100}}));
  yizhan::sdk::testkit::PolledBatch b;
  // Poll until a poll lands inside a lock (most of the time is locked). Waiting for
  // the next tick between polls made every poll land in the free gap right after a
  // tick on a loaded machine; a short pause still leaves the writer room.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    b = impatient.poll("");
    if (b.code == YZ_E_UPSTREAM) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(b.code, YZ_E_UPSTREAM) << "a poll during a 1.5 s lock should give up after 100 ms";
  EXPECT_NE(b.message.find("locked"), std::string::npos) << b.message;
  EXPECT_NE(b.message.find("busy_timeout_ms 100"), std::string::npos) << b.message;
  EXPECT_NE(b.message.find(sim.db().string()), std::string::npos) << b.message;
  // The hub retries later; a poll that may wait longer than the lock gets through.
  InstanceUnderTest patient(plugin_path(), plugin_config(sim.connection(), {{"busy_timeout_ms", 20000}}));
  auto ok = patient.poll("");
  EXPECT_EQ(ok.code, YZ_OK) << ok.message;
  EXPECT_FALSE(ok.records.empty());
  EXPECT_GT(stat(sim.stats(), "locks_taken"), 0);
}

TEST(DangqunQuirks, SharedMattersBecomeOrdersAndTheTruthNamesThem) {
  TempDir dir;
  auto matters = dir.path() / "matters.jsonl";
  std::ofstream(matters)
      << R"({"key":"M-0007","title":"土地承包纠纷","description":"村民反映与邻村因承包地界发生纠纷，多次协商未果","category":"矛盾纠纷/土地","division_code":"140929100201","grid_id":"G-140929100201-02","address":"岢岚县岚漪镇西街村","reporter":{"name":"王秀英","phone":"13812341234","id_number":"140929196704282043"},"at":"2026-03-01T09:12:33+08:00"})"
      << "\n"
      << R"({"key":"M-0011","title":"拖欠工资","description":"务工人员反映工地拖欠工资","category":"矛盾纠纷/劳资","division_code":"140929400001","reporter":{"name":"李建军","phone":"13912345678"},"at":"2026-02-20T15:00:00+08:00"})"
      << "\n";
  auto truth_file = dir.path() / "truth.json";
  SimProcess sim({.records = 50, .seed = 21, .once = true, .shared_matters = matters, .truth_out = truth_file});
  std::ifstream in(truth_file);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  auto truth = json::parse(text).as_object();
  ASSERT_EQ(truth.size(), 2u);
  EXPECT_EQ(stat(sim.stats(), "shared_matters"), 2);
  EXPECT_EQ(stat(sim.stats(), "distinct_orders"), 52);
  InstanceUnderTest inst(plugin_path(), plugin_config(sim.connection()));
  auto drained = yizhan::sdk::testkit::drain(inst);
  auto last = last_by_id(drained.records);
  EXPECT_EQ(last.size(), 52u);
  for (const auto& [ddbh, key] : truth) {
    ASSERT_TRUE(last.count(ddbh)) << ddbh;
    const auto& c = *last[ddbh]->mapped;
    const bool land = key == "M-0007";
    EXPECT_EQ(c.reporter.phone, land ? "13812341234" : "13912345678") << ddbh;
    EXPECT_EQ(c.place.division_code, land ? "140929100201" : "140929400001") << ddbh;
    EXPECT_EQ(c.category, land ? "矛盾纠纷/土地" : "矛盾纠纷/劳资") << ddbh;
    EXPECT_EQ(c.title, land ? "群众点单：土地承包纠纷" : "群众点单：拖欠工资") << ddbh;
    EXPECT_NE(c.description.find(land ? "承包地界" : "拖欠工资"), std::string::npos) << c.description;
    EXPECT_EQ(last[ddbh]->raw.find(std::string(key.as_string())), std::string::npos) << "nothing names the key";
    EXPECT_GE(c.received_at, land ? "2026-03-01T09:12:33+08:00" : "2026-02-20T15:00:00+08:00");
  }
}

TEST(DangqunSim, SameSeedWritesTheSameDatabase) {
  auto dump = [](std::uint64_t seed) {
    SimProcess sim({.records = 150, .seed = seed, .malformed_rate = 0.05, .late_rate = 0.2, .once = true});
    std::string out;
    for (auto& row : query_db(sim.db(), "SELECT * FROM t_fwdd ORDER BY id"))
      for (auto& [k, v] : row) out += k + "=" + v + ";";
    return out;
  };
  auto a = dump(5);
  EXPECT_EQ(a, dump(5));
  EXPECT_NE(a, dump(6));
}

}  // namespace
}  // namespace dangqun_test
