#include "http/api_server.hpp"

#include <stdexcept>

namespace yizhan::http {

ApiServer::ApiServer(const HttpConfig& config, db::Database database, const crypto::PiiProtector& pii,
                     ops::Metrics& metrics, Api::PluginHealth plugin_health, ServerLimits limits,
                     Api::HookHandler hooks, ingest::IngestSettings settings, ApiOptions options)
    : api_(std::make_unique<Api>(std::move(database), pii, metrics, std::move(plugin_health), std::move(hooks),
                                 std::move(settings), std::move(options))) {
  if (config.port < 0 || config.port > 65535)
    throw std::runtime_error("http.port " + std::to_string(config.port) + " is not a TCP port");
  Api* api = api_.get();
  server_ = std::make_unique<Server>(
      config.bind, static_cast<std::uint16_t>(config.port), config.threads,
      [api](const Request& r) { return api->handle(r); }, limits);
}

}  // namespace yizhan::http
