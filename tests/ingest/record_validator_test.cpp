// Bad input, one kind at a time: each becomes a dead letter whose reason names what
// and where, and keeps the raw payload.
#include "ingest/record_validator.hpp"

#include <gtest/gtest.h>

namespace yizhan::ingest {
namespace {

std::string reason_of(const IncomingRecord& in, ingest::IngestLimits limits = {}) {
  auto checked = validate_record(in, limits);
  auto* dead = std::get_if<store::DeadLetterWrite>(&checked);
  if (!dead) return "(accepted)";
  EXPECT_FALSE(dead->raw.empty());
  return dead->reason;
}

IncomingRecord good() {
  return {"W-1", R"({"external_id":"W-1","title":"噪音扰民","received_at":"2026-03-01T09:00:00+08:00"})", "{raw}", ""};
}

TEST(RecordValidator, AcceptsAGoodRecordAndNormalizesItsInstantToUtc) {
  auto checked = validate_record(good(), {});
  auto* w = std::get_if<store::CaseWrite>(&checked);
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->record.received_at, "2026-03-01T01:00:00Z");
}

TEST(RecordValidator, MalformedJsonIsNamed) {
  auto in = good();
  in.case_json = R"({"external_id":"W-1","title":)";
  EXPECT_NE(reason_of(in).find("case record is malformed"), std::string::npos);
}

TEST(RecordValidator, WrongEncodingIsNamedWithTheField) {
  auto in = good();
  in.case_json = "{\"external_id\":\"W-1\",\"title\":\"\xd4\xeb\xd2\xf4\"}";  // 噪音 in GBK
  EXPECT_NE(reason_of(in).find("not valid UTF-8"), std::string::npos) << reason_of(in);
}

TEST(RecordValidator, GbkRawPayloadIsKeptAsBase64SoNothingIsLost) {
  auto in = good();
  in.error = "cannot decode";
  in.raw = "\xd4\xeb\xd2\xf4";
  auto checked = validate_record(in, {});
  auto& dead = std::get<store::DeadLetterWrite>(checked);
  EXPECT_EQ(dead.raw, "base64:1OvS9A==");
}

TEST(RecordValidator, MissingExternalIdIsNamed) {
  auto in = good();
  in.external_id.clear();
  EXPECT_EQ(reason_of(in), "missing external_id");
}

TEST(RecordValidator, OversizedFieldIsNamedWithSizeAndLimit) {
  auto in = good();
  in.case_json = R"({"external_id":"W-1","title":")" + std::string(1200, 'a') + "\"}";
  EXPECT_EQ(reason_of(in), "field title is 1200 bytes, limit 1000");
}

TEST(RecordValidator, AnInstantWithoutZoneIsRefusedNotGuessed) {
  auto in = good();
  in.case_json = R"({"external_id":"W-1","received_at":"2026-03-01 09:00:00"})";
  EXPECT_NE(reason_of(in).find("received_at '2026-03-01 09:00:00' is not ISO 8601 with a zone"), std::string::npos);
}

TEST(RecordValidator, AnUnknownStatusPointsAtTheMappingTable) {
  auto in = good();
  in.case_json = R"({"external_id":"W-1","status":"办理中"})";
  EXPECT_NE(reason_of(in).find("map it in the plugin's status table"), std::string::npos);
}

TEST(RecordValidator, APluginRejectionKeepsThePluginsReason) {
  auto in = good();
  in.error = "field 'slsj' is not a date";
  EXPECT_EQ(reason_of(in), "rejected by plugin: field 'slsj' is not a date");
}

TEST(RecordValidator, MismatchedIdsAreRefused) {
  auto in = good();
  in.external_id = "W-2";
  EXPECT_NE(reason_of(in).find("differs"), std::string::npos);
}

}  // namespace
}  // namespace yizhan::ingest
