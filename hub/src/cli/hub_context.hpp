// What most subcommands need: the config, the database (migrated or not), the PII key.
#pragma once

#include <boost/program_options.hpp>
#include <memory>
#include <optional>

#include "cli/command.hpp"
#include "cli/hub_config.hpp"
#include "crypto/crypto.hpp"
#include "db/database.hpp"

namespace yizhan::cli {

struct HubContext {
  HubConfig config;
  std::unique_ptr<db::Database> db;
  std::unique_ptr<crypto::PiiProtector> pii;
};

// --config FILE (required) and --data-dir DIR, as every hub subcommand takes them.
void add_hub_options(boost::program_options::options_description& opts);

// Loads the config, opens the database and reads (or, with create_key, makes) the
// PII key in the data dir. Throws with a message naming the file at fault.
HubContext open_hub(const boost::program_options::variables_map& vm, bool create_key = false);

// Parses args; prints --help and returns it as `help`; throws on bad usage.
boost::program_options::variables_map parse(const Args& args, const boost::program_options::options_description& opts,
                                            const boost::program_options::positional_options_description* pos,
                                            std::string_view usage, Io io, bool& help);

}  // namespace yizhan::cli
