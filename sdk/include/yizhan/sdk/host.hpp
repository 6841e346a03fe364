// Yizhan SDK — the host side: loading a plugin file and checking what it declares.
//
// Used by the hub and by the conformance test kit, so a plugin is judged by exactly
// the same rules in an integrator's tests as in production. Libraries are never
// unloaded: a loaded plugin stays mapped until the process exits.
#pragma once

#include <yizhan/sdk/abi.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace yizhan::sdk::host {

// A refusal to load. what() names the file and the mismatch.
struct PluginLoadError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct LoadedPlugin {
  std::filesystem::path path;
  const yz_plugin_descriptor* descriptor = nullptr;  // static in the plugin; lives forever
};

// Problems with a descriptor (empty: sane): struct size, ABI version, name, version,
// capabilities and their vtables, config schema. Each message is one sentence.
std::vector<std::string> check_descriptor(const yz_plugin_descriptor* d);

// Loads `path`, checks that it exports the entry point, calls it, and checks the
// descriptor. Throws PluginLoadError naming the file otherwise.
LoadedPlugin load_plugin(const std::filesystem::path& path, const yz_host_api* host);

// The push vtable of a descriptor, or null when it has none or its struct (ABI 1.0)
// ends before the member. Read descriptors' 1.1 members only through this.
const yz_push_vtable* push_vtable(const yz_plugin_descriptor& d);

// The sink vtable (ABI 1.2), or null when it has none or its descriptor ends before it.
const yz_sink_vtable* sink_vtable(const yz_plugin_descriptor& d);

// How a plugin's instances are made and freed: with the source vtable's callbacks,
// else the push vtable's (ABI 1.1), else the sink vtable's (ABI 1.2).
struct Lifecycle {
  yz_status (*create)(const yz_host_api*, yz_bytes, yz_bytes, void**) = nullptr;
  void (*destroy)(void*) = nullptr;
};
Lifecycle lifecycle(const yz_plugin_descriptor& d);

// A host API whose log callback writes nowhere; for tools and tests.
const yz_host_api* null_host_api();

// Result of validating one instance's config against a plugin's schema.
struct ConfigCheck {
  std::vector<std::string> errors;  // each names `where`, the key, and what is wrong
  std::string normalized_json;      // typed values, defaults filled in (when no errors)
};

// Validates a JSON object (values may be strings, as YAML gives them: they are
// converted to the declared type). Unknown keys are errors that list the nearest
// known key; missing required keys and out-of-range values too. All errors at once.
ConfigCheck validate_config(const yz_plugin_descriptor& d, std::string_view where,
                            std::string_view config_json);

// Converts a YAML document (or the node at `path`, dot-separated) to JSON, keeping
// scalars as strings. Throws std::runtime_error with the line on a YAML error.
std::string yaml_file_to_json(const std::filesystem::path& file, std::string_view path = {});
std::string yaml_to_json(std::string_view yaml_text);

}  // namespace yizhan::sdk::host
