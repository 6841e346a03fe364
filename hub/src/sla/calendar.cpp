#include "sla/calendar.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace yizhan::sla {

namespace chr = std::chrono;

namespace {

std::string years_text(const std::set<int>& years) {
  if (years.empty()) return "none loaded";
  std::string out = "years ";
  for (int y : years) {
    if (out.size() > 6) out += ", ";
    out += std::to_string(y);
  }
  return out;
}

}  // namespace

CalendarRangeError::CalendarRangeError(chr::year_month_day date, const std::set<int>& loaded_years)
    : std::out_of_range(format_date(date) + " is outside the loaded working-day calendars (" +
                        years_text(loaded_years) + "); add the official calendar-cn-" +
                        std::to_string(static_cast<int>(date.year())) +
                        ".yaml for that year to the calendar directory"),
      date_(date) {}

std::optional<chr::year_month_day> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](std::size_t pos, std::size_t len) -> std::optional<int> {
    int v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  const auto y = number(0, 4), m = number(5, 2), d = number(8, 2);
  if (!y || !m || !d) return std::nullopt;
  const chr::year_month_day date{chr::year{*y}, chr::month{static_cast<unsigned>(*m)},
                                 chr::day{static_cast<unsigned>(*d)}};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::string format_date(chr::year_month_day date) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()));
  return buf;
}

// ---- loading ----

namespace {

[[noreturn]] void fail(const std::filesystem::path& file, const YAML::Mark& mark, const std::string& what) {
  std::string where = file.string();
  if (mark.line >= 0) where += ":" + std::to_string(mark.line + 1);
  throw CalendarFileError(where + ": " + what);
}

std::string known_keys_text(std::initializer_list<std::string_view> keys) {
  std::string out;
  for (auto k : keys) {
    if (!out.empty()) out += ", ";
    out += k;
  }
  return out;
}

void check_keys(const std::filesystem::path& file, const YAML::Node& map, std::initializer_list<std::string_view> known,
                std::string_view what) {
  for (const auto& kv : map) {
    const std::string key = kv.first.Scalar();
    if (std::find(known.begin(), known.end(), key) == known.end())
      fail(file, kv.first.Mark(),
           "unknown key '" + key + "' in " + std::string(what) + " (known keys: " + known_keys_text(known) + ")");
  }
  for (auto k : known)
    if (!map[std::string(k)]) fail(file, map.Mark(), std::string(what) + " has no '" + std::string(k) + "'");
}

chr::year_month_day date_at(const std::filesystem::path& file, const YAML::Node& node, int file_year) {
  if (!node.IsScalar()) fail(file, node.Mark(), "expected a date YYYY-MM-DD");
  const auto date = parse_date(node.Scalar());
  if (!date) fail(file, node.Mark(), "'" + node.Scalar() + "' is not a date YYYY-MM-DD");
  const int y = static_cast<int>(date->year());
  if (y < file_year - 1 || y > file_year + 1)
    fail(file, node.Mark(),
         node.Scalar() + " is too far from the file's year " + std::to_string(file_year) + " (a typo in the year?)");
  return *date;
}

bool is_weekend(chr::sys_days day) {
  const chr::weekday wd{day};
  return wd == chr::Saturday || wd == chr::Sunday;
}

// The year in a name of the form calendar-cn-YYYY.yaml, if it has that form.
std::optional<int> year_in_file_name(const std::filesystem::path& file) {
  const std::string name = file.filename().string();
  constexpr std::string_view prefix = "calendar-cn-", suffix = ".yaml";
  if (name.size() != prefix.size() + 4 + suffix.size() || !name.starts_with(prefix) || !name.ends_with(suffix))
    return std::nullopt;
  int year = 0;
  const char* first = name.data() + prefix.size();
  if (std::from_chars(first, first + 4, year).ptr != first + 4) return std::nullopt;
  return year;
}

}  // namespace

WorkCalendar WorkCalendar::load(const std::vector<std::filesystem::path>& files) {
  WorkCalendar cal;
  std::map<int, std::filesystem::path> year_file;
  std::map<chr::sys_days, std::string> origin;  // "file:line" of each special day, for conflicts

  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw CalendarFileError(file.string() + ": cannot open the calendar file");
    std::stringstream text;
    text << in.rdbuf();

    YAML::Node root;
    try {
      root = YAML::Load(text.str());
    } catch (const YAML::ParserException& e) {
      fail(file, e.mark, "not valid YAML: " + e.msg);
    }
    if (!root.IsMap()) fail(file, root.Mark(), "expected a mapping with keys year, holidays, workdays");
    check_keys(file, root, {"year", "holidays", "workdays"}, "the calendar");

    const YAML::Node year_node = root["year"];
    int year = 0;
    {
      const std::string& s = year_node.IsScalar() ? year_node.Scalar() : std::string();
      const auto res = std::from_chars(s.data(), s.data() + s.size(), year);
      if (s.empty() || res.ec != std::errc() || res.ptr != s.data() + s.size() || year < 1949 || year > 2200)
        fail(file, year_node.Mark(), "year must be a four-digit year, got '" + s + "'");
    }
    if (const auto named = year_in_file_name(file); named && *named != year)
      fail(file, year_node.Mark(), "year " + std::to_string(year) + " does not match the file name");
    if (auto [it, fresh] = year_file.emplace(year, file); !fresh)
      throw CalendarFileError(file.string() + ": year " + std::to_string(year) + " is already loaded from " +
                              it->second.string());
    cal.years_.insert(year);

    auto add_special = [&](chr::sys_days day, Special special, const YAML::Node& at) {
      const std::string here = file.string() + ":" + std::to_string(at.Mark().line + 1);
      if (auto [it, fresh] = cal.special_.emplace(day, special); !fresh) {
        const std::string what = it->second.kind == DayKind::workday ? "a make-up workday" : "a holiday";
        fail(file, at.Mark(),
             format_date(chr::year_month_day{day}) + " is already listed as " + what + " at " + origin[day]);
      }
      origin[day] = here;
    };

    const YAML::Node holidays = root["holidays"];
    if (!holidays.IsSequence()) fail(file, holidays.Mark(), "holidays must be a list (use [] for none)");
    for (const auto& h : holidays) {
      if (!h.IsMap()) fail(file, h.Mark(), "a holiday must be a mapping {name, from, to}");
      check_keys(file, h, {"name", "from", "to"}, "a holiday");
      const YAML::Node name = h["name"];
      if (!name.IsScalar() || name.Scalar().empty()) fail(file, name.Mark(), "a holiday needs a name");
      const chr::sys_days from{date_at(file, h["from"], year)}, to{date_at(file, h["to"], year)};
      if (to < from) fail(file, h["to"].Mark(), "holiday '" + name.Scalar() + "' ends before it starts");
      if (to - from > chr::days{31})
        fail(file, h["to"].Mark(), "holiday '" + name.Scalar() + "' is longer than a month (a typo?)");
      for (chr::sys_days d = from; d <= to; d += chr::days{1})
        add_special(d, Special{DayKind::holiday, name.Scalar()}, h);
    }

    const YAML::Node workdays = root["workdays"];
    if (!workdays.IsSequence()) fail(file, workdays.Mark(), "workdays must be a list (use [] for none)");
    for (const auto& w : workdays) {
      const chr::sys_days day{date_at(file, w, year)};
      if (!is_weekend(day))
        fail(file, w.Mark(),
             w.Scalar() + " is a weekday; workdays lists only the Saturdays and Sundays that are worked");
      add_special(day, Special{DayKind::workday, {}}, w);
    }
  }
  return cal;
}

WorkCalendar WorkCalendar::load_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    throw CalendarFileError(dir.string() +
                            ": not a directory (the calendar directory, with calendar-cn-YYYY.yaml files)");
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.starts_with("calendar-cn-") && name.ends_with(".yaml"))
      files.push_back(entry.path());
  }
  if (files.empty()) throw CalendarFileError(dir.string() + ": no calendar-cn-*.yaml files in the calendar directory");
  std::sort(files.begin(), files.end());
  return load(files);
}

// ---- queries ----

bool WorkCalendar::covers(chr::year_month_day date) const { return years_.contains(static_cast<int>(date.year())); }

void WorkCalendar::require_covered(chr::sys_days day) const {
  const chr::year_month_day date{day};
  if (!covers(date)) throw CalendarRangeError(date, years_);
}

bool WorkCalendar::is_workday_unchecked(chr::sys_days day) const {
  if (auto it = special_.find(day); it != special_.end()) return it->second.kind == DayKind::workday;
  return !is_weekend(day);
}

bool WorkCalendar::is_workday(chr::year_month_day date) const {
  const chr::sys_days day{date};
  require_covered(day);
  return is_workday_unchecked(day);
}

std::optional<std::string> WorkCalendar::holiday_name(chr::year_month_day date) const {
  const chr::sys_days day{date};
  require_covered(day);
  if (auto it = special_.find(day); it != special_.end() && it->second.kind == DayKind::holiday) return it->second.name;
  return std::nullopt;
}

chr::year_month_day WorkCalendar::next_workday_on_or_after(chr::year_month_day date) const {
  chr::sys_days day{date};
  require_covered(day);
  while (!is_workday_unchecked(day)) {
    day += chr::days{1};
    require_covered(day);
  }
  return chr::year_month_day{day};
}

chr::year_month_day WorkCalendar::add_workdays(chr::year_month_day from, int n) const {
  if (n == 0) return next_workday_on_or_after(from);
  chr::sys_days day{from};
  require_covered(day);
  const chr::days step{n > 0 ? 1 : -1};
  for (long long remaining = std::llabs(static_cast<long long>(n)); remaining > 0;) {
    day += step;
    require_covered(day);
    if (is_workday_unchecked(day)) --remaining;
  }
  return chr::year_month_day{day};
}

int WorkCalendar::workdays_between(chr::year_month_day a, chr::year_month_day b) const {
  chr::sys_days lo{a}, hi{b};
  require_covered(lo);
  require_covered(hi);
  const int sign = hi < lo ? -1 : 1;
  if (hi < lo) std::swap(lo, hi);
  int count = 0;
  for (chr::sys_days day = lo + chr::days{1}; day <= hi; day += chr::days{1}) {
    require_covered(day);
    if (is_workday_unchecked(day)) ++count;
  }
  return sign * count;
}

}  // namespace yizhan::sla
