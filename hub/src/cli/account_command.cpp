// `yizhan account add|list|disable|password`: the people who sign in to the counter
// page (auth/accounts.hpp), made on the hub's machine by county IT. The password is
// read from standard input (one line), never from the command line, where other users
// of the machine could read it.
#include <iostream>
#include <ostream>

#include "auth/accounts.hpp"
#include "cli/command.hpp"
#include "cli/hub_context.hpp"
#include "core/time.hpp"
#include "db/migrations.hpp"

namespace yizhan::cli {
namespace po = boost::program_options;

int run_account(const Args& args, Io io) {
  po::options_description opts("yizhan account");
  add_hub_options(opts);
  opts.add_options()("action", po::value<std::string>()->required(), "add | list | disable | password")(
      "name", po::value<std::string>(), "the account's name (e.g. li.na@shgzb)")(
      "role", po::value<std::string>(), "admin | operator | auditor | security_admin (add)")(
      "department", po::value<std::string>()->default_value(""),
      "the department an operator acts for (a department id of the county file)");
  po::positional_options_description pos;
  pos.add("action", 1);
  bool help = false;
  auto vm = parse(args, opts, &pos,
                  "yizhan account add --name N --role R [--department D] < password | list | disable --name N | "
                  "password --name N < password   --config FILE",
                  io, help);
  if (help) return 0;
  auto ctx = open_hub(vm, /*create_key=*/true);
  auto sql = ctx.db->connect();
  db::migrate(*sql, ctx.db->dialect());
  const auto action = vm["action"].as<std::string>();
  const char* user = std::getenv("USER");
  const std::string by = "cli:" + std::string(user ? user : "root");
  auto read_password = [&]() {
    std::string password;
    std::getline(std::cin, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
    return password;
  };
  try {
    if (action == "list") {
      for (const auto& a : auth::list_accounts(*sql))
        io.out << a.name << "\t" << a.role << "\t" << (a.department.empty() ? "-" : a.department) << "\t"
               << a.created_at << "\t" << (a.disabled_at.empty() ? "active" : "disabled " + a.disabled_at) << "\n";
      return 0;
    }
    if (!vm.count("name")) {
      io.err << "yizhan account " << action << ": give --name\n";
      return 2;
    }
    const auto name = vm["name"].as<std::string>();
    const std::string now = core::format_utc(core::now());
    if (action == "add") {
      const auto role = vm.count("role") ? auth::parse_role(vm["role"].as<std::string>()) : std::nullopt;
      if (!role) {
        io.err << "yizhan account add: --role must be admin, operator, auditor or security_admin\n";
        return 2;
      }
      auth::create_account(*sql, name, *role, vm["department"].as<std::string>(), read_password(), by);
      io.out << "account '" << name << "' (" << auth::to_string(*role) << ") added: it signs in at the hub's page\n";
      return 0;
    }
    if (action == "password") {
      auth::set_password(*sql, name, read_password(), now);
      io.out << "password of '" << name << "' set; its sessions ended\n";
      return 0;
    }
    if (action == "disable") {
      auth::disable_account(*sql, name, now);
      io.out << "account '" << name << "' disabled; its sessions ended\n";
      return 0;
    }
  } catch (const auth::TokenError& e) {
    io.err << "yizhan account " << action << ": " << e.what() << "\n";
    return 1;
  }
  io.err << "yizhan account: unknown action '" << action << "' (add | list | disable | password)\n";
  return 2;
}

}  // namespace yizhan::cli
