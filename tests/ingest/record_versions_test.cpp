// Which version of a record is newer, and that an update is never skipped as "stale"
// because of how versions happen to sort as text (found measuring: a record with no
// version and no updated_at got the SM3 of its JSON as its version, compared as text,
// so about half of its real changes were dropped).
#include <gtest/gtest.h>

#include "core/record_version.hpp"
#include "crypto/crypto.hpp"
#include "ingest/ingestor.hpp"
#include "ingest/record_validator.hpp"
#include "store/case_writer.hpp"
#include "support/store_backends.hpp"

namespace yizhan {
namespace {

using core::compare_versions;
using core::VersionOrder;

TEST(RecordVersions, RevisionNumbersCompareAsNumbersNotText) {
  EXPECT_EQ(compare_versions("10", "9"), VersionOrder::newer);
  EXPECT_EQ(compare_versions("9", "10"), VersionOrder::older);
  EXPECT_EQ(compare_versions("007", "7"), VersionOrder::same);
  EXPECT_EQ(compare_versions("12345678901234567890", "9"), VersionOrder::newer);
}

TEST(RecordVersions, InstantsCompareAsTime) {
  EXPECT_EQ(compare_versions("2026-03-02T01:00:00Z", "2026-03-01T23:00:00Z"), VersionOrder::newer);
  EXPECT_EQ(compare_versions("2026-03-01T23:00:00Z", "2026-03-02T01:00:00Z"), VersionOrder::older);
  EXPECT_EQ(compare_versions("2026-03-01T23:00:00Z", "2026-03-01T23:00:00Z"), VersionOrder::same);
}

TEST(RecordVersions, AContentHashHasNoOrderSoAnyOtherContentIsNewer) {
  const std::string a = "sm3:" + crypto::sm3_hex(R"({"x":1})"), b = "sm3:" + crypto::sm3_hex(R"({"x":2})");
  EXPECT_EQ(compare_versions(a, b), VersionOrder::newer);
  EXPECT_EQ(compare_versions(b, a), VersionOrder::newer);
  EXPECT_EQ(compare_versions(a, a), VersionOrder::same);
  // A version stored before content hashes were marked (bare hex) is replaced too.
  EXPECT_EQ(compare_versions(a, crypto::sm3_hex(R"({"x":1})")), VersionOrder::newer);
}

class VersionlessRecords : public ::testing::TestWithParam<std::string> {};

plugin::PolledRecord versionless(const std::string& description) {
  plugin::PolledRecord in;
  in.external_id = "V-1";
  in.case_json = R"({"external_id":"V-1","title":"路灯不亮","description":")" + description +
                 R"(","category":"城市管理","channel":"电话"})";
  in.raw = in.case_json;
  return in;
}

store::BatchOutcome ingest_one(soci::session& sql, db::Dialect dialect, const crypto::PiiProtector& pii,
                               const plugin::PolledRecord& in) {
  auto checked = ingest::validate_record(in, ingest::IngestLimits{});
  EXPECT_TRUE(std::holds_alternative<store::CaseWrite>(checked));
  const auto settings = ingest::IngestSettings::store_only();
  return ingest::Ingestor(sql, dialect, pii, settings)
      .commit({.instance = "sys_a", .system = "sys"}, {std::get<store::CaseWrite>(checked)}, {});
}

TEST_P(VersionlessRecords, EveryChangeOfContentIsAppliedWhateverItsHashSortsAs) {
  auto backend = test::make_backend(GetParam());
  auto sql = backend.db->connect();
  const auto pii = crypto::PiiProtector::from_hex(std::string(64, 'b'));
  // Ten successive edits: with hashes compared as text about half would be "stale".
  std::string previous = "第0次";
  ingest_one(*sql, backend.db->dialect(), pii, versionless(previous));
  int applied = 0;
  for (int i = 1; i <= 10; ++i) {
    const std::string text = "第" + std::to_string(i) + "次";
    auto out = ingest_one(*sql, backend.db->dialect(), pii, versionless(text));
    EXPECT_EQ(out.stale, 0) << "edit " << i << " skipped as stale";
    applied += out.updated;
    std::string stored;
    *sql << "SELECT description FROM cases", soci::into(stored);
    EXPECT_EQ(stored, text);
    previous = text;
  }
  EXPECT_EQ(applied, 10);
  // The same content again is unchanged, not an update.
  auto again = ingest_one(*sql, backend.db->dialect(), pii, versionless(previous));
  EXPECT_EQ(again.unchanged, 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, VersionlessRecords, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace yizhan
