// The official working-day calendar (docs/architecture.md §5): SLA deadlines in working days are
// counted on it, so it must match the State Council's annual notice exactly, and a date
// it does not cover is an error, never a guess.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace yizhan::sla {

// A date outside every loaded calendar year. Says which date and which years are loaded.
class CalendarRangeError : public std::out_of_range {
 public:
  CalendarRangeError(std::chrono::year_month_day date, const std::set<int>& loaded_years);
  std::chrono::year_month_day date() const { return date_; }

 private:
  std::chrono::year_month_day date_;
};

// A calendar file that cannot be read or does not follow the format; what() starts with
// "FILE:LINE: " when the line is known.
class CalendarFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "YYYY-MM-DD" exactly (four-digit year, two-digit month and day, a real date), or nullopt.
std::optional<std::chrono::year_month_day> parse_date(std::string_view text);
// YYYY-MM-DD.
std::string format_date(std::chrono::year_month_day date);

// Working days of the years it was loaded with. Each file (calendar-cn-YYYY.yaml) has
//   year: 2026
//   holidays: [{name: 春节, from: 2026-02-15, to: 2026-02-23}, ...]  # inclusive days off
//   workdays: [2026-02-14, ...]                                       # weekend days worked
// A day is a working day if it is a listed make-up workday, or a Monday to Friday that
// is not in a holiday range. A file may list days of the neighbouring years (元旦 ranges
// can start in late December); they apply only if that year is loaded too. Immutable
// once loaded, so safe to share between threads.
class WorkCalendar {
 public:
  // Loads the given files; throws CalendarFileError naming the file (and line) on a
  // missing or malformed file, a year given twice, or conflicting days.
  static WorkCalendar load(const std::vector<std::filesystem::path>& files);
  // Loads every calendar-cn-*.yaml in `dir` (at least one must exist).
  static WorkCalendar load_dir(const std::filesystem::path& dir);

  // The years loaded, and whether `date` falls in one of them.
  const std::set<int>& years() const { return years_; }
  bool covers(std::chrono::year_month_day date) const;

  // All of the following throw CalendarRangeError for a date (or, while counting, a day
  // reached) outside the loaded years.
  bool is_workday(std::chrono::year_month_day date) const;
  // The holiday `date` is part of (e.g. "春节"), if any.
  std::optional<std::string> holiday_name(std::chrono::year_month_day date) const;

  // The n-th working day strictly after `from` (n > 0), or strictly before it (n < 0).
  // n = 0 gives `from` if it is a working day, else the next working day. So a matter
  // received on Friday 2026-02-13 and due in 1 working day is due on 2026-02-14 (a
  // make-up Saturday), whatever time of day it arrived.
  std::chrono::year_month_day add_workdays(std::chrono::year_month_day from, int n) const;
  // `date` if it is a working day, else the first working day after it (where a
  // deadline in natural days that lands on a rest day moves to).
  std::chrono::year_month_day next_workday_on_or_after(std::chrono::year_month_day date) const;
  // The number of working days d with a < d <= b; negative, -(workdays_between(b, a)),
  // when b < a. So for a working day b after a, add_workdays(a, workdays_between(a, b)) == b.
  int workdays_between(std::chrono::year_month_day a, std::chrono::year_month_day b) const;

 private:
  enum class DayKind { holiday, workday };
  struct Special {
    DayKind kind;
    std::string name;  // the holiday's name; empty for make-up workdays
  };

  void require_covered(std::chrono::sys_days day) const;
  bool is_workday_unchecked(std::chrono::sys_days day) const;

  std::set<int> years_;
  std::map<std::chrono::sys_days, Special> special_;
};

}  // namespace yizhan::sla
