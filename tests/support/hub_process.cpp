#include "support/hub_process.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <yizhan/sdk/http_client.hpp>

namespace yizhan::test {
namespace {

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::filesystem::path unique_file(const std::string& stem) {
  static std::atomic<int> counter{0};
  return std::filesystem::temp_directory_path() /
         (stem + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
}

}  // namespace

std::filesystem::path write_hub_config(const std::filesystem::path& dir, std::string yaml) {
  replace_all(yaml, "${PLUGIN_DIR}", plugin_dir().string());
  replace_all(yaml, "${TEST_PLUGIN_DIR}", test_plugin_dir().string());
  auto file = dir / "hub.yaml";
  std::ofstream(file) << yaml;
  return file;
}

CommandResult run_yizhan(const std::vector<std::string>& args, std::chrono::milliseconds timeout) {
  auto out_file = unique_file("yizhan-out"), err_file = unique_file("yizhan-err");
  std::vector<std::string> argv{(bin_dir() / "yizhan").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  CommandResult r;
  {
    sdk::testkit::ChildProcess p(argv, {out_file, err_file, {}});
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (p.running() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    p.stop(std::chrono::seconds(1));
    r.exit_code = p.exit_code().value_or(-1);
  }
  r.out = slurp(out_file);
  r.err = slurp(err_file);
  std::filesystem::remove(out_file);
  std::filesystem::remove(err_file);
  return r;
}

HubProcess::HubProcess(const std::filesystem::path& config, const std::filesystem::path& data_dir) {
  std::filesystem::create_directories(data_dir);
  // An admin token, made once per data dir as county IT makes one (yizhan token create).
  const auto token_file = data_dir / "test-admin.token";
  token_ = slurp(token_file);
  if (token_.empty()) {
    auto made = run_yizhan({"token", "create", "--config", config.string(), "--data-dir", data_dir.string(), "--name",
                            "test-admin", "--role", "admin"});
    if (made.exit_code != 0) throw std::runtime_error("yizhan token create failed: " + made.err);
    token_ = made.out.substr(0, made.out.find('\n'));
    std::ofstream(token_file) << token_;
  }
  static std::atomic<int> counter{0};
  log_ = data_dir / ("serve-" + std::to_string(counter++) + ".log");
  process_ = std::make_unique<sdk::testkit::ChildProcess>(
      std::vector<std::string>{(bin_dir() / "yizhan").string(), "serve", "--config", config.string(), "--data-dir",
                               data_dir.string(), "--port", "0"},
      sdk::testkit::ChildProcess::Options{{}, log_, {}});
  std::string line;
  try {
    line = process_->wait_for_line("listening on ", std::chrono::seconds(60));
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string(e.what()) + "\nhub log:\n" + log());
  }
  port_ = static_cast<std::uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
}

sdk::HttpResponse HubProcess::request(const std::string& method, const std::string& target, std::string body,
                                      const std::string& token) const {
  sdk::HttpRequest req;
  req.method = method;
  req.url = "http://127.0.0.1:" + std::to_string(port_) + target;
  req.timeout = std::chrono::seconds(30);
  req.headers["Authorization"] = "Bearer " + (token.empty() ? token_ : token);
  req.body = std::move(body);
  return sdk::http_request(req);
}

std::string HubProcess::get_text(const std::string& target) const {
  auto res = request("GET", target);
  if (res.status != 200)
    throw std::runtime_error("GET " + target + ": HTTP " + std::to_string(res.status) + ": " + res.body);
  return res.body;
}

boost::json::value HubProcess::get_json(const std::string& target) const {
  return boost::json::parse(get_text(target));
}

std::string HubProcess::log() const { return slurp(log_); }

std::string plugin_example_config(const std::string& plugin, const std::string& url) {
  std::string out;
  std::ifstream in(source_dir() / "plugins" / plugin / "config.example.yaml");
  for (std::string line; std::getline(in, line);) {
    if (!url.empty() && line.rfind("base_url:", 0) == 0) line = "base_url: " + url;
    if (line.rfind("page_size:", 0) == 0) line = "page_size: 50";
    out += "      " + line + "\n";
  }
  return out;
}

std::string listening_url(sdk::testkit::ChildProcess& sim) {
  const auto line = sim.wait_for_line("listening on ", std::chrono::seconds(60));
  return "http://" + line.substr(std::string("listening on ").size());
}

}  // namespace yizhan::test
