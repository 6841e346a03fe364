#include "ledger/canonical_json.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>
#include <limits>

#include "crypto/crypto.hpp"

namespace {

namespace json = boost::json;
using yizhan::ledger::canonical_json;
using yizhan::ledger::canonical_number;
using yizhan::ledger::CanonicalJsonError;

std::string canon(std::string_view text) { return canonical_json(json::parse(text)); }

TEST(CanonicalJson, WritesScalars) {
  EXPECT_EQ(canon("null"), "null");
  EXPECT_EQ(canon("true"), "true");
  EXPECT_EQ(canon("false"), "false");
  EXPECT_EQ(canon("0"), "0");
  EXPECT_EQ(canon("-12"), "-12");
  EXPECT_EQ(canon("9223372036854775807"), "9223372036854775807");
  EXPECT_EQ(canon("-9223372036854775808"), "-9223372036854775808");
  EXPECT_EQ(canon("18446744073709551615"), "18446744073709551615");
  EXPECT_EQ(canon(R"("")"), R"("")");
}

TEST(CanonicalJson, DropsInsignificantWhitespace) {
  EXPECT_EQ(canon(" { \"a\" : [ 1 , 2 , { } , [ ] ] ,\n\t\"b\" : \"x y\" } "), R"({"a":[1,2,{},[]],"b":"x y"})");
}

TEST(CanonicalJson, SortsKeysAtEveryLevelAndKeepsArrayOrder) {
  EXPECT_EQ(canon(R"({"b":1,"a":{"z":[3,1,2],"y":{"d":null,"c":true}},"A":0})"),
            R"({"A":0,"a":{"y":{"c":true,"d":null},"z":[3,1,2]},"b":1})");
}

TEST(CanonicalJson, SortsKeysByUtf8BytesWithChineseAfterAscii) {
  // 办 U+529E < 受 U+53D7 < 案 U+6848 (code point order = UTF-8 byte order); all after ASCII.
  EXPECT_EQ(canon(R"({"案件":1,"受理":2,"办结":3,"zz":4,"Z":5})"), R"({"Z":5,"zz":4,"办结":3,"受理":2,"案件":1})");
  // A prefix sorts before its extensions; é (C3 A9) sorts after ASCII 'z'.
  EXPECT_EQ(canon(R"({"ab":1,"a":2,"é":3,"z":4})"), R"({"a":2,"ab":1,"z":4,"é":3})");
  // U+FF01 (EF BC 81) before U+1F600 (F0 9F 98 80): byte order, not UTF-16 order.
  EXPECT_EQ(canon(R"({"😀":1,"！":2})"), R"({"！":2,"😀":1})");
}

TEST(CanonicalJson, WritesChineseAsUtf8Unescaped) {
  EXPECT_EQ(canon(R"({"title":"\u566a\u97f3\u6270\u6c11"})"), R"({"title":"噪音扰民"})");
  EXPECT_EQ(canon(R"(["\ud83d\ude00"])"), "[\"😀\"]");
}

TEST(CanonicalJson, EscapesOnlyQuoteBackslashAndControlCharacters) {
  EXPECT_EQ(canonical_json(json::value("say \"hi\" \\ bye")), R"("say \"hi\" \\ bye")");
  EXPECT_EQ(canonical_json(json::value("line1\nline2\ttab\r\b\f")), R"("line1\u000aline2\u0009tab\u000d\u0008\u000c")");
  EXPECT_EQ(canonical_json(json::value(std::string("nul\0x", 5))), R"("nul\u0000x")");
  EXPECT_EQ(canonical_json(json::value("\x1f\x7f")), "\"\\u001f\x7f\"");
  EXPECT_EQ(canonical_json(json::value("a/b \u2028")), "\"a/b \u2028\"");
  // Keys follow the same rules, and sort by their unescaped bytes: "a\n" (0x0a) before "a\"" (0x22).
  EXPECT_EQ(canon(R"({"a\"":2,"a\nb":1})"), R"({"a\u000ab":1,"a\"":2})");
}

TEST(CanonicalJson, WritesDoublesInShortestRoundTripForm) {
  EXPECT_EQ(canon("1.0"), "1");
  EXPECT_EQ(canon("-0.0"), "0");
  EXPECT_EQ(canon("0.5"), "0.5");
  EXPECT_EQ(canon("0.1"), "0.1");
  EXPECT_EQ(canon("3.14159"), "3.14159");
  EXPECT_EQ(canon("-2.5"), "-2.5");
  EXPECT_EQ(canon("1e2"), "100");
  EXPECT_EQ(canon("123.456e1"), "1234.56");
  EXPECT_EQ(canon("1e20"), "100000000000000000000");
  EXPECT_EQ(canon("1e21"), "1e+21");
  EXPECT_EQ(canon("1.5e300"), "1.5e+300");
  EXPECT_EQ(canon("0.000001"), "0.000001");
  EXPECT_EQ(canon("1e-7"), "1e-7");
  EXPECT_EQ(canon("123e-9"), "1.23e-7");
  EXPECT_EQ(canon("0.000123"), "0.000123");
  EXPECT_EQ(canonical_number(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(canonical_number(std::numeric_limits<double>::max()), "1.7976931348623157e+308");
  EXPECT_EQ(canonical_number(std::numeric_limits<double>::denorm_min()), "5e-324");
  EXPECT_EQ(canonical_number(112.5), "112.5");
  EXPECT_EQ(canonical_number(9007199254740993.0), "9007199254740992");
}

TEST(CanonicalJson, RejectsNonFiniteNumbersNamingThePath) {
  json::object o;
  o["sla"] = json::array{1, std::nan("")};
  try {
    canonical_json(o);
    FAIL() << "expected CanonicalJsonError";
  } catch (const CanonicalJsonError& e) {
    EXPECT_NE(std::string(e.what()).find("$.sla[1]"), std::string::npos) << e.what();
  }
  EXPECT_THROW(canonical_json(json::value(std::numeric_limits<double>::infinity())), CanonicalJsonError);
}

TEST(CanonicalJson, RejectsInvalidUtf8NamingThePath) {
  json::object o;
  o["reporter"] = json::object{{"name", "\xE5\x99"}};
  try {
    canonical_json(o);
    FAIL() << "expected CanonicalJsonError";
  } catch (const CanonicalJsonError& e) {
    EXPECT_NE(std::string(e.what()).find("$.reporter.name"), std::string::npos) << e.what();
  }
  json::object bad_key;
  bad_key["\xFF"] = 1;
  EXPECT_THROW(canonical_json(bad_key), CanonicalJsonError);
}

TEST(CanonicalJson, IsIndependentOfInsertionOrder) {
  json::object a, b;
  a["case_id"] = "C2026-000123";
  a["event"] = "dispatched";
  a["to"] = json::object{{"dept", "住建局"}, {"level", "县级"}};
  b["to"] = json::object{{"level", "县级"}, {"dept", "住建局"}};
  b["event"] = "dispatched";
  b["case_id"] = "C2026-000123";
  EXPECT_EQ(canonical_json(a), canonical_json(b));
}

TEST(CanonicalJson, IsAFixedPointOfParseAndCanonicalize) {
  const char* docs[] = {
      R"({"事件":"派单","时间":"2026-02-26T14:30:00+08:00","来源":[{"系统":"12345","编号":"GD-1"}],"得分":0.85,"n":-3,"x":1e300,"t":"a\u0001b"})",
      R"([[],{},[{}],"",0,-0.0,1.0e-7,5e-324])",
  };
  for (const char* d : docs) {
    const std::string once = canon(d);
    EXPECT_EQ(canon(once), once);
  }
}

TEST(CanonicalJson, AnEventHashesReproducibly) {
  // What the ledger hashes: a nested event with Chinese text, keys in arbitrary order.
  const auto event = json::parse(R"({
      "type": "routed", "case_id": "C2026-000123",
      "payload": {"level": "乡镇", "departments": ["岚漪镇综治中心", "住建局"], "rule": 3},
      "at": "2026-02-26T14:30:00+08:00"})");
  const std::string c = canonical_json(event);
  EXPECT_EQ(c, R"({"at":"2026-02-26T14:30:00+08:00","case_id":"C2026-000123",)"
               R"("payload":{"departments":["岚漪镇综治中心","住建局"],"level":"乡镇","rule":3},"type":"routed"})");
  // What an auditor gets from `printf '%s' "$c" | openssl dgst -sm3`.
  EXPECT_EQ(yizhan::crypto::sm3_hex(c), "9159c9370428ab55e0f227f101f22dfe0c01326c2c10b73db8137003887f6fe5");
  std::string appended = "prefix";
  yizhan::ledger::append_canonical_json(appended, event);
  EXPECT_EQ(appended, "prefix" + c);
}

}  // namespace
