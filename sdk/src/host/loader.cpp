// Loading plugin files and checking their descriptors before first use.
#include <algorithm>
#include <boost/dll/library_info.hpp>
#include <boost/dll/shared_library.hpp>
#include <cctype>
#include <cstddef>
#include <cstring>
#include <memory>
#include <mutex>
#include <set>
#include <yizhan/sdk/host.hpp>

namespace yizhan::sdk::host {
namespace {

bool is_identifier(const char* s) {
  if (!s || !*s || !(*s >= 'a' && *s <= 'z')) return false;
  for (const char* p = s; *p; ++p)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')) return false;
  return std::strlen(s) <= 64;
}

// x.y.z with an optional -pre or +build suffix (no std::regex: GCC 12 warns inside it).
bool is_semver(const char* s) {
  if (!s) return false;
  for (int part = 0; part < 3; ++part) {
    if (!(*s >= '0' && *s <= '9')) return false;
    while (*s >= '0' && *s <= '9') ++s;
    if (part < 2 && *s++ != '.') return false;
  }
  if (*s == '\0') return true;
  if (*s != '-' && *s != '+') return false;
  for (++s; *s; ++s)
    if (!std::isalnum(static_cast<unsigned char>(*s)) && *s != '.' && *s != '-' && *s != '+') return false;
  return true;
}

// Plugins are never unloaded: their handles live until exit (unloading a library whose
// code may still be referenced — a thread_local destructor, a static's atexit handler, a
// logger sink — crashes at exit, and nothing is gained by it).
std::vector<boost::dll::shared_library>& loaded_libraries() {
  static auto* const libs = new std::vector<boost::dll::shared_library>();
  return *libs;
}
std::mutex& load_mutex() {
  static auto* const m = new std::mutex();
  return *m;
}

void no_log(void*, int32_t, yz_bytes, yz_bytes) {}

}  // namespace

std::vector<std::string> check_descriptor(const yz_plugin_descriptor* d) {
  std::vector<std::string> errs;
  if (!d) return {"the entry point returned no descriptor (null)"};
  if (d->struct_size < sizeof(uint32_t) + 2 * sizeof(uint16_t))
    return {"descriptor struct_size " + std::to_string(d->struct_size) + " is too small to hold a version"};
  if (d->abi_major != YZ_ABI_MAJOR || d->abi_minor > YZ_ABI_MINOR) {
    errs.push_back("built for SDK ABI " + std::to_string(d->abi_major) + "." + std::to_string(d->abi_minor) +
                   ", this hub speaks " + std::to_string(YZ_ABI_MAJOR) + "." + std::to_string(YZ_ABI_MINOR) +
                   " (major must match, minor must not be newer): rebuild the plugin against this SDK");
    return errs;
  }
  constexpr auto min_size = offsetof(yz_plugin_descriptor, source) + sizeof(d->source);
  if (d->struct_size < min_size)
    return {"descriptor struct_size " + std::to_string(d->struct_size) + " is smaller than ABI " +
            std::to_string(YZ_ABI_MAJOR) + ".0 requires (" + std::to_string(min_size) + ")"};
  if (!is_identifier(d->name))
    errs.push_back(std::string("plugin name '") + (d->name ? d->name : "(null)") +
                   "' is not a lower_snake_case identifier");
  if (!is_semver(d->version))
    errs.push_back(std::string("plugin version '") + (d->version ? d->version : "(null)") + "' is not semver (x.y.z)");
  if (!d->description || !*d->description) errs.push_back("plugin has no description");
  constexpr uint32_t known_caps = YZ_CAP_SOURCE | YZ_CAP_PUSH | YZ_CAP_SINK;
  if ((d->capabilities & ~known_caps) != 0)
    errs.push_back("unknown capability bits " + std::to_string(d->capabilities & ~known_caps));
  if ((d->capabilities & known_caps) == 0) errs.push_back("plugin declares no capability");
  if (d->capabilities & YZ_CAP_SOURCE) {
    const auto* s = d->source;
    if (!s) {
      errs.push_back("declares the source capability but has no source vtable");
    } else if (s->struct_size < offsetof(yz_source_vtable, on_committed) + sizeof(s->on_committed)) {
      errs.push_back("source vtable struct_size " + std::to_string(s->struct_size) + " is too small");
    } else if (!s->create || !s->destroy || !s->poll) {
      errs.push_back("source vtable lacks a required callback (create, destroy or poll)");
    }
  }
  if (d->capabilities & YZ_CAP_PUSH) {
    // A 1.0 descriptor ends before `push`: such a plugin cannot declare the capability.
    const auto* p = push_vtable(*d);
    if (d->struct_size < offsetof(yz_plugin_descriptor, push) + sizeof(d->push)) {
      errs.push_back("declares the push capability (ABI 1.1) but its descriptor (struct_size " +
                     std::to_string(d->struct_size) + ") has no push vtable member");
    } else if (!p) {
      errs.push_back("declares the push capability but has no push vtable");
    } else if (p->struct_size < offsetof(yz_push_vtable, on_push) + sizeof(p->on_push)) {
      errs.push_back("push vtable struct_size " + std::to_string(p->struct_size) + " is too small");
    } else if (!p->create || !p->destroy || !p->on_push) {
      errs.push_back("push vtable lacks a required callback (create, destroy or on_push)");
    }
  }
  if (d->capabilities & YZ_CAP_SINK) {
    // A 1.0 or 1.1 descriptor ends before `sink`.
    const auto* k = sink_vtable(*d);
    if (d->struct_size < offsetof(yz_plugin_descriptor, sink) + sizeof(d->sink)) {
      errs.push_back("declares the sink capability (ABI 1.2) but its descriptor (struct_size " +
                     std::to_string(d->struct_size) + ") has no sink vtable member");
    } else if (!k) {
      errs.push_back("declares the sink capability but has no sink vtable");
    } else if (k->struct_size < offsetof(yz_sink_vtable, deliver) + sizeof(k->deliver)) {
      errs.push_back("sink vtable struct_size " + std::to_string(k->struct_size) + " is too small");
    } else if (!k->deliver || (!(d->capabilities & (YZ_CAP_SOURCE | YZ_CAP_PUSH)) && (!k->create || !k->destroy))) {
      errs.push_back("sink vtable lacks a required callback (deliver, or create and destroy for a sink-only plugin)");
    }
  }
  if (d->config_count && !d->config) errs.push_back("config_count is set but the config table is null");
  std::set<std::string> keys;
  for (uint32_t i = 0; d->config && i < d->config_count; ++i) {
    const auto& f = d->config[i];
    std::string where = "config field #" + std::to_string(i);
    if (!is_identifier(f.key)) {
      errs.push_back(where + " has an invalid key");
      continue;
    }
    where += " '" + std::string(f.key) + "'";
    if (!keys.insert(f.key).second) errs.push_back(where + " is declared twice");
    if (f.type < YZ_CFG_STRING || f.type > YZ_CFG_STRING_LIST) errs.push_back(where + " has an unknown type");
    if (!f.description || !*f.description) errs.push_back(where + " has no description");
  }
  return errs;
}

LoadedPlugin load_plugin(const std::filesystem::path& path, const yz_host_api* host) {
  auto fail = [&](const std::string& why) { return PluginLoadError("plugin " + path.string() + ": " + why); };
  std::error_code fec;
  if (!std::filesystem::is_regular_file(path, fec)) throw fail("no such file");
  try {
    boost::dll::library_info info(path);
    auto symbols = info.symbols();
    if (std::find(symbols.begin(), symbols.end(), YZ_ENTRY_SYMBOL) == symbols.end())
      throw fail(std::string("not a Yizhan plugin: it does not export ") + YZ_ENTRY_SYMBOL);
  } catch (const PluginLoadError&) {
    throw;
  } catch (const std::exception& e) {
    throw fail(std::string("not a loadable shared library (") + e.what() + ")");
  }
  std::lock_guard lock(load_mutex());
  boost::dll::fs::error_code ec;
  boost::dll::shared_library lib(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (ec) throw fail("cannot be loaded: " + ec.message());
  if (!lib.has(YZ_ENTRY_SYMBOL)) throw fail(std::string("not a Yizhan plugin: no ") + YZ_ENTRY_SYMBOL);
  auto entry = lib.get<const yz_plugin_descriptor*(const yz_host_api*) noexcept>(YZ_ENTRY_SYMBOL);
  const yz_plugin_descriptor* d = entry(host ? host : null_host_api());
  auto errs = check_descriptor(d);
  if (!errs.empty()) {
    std::string all;
    for (const auto& e : errs) all += (all.empty() ? "" : "; ") + e;
    throw fail(all);
  }
  loaded_libraries().push_back(std::move(lib));
  return LoadedPlugin{path, d};
}

const yz_push_vtable* push_vtable(const yz_plugin_descriptor& d) {
  if (d.struct_size < offsetof(yz_plugin_descriptor, push) + sizeof(d.push)) return nullptr;
  return d.push;
}

const yz_sink_vtable* sink_vtable(const yz_plugin_descriptor& d) {
  if (d.struct_size < offsetof(yz_plugin_descriptor, sink) + sizeof(d.sink)) return nullptr;
  return d.sink;
}

Lifecycle lifecycle(const yz_plugin_descriptor& d) {
  if ((d.capabilities & YZ_CAP_SOURCE) && d.source) return {d.source->create, d.source->destroy};
  if (const auto* p = (d.capabilities & YZ_CAP_PUSH) ? push_vtable(d) : nullptr) return {p->create, p->destroy};
  if (const auto* k = (d.capabilities & YZ_CAP_SINK) ? sink_vtable(d) : nullptr) return {k->create, k->destroy};
  return {};
}

const yz_host_api* null_host_api() {
  static const yz_host_api api{sizeof(yz_host_api), YZ_ABI_MAJOR, YZ_ABI_MINOR, nullptr, &no_log};
  return &api;
}

}  // namespace yizhan::sdk::host
