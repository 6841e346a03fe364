#include "cli/command.hpp"

#include "support/test_paths.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace {

struct Outcome {
  int rc;
  std::string out;
  std::string err;
};

Outcome run(std::vector<std::string> args) {
  std::vector<std::string> all = {"yizhan", "calendar"};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  std::ostringstream o, e;
  const int rc = yizhan::cli::run(static_cast<int>(argv.size()), argv.data(), {o, e});
  return {rc, o.str(), e.str()};
}

const std::string kDir = YIZHAN_SOURCE_DIR "/config";

TEST(CalendarCommand, IsWorkdayPrintsYesOrNo) {
  EXPECT_EQ(run({"--calendar-dir", kDir, "is-workday", "2026-02-14"}).out, "yes\n");  // make-up Saturday
  EXPECT_EQ(run({"--calendar-dir", kDir, "is-workday", "2026-02-16"}).out, "no\n");   // 春节
  const auto r = run({"is-workday", "2026-03-07", "--calendar-dir", kDir});           // options anywhere
  EXPECT_EQ(r.rc, 0);
  EXPECT_EQ(r.out, "no\n");
  EXPECT_EQ(r.err, "");
}

TEST(CalendarCommand, AddWorkdaysPrintsTheDate) {
  EXPECT_EQ(run({"--calendar-dir", kDir, "add-workdays", "2026-02-13", "1"}).out, "2026-02-14\n");
  EXPECT_EQ(run({"--calendar-dir", kDir, "add-workdays", "2026-02-14", "1"}).out, "2026-02-24\n");
  EXPECT_EQ(run({"--calendar-dir=" + kDir, "add-workdays", "2025-12-31", "1"}).out, "2026-01-04\n");
  EXPECT_EQ(run({"--calendar-dir", kDir, "add-workdays", "2026-02-24", "-1"}).out, "2026-02-14\n");
  const auto r = run({"--calendar-dir", kDir, "add-workdays", "2026-10-01", "0"});
  EXPECT_EQ(r.rc, 0);
  EXPECT_EQ(r.out, "2026-10-08\n");
}

TEST(CalendarCommand, BadDateTextFailsNamingIt) {
  const auto r = run({"--calendar-dir", kDir, "is-workday", "2026-02-30"});
  EXPECT_EQ(r.rc, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("'2026-02-30' is not a date"), std::string::npos) << r.err;
  EXPECT_EQ(run({"--calendar-dir", kDir, "add-workdays", "14/02/2026", "1"}).rc, 1);
}

TEST(CalendarCommand, BadCountFails) {
  const auto r = run({"--calendar-dir", kDir, "add-workdays", "2026-02-13", "two"});
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("'two' is not a whole number"), std::string::npos) << r.err;
  EXPECT_EQ(run({"--calendar-dir", kDir, "add-workdays", "2026-02-13", "1.5"}).rc, 1);
}

TEST(CalendarCommand, OutOfRangeDateFailsNamingDateAndYears) {
  const auto r = run({"--calendar-dir", kDir, "is-workday", "2027-01-05"});
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("2027-01-05"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("2025, 2026"), std::string::npos) << r.err;
  EXPECT_EQ(run({"--calendar-dir", kDir, "add-workdays", "2026-12-31", "1"}).rc, 1);
}

TEST(CalendarCommand, UsageErrorsExit2) {
  EXPECT_EQ(run({}).rc, 2);
  EXPECT_EQ(run({"--calendar-dir", kDir, "is-holiday", "2026-02-14"}).rc, 2);
  EXPECT_EQ(run({"--calendar-dir", kDir, "is-workday"}).rc, 2);
  EXPECT_EQ(run({"--calendar-dir", kDir, "is-workday", "2026-02-14", "extra"}).rc, 2);
  EXPECT_EQ(run({"--calendar-dir", kDir, "add-workdays", "2026-02-14"}).rc, 2);
  EXPECT_EQ(run({"--calendar-dir"}).rc, 2);
  const auto r = run({"--frobnicate", "is-workday", "2026-02-14"});
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("unknown option '--frobnicate'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("usage:"), std::string::npos) << r.err;
}

TEST(CalendarCommand, HelpPrintsUsage) {
  const auto r = run({"--help"});
  EXPECT_EQ(r.rc, 0);
  EXPECT_NE(r.out.find("is-workday DATE"), std::string::npos);
  EXPECT_NE(r.out.find("add-workdays DATE N"), std::string::npos);
}

TEST(CalendarCommand, UnusableCalendarDirectoryFailsNamingIt) {
  yizhan::test::TempDir tmp;
  auto r = run({"--calendar-dir", (tmp.path() / "missing").string(), "is-workday", "2026-02-14"});
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("missing"), std::string::npos) << r.err;
  std::ofstream(tmp.path() / "calendar-cn-2026.yaml") << "year: 2026\nholidays: []\nworkdays: [2026-02-13]\n";
  r = run({"--calendar-dir", tmp.path().string(), "is-workday", "2026-02-14"});
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("calendar-cn-2026.yaml:3:"), std::string::npos) << r.err;
}

}  // namespace
