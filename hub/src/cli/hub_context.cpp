#include "cli/hub_context.hpp"

#include <sys/stat.h>

#include <fstream>
#include <iostream>
#include <random>

namespace yizhan::cli {
namespace po = boost::program_options;

void add_hub_options(po::options_description& opts) {
  opts.add_options()("config,c", po::value<std::string>()->required(), "hub config file (YAML)")(
      "data-dir", po::value<std::string>(), "data directory (SQLite file, PII key); overrides data_dir in config");
}

namespace {

crypto::PiiProtector load_key(const std::filesystem::path& file, bool create) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    if (!create)
      throw std::runtime_error("PII key file " + file.string() +
                               " does not exist (`yizhan serve` creates it on first start)");
    std::random_device rd;
    std::string hex;
    static constexpr char digits[] = "0123456789abcdef";
    for (int i = 0; i < 64; ++i) hex += digits[rd() % 16];
    {
      std::ofstream out(file);
      out << hex << "\n";
      if (!out) throw std::runtime_error("cannot write PII key file " + file.string());
    }
    ::chmod(file.c_str(), 0600);
    std::cerr << "created a new PII key in " << file.string() << " — back it up: without it, stored personal data "
              << "cannot be read\n";
  }
  std::ifstream in(file);
  std::string hex;
  in >> hex;
  try {
    return crypto::PiiProtector::from_hex(hex);
  } catch (const std::exception& e) {
    throw std::runtime_error("PII key file " + file.string() + ": " + e.what());
  }
}

}  // namespace

HubContext open_hub(const po::variables_map& vm, bool create_key) {
  HubContext ctx;
  std::optional<std::filesystem::path> data_dir;
  if (vm.count("data-dir")) data_dir = vm["data-dir"].as<std::string>();
  ctx.config = load_hub_config(vm["config"].as<std::string>(), data_dir);
  if (create_key) {
    std::error_code ec;
    std::filesystem::create_directories(ctx.config.data_dir, ec);
    if (ec)
      throw std::runtime_error("cannot create data directory " + ctx.config.data_dir.string() + ": " + ec.message());
  }
  ctx.db = std::make_unique<db::Database>(ctx.config.database.soci_backend(), ctx.config.soci_connection());
  ctx.pii = std::make_unique<crypto::PiiProtector>(load_key(ctx.config.pii_key_file(), create_key));
  return ctx;
}

po::variables_map parse(const Args& args, const po::options_description& opts,
                        const po::positional_options_description* pos, std::string_view usage, Io io, bool& help) {
  po::options_description all(opts);
  all.add_options()("help,h", "show this help");
  po::variables_map vm;
  auto parser = po::command_line_parser(args).options(all);
  if (pos) parser.positional(*pos);
  po::store(parser.run(), vm);
  help = vm.count("help") > 0;
  if (help) {
    io.out << "usage: " << usage << "\n\n" << all << "\n";
    return vm;
  }
  po::notify(vm);
  return vm;
}

}  // namespace yizhan::cli
