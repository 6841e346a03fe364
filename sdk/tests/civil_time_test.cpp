// Civil time at fixed offsets (not only +08:00), leap years, day and year rollovers.
#include <gtest/gtest.h>

#include <yizhan/sdk/support/civil_time.hpp>

namespace {
using namespace yizhan::sdk::support;

TEST(SdkSupportCivilTime, CalendarArithmetic) {
  static_assert(days_from_civil(1970, 1, 1) == 0);
  static_assert(days_from_civil(2000, 3, 1) == 11017);
  static_assert(days_from_civil(1969, 12, 31) == -1);
  EXPECT_EQ(days_from_civil(2026, 3, 1) - days_from_civil(2026, 2, 28), 1) << "2026 is not a leap year";
  EXPECT_EQ(days_from_civil(2024, 3, 1) - days_from_civil(2024, 2, 28), 2) << "2024 is";
  for (std::int64_t d : {-1LL, 0LL, 59LL, 11016LL, 20513LL, 2932896LL}) {
    CivilDate c = civil_from_days(d);
    EXPECT_EQ(days_from_civil(c.year, c.month, c.day), d);
  }
  CivilDate c = civil_from_days(days_from_civil(2000, 2, 29));
  EXPECT_EQ(c.year, 2000);
  EXPECT_EQ(c.month, 2u);
  EXPECT_EQ(c.day, 29u);
  EXPECT_EQ(floor_div(-1, 86400), -1);
  EXPECT_EQ(floor_div(86399, 86400), 0);
  EXPECT_EQ(floor_div(-86400, 86400), -1);
  EXPECT_TRUE(is_leap_year(2000));
  EXPECT_FALSE(is_leap_year(1900));
  EXPECT_FALSE(is_civil_date(2100, 2, 29));
  EXPECT_TRUE(is_civil_date(2400, 2, 29));
  EXPECT_FALSE(is_civil_date(2026, 4, 31));
  EXPECT_FALSE(is_civil_date(2026, 13, 1));
  EXPECT_FALSE(is_civil_date(2026, 0, 1));
}

TEST(SdkSupportCivilTime, UtcOffsets) {
  EXPECT_EQ(parse_utc_offset("+08:00"), 8 * 3600);
  EXPECT_EQ(parse_utc_offset("-03:30"), -(3 * 3600 + 30 * 60));
  EXPECT_EQ(parse_utc_offset("+05:45"), 5 * 3600 + 45 * 60);
  EXPECT_EQ(parse_utc_offset("+00:00"), 0);
  EXPECT_EQ(parse_utc_offset("-00:00"), 0);
  EXPECT_EQ(parse_utc_offset("+14:00"), 14 * 3600);
  for (const char* bad : {"", "Z", "+8:00", "+0800", "08:00", "+15:00", "+08:60", "+08:0a", "+08:00 ", "UTC+8"}) {
    EXPECT_EQ(parse_utc_offset(bad), std::nullopt) << bad;
    EXPECT_FALSE(is_utc_offset(bad)) << bad;
  }
  EXPECT_TRUE(is_utc_offset("-12:00"));
}

TEST(SdkSupportCivilTime, ParseLocalTimeIsStrict) {
  auto t = parse_local_time("2026-03-01 09:12:33");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->text, "2026-03-01 09:12:33");
  EXPECT_EQ(t->seconds, days_from_civil(2026, 3, 1) * 86400 + 9 * 3600 + 12 * 60 + 33);
  EXPECT_TRUE(parse_local_time("2024-02-29 23:59:59"));
  EXPECT_TRUE(parse_local_time("1970-01-01 00:00:00"));
  EXPECT_TRUE(parse_local_time("9999-12-31 23:59:59"));
  for (const char* bad : {"0000-00-00 00:00:00", "2026-02-29 10:00:00", "2026-04-31 10:00:00", "2026-03-01T09:12:33",
                          "2026-03-01 24:00:00", "2026-03-01 09:60:00", "2026-03-01 09:12:60", "2026-3-1 09:12:33",
                          "2026-03-01 09:12:33Z", "2026-03-01", "1969-12-31 23:59:59", "2026/03/01 09:12:33", ""})
    EXPECT_FALSE(parse_local_time(bad)) << bad;
}

TEST(SdkSupportCivilTime, FormatLocalIsTheInverse) {
  for (const char* text :
       {"1970-01-01 00:00:00", "2024-02-29 23:59:59", "2026-12-31 23:59:59", "2027-01-01 00:00:00"}) {
    auto t = parse_local_time(text);
    ASSERT_TRUE(t) << text;
    EXPECT_EQ(format_local(t->seconds), text);
  }
  EXPECT_EQ(format_local(-1), "1969-12-31 23:59:59");
}

TEST(SdkSupportCivilTime, LocalToIso8601KeepsTheConfiguredOffset) {
  auto t = parse_local_time("2026-03-01 09:12:33");
  ASSERT_TRUE(t);
  EXPECT_EQ(to_iso8601(*t, "+08:00"), "2026-03-01T09:12:33+08:00");
  EXPECT_EQ(to_iso8601(*t, "-05:00"), "2026-03-01T09:12:33-05:00");
  EXPECT_EQ(local_seconds_to_iso8601(t->seconds, "+05:45"), "2026-03-01T09:12:33+05:45");
  // Epoch milliseconds made local: 2026-02-28T16:30:00Z is 2026-03-01 00:30 at +08:00
  // (a day and a month later) and 2026-02-28 11:30 at -05:00.
  const std::int64_t ms = (days_from_civil(2026, 2, 28) * 86400 + 16 * 3600 + 30 * 60) * 1000 + 999;
  EXPECT_EQ(local_seconds_to_iso8601(floor_div(ms, 1000) + 8 * 3600, "+08:00"), "2026-03-01T00:30:00+08:00");
  EXPECT_EQ(local_seconds_to_iso8601(floor_div(ms, 1000) - 5 * 3600, "-05:00"), "2026-02-28T11:30:00-05:00");
  // A year rollover.
  const std::int64_t new_year = days_from_civil(2027, 1, 1) * 86400;
  EXPECT_EQ(local_seconds_to_iso8601(new_year - 1 + 9 * 3600, "+09:00"), "2027-01-01T08:59:59+09:00");
  EXPECT_EQ(local_seconds_to_iso8601(new_year - 1 - 10 * 3600, "-10:00"), "2026-12-31T13:59:59-10:00");
}

TEST(SdkSupportCivilTime, Iso8601Instants) {
  const std::int64_t base = days_from_civil(2026, 3, 1) * 86400;
  EXPECT_EQ(parse_iso8601_instant("2026-03-01T00:00:00Z"), base);
  EXPECT_EQ(parse_iso8601_instant("2026-03-01T08:00:00+08:00"), base);
  EXPECT_EQ(parse_iso8601_instant("2026-02-28T19:00:00-05:00"), base);
  EXPECT_EQ(parse_iso8601_instant("2026-03-01T05:45:00.999+05:45"), base) << "fractions are dropped";
  EXPECT_EQ(parse_iso8601_instant("2026-03-01T00:00:00.5Z"), base);
  for (const char* bad : {"2026-03-01T00:00:00", "2026-03-01 00:00:00Z", "2026-03-01T00:00:00.Z",
                          "2026-02-30T00:00:00Z", "2026-03-01T00:00:00+8:00", "2026-03-01T00:00:00+15:00",
                          "2026-03-01T00:00:00z", "2026-03-01T00:00:00+08:00x", ""})
    EXPECT_EQ(parse_iso8601_instant(bad), std::nullopt) << bad;
}

TEST(SdkSupportCivilTime, LocalTimeOfAnInstantAtAnOffset) {
  auto at = [](const char* instant, const char* offset) {
    auto t = local_time_of(instant, offset);
    return t ? t->text : std::string("nullopt");
  };
  EXPECT_EQ(at("2026-03-01T01:12:33Z", "+08:00"), "2026-03-01 09:12:33");
  EXPECT_EQ(at("2026-02-28T16:00:00Z", "+08:00"), "2026-03-01 00:00:00") << "day and month roll over";
  EXPECT_EQ(at("2024-02-28T16:00:00Z", "+08:00"), "2024-02-29 00:00:00") << "a leap day";
  EXPECT_EQ(at("2026-12-31T20:00:00Z", "+09:00"), "2027-01-01 05:00:00") << "the year rolls over";
  EXPECT_EQ(at("2026-03-01T03:00:00Z", "-05:00"), "2026-02-28 22:00:00") << "backwards over a month end";
  EXPECT_EQ(at("2026-02-28T23:30:00-05:00", "+08:00"), "2026-03-01 12:30:00") << "offset to offset";
  EXPECT_EQ(at("2026-03-01T09:12:33+08:00", "+08:00"), "2026-03-01 09:12:33");
  EXPECT_EQ(at("2026-03-01T01:12:33.250Z", "+05:45"), "2026-03-01 06:57:33");
  EXPECT_EQ(at("2026-03-01T01:12:33Z", "+8:00"), "nullopt") << "a bad configured offset";
  EXPECT_EQ(at("2026-03-01 01:12:33Z", "+08:00"), "nullopt");
  EXPECT_EQ(at("1970-01-01T03:00:00Z", "-05:00"), "nullopt") << "before 1970 locally";
}

}  // namespace
