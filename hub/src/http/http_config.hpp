// The `http:` and `web:` sections of the hub config (docs/configuration.md).
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "core/config_reader.hpp"

namespace yizhan::http {

struct HttpConfig {
  std::string bind = "127.0.0.1";
  int port = 8080;
  int threads = 2;
};

// The counter page (hub/web, served at /): where its files are (empty: the folder
// installed beside the executable, default_web_root()) and how long a signed-in session
// may stay idle (on the hub clock) before it ends.
// system_labels: each source system's name for people, per page language
// ({<plugin name>: {zh-CN: <中文名>, en: <English name>}}): the page shows these, never
// a name of its own.
struct WebConfig {
  std::filesystem::path root;
  int idle_timeout_minutes = 30;
  std::map<std::string, std::map<std::string, std::string>> system_labels;
};

void read_http_config(core::ConfigReader& r, const YAML::Node& n, HttpConfig& out);
void read_web_config(core::ConfigReader& r, const YAML::Node& n, WebConfig& out);

// Where the counter page is when the config does not say: <dir of the executable>/../share/yizhan/web.
std::filesystem::path default_web_root();

}  // namespace yizhan::http
