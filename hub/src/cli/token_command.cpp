// `yizhan token create|list|revoke`: the API's tokens (auth/tokens.hpp), made on the
// hub's machine by county IT — the first security admin's token comes from here; later
// ones may come from POST /api/v1/tokens. A token is printed once and kept only hashed.
#include <cstdlib>
#include <ostream>

#include "auth/tokens.hpp"
#include "cli/command.hpp"
#include "cli/hub_context.hpp"
#include "core/time.hpp"
#include "db/migrations.hpp"

namespace yizhan::cli {
namespace po = boost::program_options;

int run_token(const Args& args, Io io) {
  po::options_description opts("yizhan token");
  add_hub_options(opts);
  opts.add_options()("action", po::value<std::string>()->required(), "create | list | revoke")(
      "name", po::value<std::string>(), "the token's name: who holds it (e.g. wang.fang@zrzyj)")(
      "role", po::value<std::string>(), "admin | operator | auditor | security_admin (create)")(
      "department", po::value<std::string>()->default_value(""),
      "the department an operator acts for (a department id of config/county.yaml)");
  po::positional_options_description pos;
  pos.add("action", 1);
  bool help = false;
  auto vm =
      parse(args, opts, &pos,
            "yizhan token create --name N --role R [--department D] | list | revoke --name N --config FILE", io, help);
  if (help) return 0;
  auto ctx = open_hub(vm, /*create_key=*/true);  // the first command of a new install may be this one
  auto sql = ctx.db->connect();
  db::migrate(*sql, ctx.db->dialect());
  const auto action = vm["action"].as<std::string>();
  const char* user = std::getenv("USER");
  const std::string by = "cli:" + std::string(user ? user : "root");
  try {
    if (action == "list") {
      for (const auto& t : auth::list_tokens(*sql))
        io.out << t.name << "\t" << t.role << "\t" << (t.department.empty() ? "-" : t.department) << "\t"
               << t.created_at << "\t" << (t.revoked_at.empty() ? "active" : "revoked " + t.revoked_at) << "\n";
      return 0;
    }
    if (!vm.count("name")) {
      io.err << "yizhan token " << action << ": give --name\n";
      return 2;
    }
    const auto name = vm["name"].as<std::string>();
    if (action == "create") {
      const auto role = vm.count("role") ? auth::parse_role(vm["role"].as<std::string>()) : std::nullopt;
      if (!role) {
        io.err << "yizhan token create: --role must be admin, operator, auditor or security_admin\n";
        return 2;
      }
      // Only the token on stdout, so scripts can capture it; the advice goes to stderr.
      io.out << auth::create_token(*sql, name, *role, vm["department"].as<std::string>(), by) << "\n";
      io.err << "token '" << name << "' (" << auth::to_string(*role)
             << ") made: it is shown this once; send it as Authorization: Bearer <token>\n";
      return 0;
    }
    if (action == "revoke") {
      auth::revoke_token(*sql, name, core::format_utc(core::now()));
      io.out << "revoked token '" << name << "'\n";
      return 0;
    }
  } catch (const auth::TokenError& e) {
    io.err << "yizhan token " << action << ": " << e.what() << "\n";
    return 1;
  }
  io.err << "yizhan token: unknown action '" << action << "' (create | list | revoke)\n";
  return 2;
}

}  // namespace yizhan::cli
