// `yizhan calendar`: working-day arithmetic on the official calendars, for county IT to
// check a deadline by hand against what the hub computes.
#include <charconv>
#include <filesystem>
#include <optional>
#include <ostream>
#include <system_error>

#include "cli/command.hpp"
#include "sla/calendar.hpp"

namespace yizhan::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kUsage =
    "usage: yizhan calendar [--calendar-dir DIR] is-workday DATE\n"
    "       yizhan calendar [--calendar-dir DIR] add-workdays DATE N\n"
    "\n"
    "  is-workday DATE      print yes if DATE (YYYY-MM-DD) is a working day, else no\n"
    "  add-workdays DATE N  print the N-th working day after DATE (N < 0: before it;\n"
    "                       N = 0: DATE if it is a working day, else the next one)\n"
    "\n"
    "  --calendar-dir DIR   directory with calendar-cn-YYYY.yaml files (default: the\n"
    "                       config directory next to the installation, else ./config)\n";

// Where the calendars are when no --calendar-dir is given: the source tree's config/
// seen from build/<preset>/bin, the installed share/yizhan/config, then ./config.
std::vector<fs::path> default_calendar_dirs() {
  std::vector<fs::path> candidates;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path bin = exe.parent_path();
    candidates.push_back((bin / ".." / ".." / ".." / "config").lexically_normal());
    candidates.push_back((bin / ".." / "share" / "yizhan" / "config").lexically_normal());
  }
  candidates.push_back("config");
  return candidates;
}

int usage_error(Io io, const std::string& message) {
  io.err << "yizhan calendar: " << message << "\n" << kUsage;
  return 2;
}

std::optional<std::chrono::year_month_day> date_arg(const std::string& text, Io io) {
  auto date = sla::parse_date(text);
  if (!date) io.err << "yizhan calendar: '" << text << "' is not a date; write it as YYYY-MM-DD, e.g. 2026-02-14\n";
  return date;
}

}  // namespace

std::optional<fs::path> find_calendar_dir(std::ostream& err) {
  const auto candidates = default_calendar_dirs();
  for (const auto& dir : candidates) {
    std::error_code ec;
    if (fs::is_directory(dir, ec)) return dir;
  }
  err << "yizhan: no config directory with the calendars found (tried";
  for (const auto& dir : candidates) err << " " << dir.string();
  err << "); pass --calendar-dir DIR\n";
  return std::nullopt;
}

int run_calendar(const Args& args, Io io) {
  std::optional<fs::path> dir;
  std::vector<std::string> positional;
  bool options_done = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (options_done || a.empty() || a[0] != '-' || (a.size() > 1 && a[1] >= '0' && a[1] <= '9')) {
      positional.push_back(a);  // also negative numbers such as -3
    } else if (a == "--") {
      options_done = true;
    } else if (a == "--help" || a == "-h") {
      io.out << kUsage;
      return 0;
    } else if (a == "--calendar-dir") {
      if (i + 1 >= args.size()) return usage_error(io, "--calendar-dir needs a directory");
      dir = args[++i];
    } else if (a.starts_with("--calendar-dir=")) {
      dir = a.substr(std::string_view("--calendar-dir=").size());
    } else {
      return usage_error(io, "unknown option '" + a + "'");
    }
  }
  if (positional.empty()) return usage_error(io, "missing action (is-workday or add-workdays)");
  const std::string& action = positional[0];
  const std::size_t want = action == "is-workday" ? 2 : action == "add-workdays" ? 3 : 0;
  if (want == 0) return usage_error(io, "unknown action '" + action + "'");
  if (positional.size() != want)
    return usage_error(io, action + " takes " + std::to_string(want - 1) + " argument(s), got " +
                               std::to_string(positional.size() - 1));

  const auto date = date_arg(positional[1], io);
  if (!date) return 1;
  int n = 0;
  if (action == "add-workdays") {
    const std::string& text = positional[2];
    const auto res = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || res.ec != std::errc() || res.ptr != text.data() + text.size()) {
      io.err << "yizhan calendar: '" << text << "' is not a whole number of working days\n";
      return 1;
    }
  }

  if (!dir) dir = find_calendar_dir(io.err);
  if (!dir) return 1;
  try {
    const auto calendar = sla::WorkCalendar::load_dir(*dir);
    if (action == "is-workday")
      io.out << (calendar.is_workday(*date) ? "yes" : "no") << "\n";
    else
      io.out << sla::format_date(calendar.add_workdays(*date, n)) << "\n";
  } catch (const sla::CalendarRangeError& e) {
    io.err << "yizhan calendar: " << e.what() << "\n";
    return 1;
  } catch (const sla::CalendarFileError& e) {
    io.err << "yizhan calendar: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace yizhan::cli
