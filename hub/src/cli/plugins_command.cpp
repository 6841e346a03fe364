// `yizhan plugins list|check`: what the config loads, or whether one file is a
// plugin this hub can use (for integrators, before they touch any config).
#include <ostream>
#include <yizhan/sdk/host.hpp>

#include "cli/command.hpp"
#include "cli/hub_context.hpp"
#include "plugin/plugin_registry.hpp"

namespace yizhan::cli {
namespace po = boost::program_options;
namespace {

const char* type_name(int32_t t) {
  static const char* names[] = {"string", "integer", "boolean", "number", "map", "list"};
  return t >= 0 && t <= 5 ? names[t] : "?";
}

void describe(const yz_plugin_descriptor& d, std::ostream& out) {
  out << d.name << " " << d.version << " (SDK ABI " << d.abi_major << "." << d.abi_minor << ") — " << d.description
      << "\n  capabilities:" << ((d.capabilities & YZ_CAP_SOURCE) ? " source" : "")
      << ((d.capabilities & YZ_CAP_PUSH) ? " push (POST /hooks/<instance>)" : "") << "\n  config:\n";
  for (uint32_t i = 0; i < d.config_count; ++i) {
    const auto& f = d.config[i];
    out << "    " << f.key << " (" << type_name(f.type) << (f.required ? ", required" : "")
        << (f.default_value ? std::string(", default ") + f.default_value : std::string()) << "): " << f.description
        << "\n";
  }
}

}  // namespace

int run_plugins(const Args& args, Io io) {
  po::options_description opts("yizhan plugins");
  opts.add_options()("action", po::value<std::string>()->required(), "list | check")("file", po::value<std::string>(),
                                                                                     "plugin file (check)")(
      "config,c", po::value<std::string>(), "hub config (list)")("data-dir", po::value<std::string>(),
                                                                 "data directory");
  po::positional_options_description pos;
  pos.add("action", 1).add("file", 1);
  bool help = false;
  auto vm = parse(args, opts, &pos, "yizhan plugins list --config FILE | yizhan plugins check PLUGIN_FILE", io, help);
  if (help) return 0;
  const auto action = vm["action"].as<std::string>();
  if (action == "check") {
    if (!vm.count("file")) {
      io.err << "yizhan plugins check: give the plugin file\n";
      return 2;
    }
    try {
      auto loaded = sdk::host::load_plugin(vm["file"].as<std::string>(), sdk::host::null_host_api());
      describe(*loaded.descriptor, io.out);
      io.out << "OK: " << vm["file"].as<std::string>() << " is a usable plugin\n";
      return 0;
    } catch (const sdk::host::PluginLoadError& e) {
      io.err << "REFUSED: " << e.what() << "\n";
      return 1;
    }
  }
  if (action != "list") {
    io.err << "yizhan plugins: unknown action '" << action << "' (list | check)\n";
    return 2;
  }
  if (!vm.count("config")) {
    io.err << "yizhan plugins list: give --config FILE\n";
    return 2;
  }
  std::optional<std::filesystem::path> dd;
  if (vm.count("data-dir")) dd = vm["data-dir"].as<std::string>();
  auto config = load_hub_config(vm["config"].as<std::string>(), dd);
  plugin::PluginRegistry registry;
  registry.load_all(config.plugins);
  for (const auto& [name, d] : registry.plugins()) describe(*d, io.out);
  auto plans = registry.plan(config.instances);
  for (const auto& p : plans) io.out << "instance " << p.config.name << " -> " << p.plugin->name << ": config OK\n";
  return 0;
}

}  // namespace yizhan::cli
