// `yizhan` subcommands: each lives in its own file under cli/ and registers in commands.cpp.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace yizhan::cli {

using Args = std::vector<std::string>;  // arguments after the subcommand name

// Streams are passed in so tests can run a command in-process and read its output.
struct Io {
  std::ostream& out;
  std::ostream& err;
};

struct Command {
  std::string_view name;     // e.g. "calendar"
  std::string_view summary;  // one line for `yizhan --help`
  int (*run)(const Args& args, Io io);
};

// Every subcommand, in help order.
std::span<const Command> commands();

// Runs `yizhan <argv...>`; returns the process exit code (0 ok, 1 failure, 2 usage).
int run(int argc, char** argv, Io io);

// Subcommand entry points (one file each).
int run_serve(const Args& args, Io io);
int run_plugins(const Args& args, Io io);
int run_deadletter(const Args& args, Io io);
int run_audit(const Args& args, Io io);
int run_db(const Args& args, Io io);
int run_calendar(const Args& args, Io io);
int run_cursor(const Args& args, Io io);
int run_link(const Args& args, Io io);
int run_route(const Args& args, Io io);
int run_sla(const Args& args, Io io);
int run_token(const Args& args, Io io);
int run_account(const Args& args, Io io);

// The config directory with the official calendars (calendar-cn-YYYY.yaml) and the
// demo's sla.yaml when none is given: the source tree's config/ seen from
// build/<preset>/bin, the installed share/yizhan/config, then ./config. Says on `err`
// where it looked when there is none.
std::optional<std::filesystem::path> find_calendar_dir(std::ostream& err);

}  // namespace yizhan::cli
