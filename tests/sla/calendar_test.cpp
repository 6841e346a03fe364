#include "sla/calendar.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "support/test_paths.hpp"

namespace {

namespace chr = std::chrono;
using yizhan::sla::CalendarFileError;
using yizhan::sla::CalendarRangeError;
using yizhan::sla::format_date;
using yizhan::sla::parse_date;
using yizhan::sla::WorkCalendar;

chr::year_month_day d(std::string_view text) {
  auto date = parse_date(text);
  if (!date) throw std::invalid_argument("bad test date " + std::string(text));
  return *date;
}

std::string add(const WorkCalendar& cal, std::string_view from, int n) {
  return format_date(cal.add_workdays(d(from), n));
}

const WorkCalendar& official() {
  static const WorkCalendar cal = WorkCalendar::load_dir(yizhan::test::source_dir() / "config");
  return cal;
}

// Writes `text` to dir/name and returns the path.
std::filesystem::path write(const std::filesystem::path& dir, const std::string& name, const std::string& text) {
  std::ofstream(dir / name) << text;
  return dir / name;
}

// The message of the CalendarFileError that loading `files` throws, or "" if none.
std::string load_error(const std::vector<std::filesystem::path>& files) {
  try {
    WorkCalendar::load(files);
  } catch (const CalendarFileError& e) {
    return e.what();
  }
  return "";
}

const std::string kValid2026Head = "year: 2026\n";

TEST(Dates, ParseOnlyRealDatesInIsoForm) {
  EXPECT_EQ(format_date(d("2026-02-14")), "2026-02-14");
  EXPECT_FALSE(parse_date("2026-02-30"));
  EXPECT_FALSE(parse_date("2025-02-29"));
  EXPECT_TRUE(parse_date("2024-02-29"));
  EXPECT_FALSE(parse_date("2026-2-14"));
  EXPECT_FALSE(parse_date("2026/02/14"));
  EXPECT_FALSE(parse_date("2026-02-14 "));
  EXPECT_FALSE(parse_date("2026-13-01"));
  EXPECT_FALSE(parse_date("２０２６-02-14"));
  EXPECT_FALSE(parse_date(""));
}

TEST(WorkCalendar, LoadsTheOfficialCalendarsFromConfig) {
  EXPECT_EQ(official().years(), (std::set<int>{2025, 2026}));
  EXPECT_TRUE(official().covers(d("2025-01-01")));
  EXPECT_FALSE(official().covers(d("2027-01-01")));
}

TEST(WorkCalendar, WeekdaysWorkWeekendsRest) {
  EXPECT_TRUE(official().is_workday(d("2026-03-02")));   // Monday
  EXPECT_TRUE(official().is_workday(d("2026-03-06")));   // Friday
  EXPECT_FALSE(official().is_workday(d("2026-03-07")));  // Saturday
  EXPECT_FALSE(official().is_workday(d("2026-03-08")));  // Sunday
}

TEST(WorkCalendar, HolidaysAreRestDaysEvenOnWeekdays) {
  EXPECT_FALSE(official().is_workday(d("2026-02-16")));  // Monday in 春节
  EXPECT_FALSE(official().is_workday(d("2026-10-01")));  // Thursday, 国庆节
  EXPECT_FALSE(official().is_workday(d("2025-10-08")));  // Wednesday, 国庆节、中秋节
  EXPECT_EQ(official().holiday_name(d("2026-02-16")), "春节");
  EXPECT_EQ(official().holiday_name(d("2025-10-06")), "国庆节、中秋节");
  EXPECT_EQ(official().holiday_name(d("2026-03-02")), std::nullopt);
}

TEST(WorkCalendar, MakeUpWeekendDaysAreWorkdays) {
  for (const char* day : {"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11", "2026-01-04",
                          "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"})
    EXPECT_TRUE(official().is_workday(d(day))) << day;
  EXPECT_FALSE(official().is_workday(d("2025-09-27")));  // the Saturday before the make-up Sunday
}

TEST(WorkCalendar, SpringFestival2026) {
  EXPECT_EQ(add(official(), "2026-02-13", 1), "2026-02-14");  // Friday → make-up Saturday
  EXPECT_EQ(add(official(), "2026-02-14", 1), "2026-02-24");  // over 02-15..02-23
  EXPECT_EQ(add(official(), "2026-02-13", 2), "2026-02-24");
  EXPECT_EQ(add(official(), "2026-02-27", 1), "2026-02-28");  // Friday → make-up Saturday
  EXPECT_EQ(add(official(), "2026-02-28", 1), "2026-03-02");
}

TEST(WorkCalendar, NationalDay2026) {
  // 中秋 09-25..09-27 with make-up Sunday 09-20; 国庆 10-01..10-07 with make-up Saturday 10-10.
  EXPECT_EQ(add(official(), "2026-09-19", 1), "2026-09-20");
  EXPECT_EQ(add(official(), "2026-09-24", 1), "2026-09-28");
  EXPECT_EQ(add(official(), "2026-09-30", 1), "2026-10-08");
  EXPECT_EQ(add(official(), "2026-09-30", 2), "2026-10-09");
  EXPECT_EQ(add(official(), "2026-09-30", 3), "2026-10-10");
  EXPECT_EQ(add(official(), "2026-09-30", 4), "2026-10-12");
}

TEST(WorkCalendar, NationalDayAndMidAutumn2025) {
  EXPECT_EQ(add(official(), "2025-09-26", 1), "2025-09-28");  // Friday → make-up Sunday
  EXPECT_EQ(add(official(), "2025-09-30", 1), "2025-10-09");  // over 10-01..10-08
  EXPECT_EQ(add(official(), "2025-10-09", 2), "2025-10-11");  // make-up Saturday
  EXPECT_EQ(add(official(), "2025-10-11", 1), "2025-10-13");
}

TEST(WorkCalendar, CrossesTheYearBoundary) {
  EXPECT_EQ(add(official(), "2025-12-31", 1), "2026-01-04");  // 元旦 01-01..01-03, make-up Sunday
  EXPECT_EQ(add(official(), "2026-01-04", -1), "2025-12-31");
  EXPECT_EQ(official().workdays_between(d("2025-12-31"), d("2026-01-04")), 1);
}

TEST(WorkCalendar, ZeroWorkdaysIsTheDayItselfOrTheNextWorkday) {
  EXPECT_EQ(add(official(), "2026-02-13", 0), "2026-02-13");
  EXPECT_EQ(add(official(), "2026-02-15", 0), "2026-02-24");
  EXPECT_EQ(add(official(), "2026-03-07", 0), "2026-03-09");
}

TEST(WorkCalendar, NegativeCountsGoBackwards) {
  EXPECT_EQ(add(official(), "2026-02-24", -1), "2026-02-14");
  EXPECT_EQ(add(official(), "2026-02-24", -2), "2026-02-13");
  EXPECT_EQ(add(official(), "2025-10-09", -1), "2025-09-30");
}

TEST(WorkCalendar, NextWorkdayOnOrAfter) {
  EXPECT_EQ(format_date(official().next_workday_on_or_after(d("2026-10-01"))), "2026-10-08");
  EXPECT_EQ(format_date(official().next_workday_on_or_after(d("2026-10-10"))), "2026-10-10");
  EXPECT_EQ(format_date(official().next_workday_on_or_after(d("2025-12-31"))), "2025-12-31");
  EXPECT_EQ(format_date(official().next_workday_on_or_after(d("2026-01-01"))), "2026-01-04");
}

TEST(WorkCalendar, WorkdaysBetweenCountsTheHalfOpenInterval) {
  const auto& cal = official();
  EXPECT_EQ(cal.workdays_between(d("2026-02-13"), d("2026-02-13")), 0);
  EXPECT_EQ(cal.workdays_between(d("2026-02-13"), d("2026-02-24")), 2);
  EXPECT_EQ(cal.workdays_between(d("2026-02-24"), d("2026-02-13")), -2);
  EXPECT_EQ(cal.workdays_between(d("2026-02-14"), d("2026-02-23")), 0);
  // Whole years, counted independently from the YAML files: 248 working days each.
  EXPECT_EQ(cal.workdays_between(d("2025-01-01"), d("2025-12-31")), 248);  // 01-01 (元旦) is not one
  EXPECT_EQ(cal.workdays_between(d("2025-12-31"), d("2026-12-31")), 248);
  // Consistent with add_workdays for every working day in a span.
  for (int n = 1; n <= 30; ++n)
    EXPECT_EQ(cal.workdays_between(d("2026-01-30"), cal.add_workdays(d("2026-01-30"), n)), n) << n;
}

TEST(WorkCalendar, DatesOutsideTheLoadedYearsAreErrorsNamingDateAndYears) {
  try {
    official().is_workday(d("2027-01-05"));
    FAIL() << "expected CalendarRangeError";
  } catch (const CalendarRangeError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("2027-01-05"), std::string::npos) << what;
    EXPECT_NE(what.find("2025, 2026"), std::string::npos) << what;
    EXPECT_NE(what.find("calendar-cn-2027.yaml"), std::string::npos) << what;
    EXPECT_EQ(format_date(e.date()), "2027-01-05");
  }
  EXPECT_THROW(official().is_workday(d("2024-12-31")), CalendarRangeError);
  EXPECT_THROW(official().add_workdays(d("2027-01-05"), 1), CalendarRangeError);
  // Counting past the end of the loaded years is an error too, never a guess.
  EXPECT_THROW(official().add_workdays(d("2026-12-31"), 1), CalendarRangeError);
  EXPECT_THROW(official().add_workdays(d("2025-01-02"), -2), CalendarRangeError);
  EXPECT_THROW(official().next_workday_on_or_after(d("2027-01-01")), CalendarRangeError);
  EXPECT_THROW(official().workdays_between(d("2026-12-01"), d("2027-01-05")), CalendarRangeError);
  EXPECT_THROW(official().holiday_name(d("2027-01-01")), CalendarRangeError);
}

TEST(WorkCalendar, AGapBetweenLoadedYearsIsOutOfRange) {
  yizhan::test::TempDir tmp;
  const auto a = write(tmp.path(), "calendar-cn-2025.yaml", "year: 2025\nholidays: []\nworkdays: []\n");
  const auto b = write(tmp.path(), "calendar-cn-2027.yaml", "year: 2027\nholidays: []\nworkdays: []\n");
  const auto cal = WorkCalendar::load({a, b});
  EXPECT_TRUE(cal.is_workday(d("2027-01-01")));  // a Friday, with no holidays listed
  EXPECT_THROW(cal.add_workdays(d("2025-12-31"), 2), CalendarRangeError);
}

TEST(WorkCalendar, NeighbouringYearDaysApplyWhenThatYearIsLoaded) {
  // 元旦 may begin in late December of the year before, in the later year's notice.
  yizhan::test::TempDir tmp;
  const auto a = write(tmp.path(), "calendar-cn-2025.yaml", "year: 2025\nholidays: []\nworkdays: []\n");
  const auto b = write(tmp.path(), "calendar-cn-2026.yaml",
                       "year: 2026\nholidays:\n  - {name: 元旦, from: 2025-12-31, to: 2026-01-01}\nworkdays: []\n");
  EXPECT_FALSE(WorkCalendar::load({a, b}).is_workday(d("2025-12-31")));
  EXPECT_THROW(WorkCalendar::load({b}).is_workday(d("2025-12-31")), CalendarRangeError);
}

TEST(WorkCalendarFile, MalformedDateNamesFileAndLine) {
  yizhan::test::TempDir tmp;
  const auto f = write(tmp.path(), "calendar-cn-2026.yaml",
                       kValid2026Head +
                           "holidays:\n"
                           "  - {name: 元旦, from: 2026-01-01, to: 2026-01-03}\n"
                           "  - {name: 春节, from: 2026-02-15, to: 2026-02-30}\n"
                           "workdays: []\n");
  const std::string err = load_error({f});
  EXPECT_NE(err.find(f.string() + ":4:"), std::string::npos) << err;
  EXPECT_NE(err.find("2026-02-30"), std::string::npos) << err;
}

TEST(WorkCalendarFile, UnknownKeysAreRejectedWithTheKnownOnes) {
  yizhan::test::TempDir tmp;
  const auto f = write(tmp.path(), "calendar-cn-2026.yaml", kValid2026Head + "holidays: []\nworkday: []\n");
  const std::string err = load_error({f});
  EXPECT_NE(err.find(":3:"), std::string::npos) << err;
  EXPECT_NE(err.find("unknown key 'workday'"), std::string::npos) << err;
  EXPECT_NE(err.find("workdays"), std::string::npos) << err;
}

TEST(WorkCalendarFile, MakeUpWorkdayMustBeAWeekendDay) {
  yizhan::test::TempDir tmp;
  const auto f =
      write(tmp.path(), "calendar-cn-2026.yaml", kValid2026Head + "holidays: []\nworkdays:\n  - 2026-02-13\n");
  const std::string err = load_error({f});
  EXPECT_NE(err.find(":4:"), std::string::npos) << err;
  EXPECT_NE(err.find("2026-02-13 is a weekday"), std::string::npos) << err;
}

TEST(WorkCalendarFile, ADayCannotBeBothHolidayAndWorkday) {
  yizhan::test::TempDir tmp;
  const auto f = write(
      tmp.path(), "calendar-cn-2026.yaml",
      kValid2026Head + "holidays:\n  - {name: 春节, from: 2026-02-14, to: 2026-02-16}\nworkdays:\n  - 2026-02-14\n");
  const std::string err = load_error({f});
  EXPECT_NE(err.find(":5:"), std::string::npos) << err;
  EXPECT_NE(err.find("already listed as a holiday at " + f.string() + ":3"), std::string::npos) << err;
}

TEST(WorkCalendarFile, BadStructureIsNamed) {
  yizhan::test::TempDir tmp;
  auto err_of = [&](const std::string& text) { return load_error({write(tmp.path(), "calendar-cn-2026.yaml", text)}); };
  EXPECT_NE(err_of("").find("expected a mapping"), std::string::npos);
  EXPECT_NE(err_of("year: 2026\nholidays: []\n").find("has no 'workdays'"), std::string::npos);
  EXPECT_NE(err_of("year: twenty\nholidays: []\nworkdays: []\n").find(":1: year must be"), std::string::npos);
  EXPECT_NE(err_of("year: 2026\nholidays: {}\nworkdays: []\n").find(":2: holidays must be a list"), std::string::npos);
  EXPECT_NE(err_of("year: 2026\nholidays: [{name: x, from: 2026-01-01}]\nworkdays: []\n").find("has no 'to'"),
            std::string::npos);
  EXPECT_NE(err_of("year: 2026\nholidays: [{name: x, from: 2026-01-05, to: 2026-01-01}]\nworkdays: []\n")
                .find("ends before it starts"),
            std::string::npos);
  EXPECT_NE(err_of("year: 2026\nholidays: []\nworkdays: [2062-01-04]\n").find("too far from the file's year"),
            std::string::npos);
  EXPECT_NE(err_of("year: 2026\nholidays: [\nworkdays: []\n").find("not valid YAML"), std::string::npos);
}

TEST(WorkCalendarFile, YearMustMatchFileNameAndNotRepeat) {
  yizhan::test::TempDir tmp;
  const auto wrong = write(tmp.path(), "calendar-cn-2027.yaml", "year: 2026\nholidays: []\nworkdays: []\n");
  EXPECT_NE(load_error({wrong}).find("does not match the file name"), std::string::npos);
  const auto a = write(tmp.path(), "a.yaml", "year: 2026\nholidays: []\nworkdays: []\n");
  const auto b = write(tmp.path(), "b.yaml", "year: 2026\nholidays: []\nworkdays: []\n");
  const std::string err = load_error({a, b});
  EXPECT_NE(err.find("b.yaml: year 2026 is already loaded from " + a.string()), std::string::npos) << err;
}

TEST(WorkCalendarFile, MissingFileOrEmptyDirectoryIsNamed) {
  yizhan::test::TempDir tmp;
  const std::string err = load_error({tmp.path() / "calendar-cn-2030.yaml"});
  EXPECT_NE(err.find("calendar-cn-2030.yaml: cannot open"), std::string::npos) << err;
  EXPECT_THROW(WorkCalendar::load_dir(tmp.path()), CalendarFileError);
  EXPECT_THROW(WorkCalendar::load_dir(tmp.path() / "missing"), CalendarFileError);
}

TEST(WorkCalendarFile, LoadDirTakesOnlyCalendarFiles) {
  yizhan::test::TempDir tmp;
  write(tmp.path(), "calendar-cn-2026.yaml", "year: 2026\nholidays: []\nworkdays: []\n");
  write(tmp.path(), "routing.yaml", "not: a calendar\n");
  EXPECT_EQ(WorkCalendar::load_dir(tmp.path()).years(), std::set<int>{2026});
}

}  // namespace
