// Everything `yizhan serve` needs to answer HTTP: an Api on a Server, started by the
// constructor, stopped by stop() or the destructor.
//
//   ops::Metrics metrics;
//   http::ApiServer web(config.http, db::Database(config.database.soci_backend(), config.soci_connection()),
//                       pii, metrics, [&] { return plugins.health_json(); });
//   spdlog::info("serving on {}:{}", config.http.bind, web.port());
//   ... wait for SIGINT/SIGTERM ...
//   web.stop();
//
// `pii` and `metrics` must outlive the ApiServer; so must whatever the plugin health
// provider reads.
#pragma once

#include <memory>

#include "http/api.hpp"
#include "http/http_config.hpp"
#include "http/server.hpp"

namespace yizhan::http {

class ApiServer {
 public:
  // Listens on config.bind:config.port (0: a free port) with config.threads threads.
  // Throws std::runtime_error when it cannot listen.
  ApiServer(const HttpConfig& config, db::Database database, const crypto::PiiProtector& pii, ops::Metrics& metrics,
            Api::PluginHealth plugin_health = {}, ServerLimits limits = {}, Api::HookHandler hooks = {},
            ingest::IngestSettings settings = {}, ApiOptions options = {});

  std::uint16_t port() const { return server_->port(); }
  Api& api() { return *api_; }
  void stop() { server_->stop(); }

 private:
  std::unique_ptr<Api> api_;        // declared first: destroyed after the server
  std::unique_ptr<Server> server_;  // whose threads call into the api
};

}  // namespace yizhan::http
