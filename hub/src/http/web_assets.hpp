// The counter page's files (hub/web), served at / by the API: index.html at "/" (and
// at any path that is not a file, so the page's own routes reload), the rest by path
// under the root. Only regular files inside the root are served: no "..", no hidden
// files, no symlinks out of it. Each answer has an ETag (size and modification time):
// a matching If-None-Match is 304. HTML carries the page's Content-Security-Policy
// (only the hub's own scripts, styles and images: nothing fetched from elsewhere).
#pragma once

#include <filesystem>
#include <optional>

#include "http/message.hpp"

namespace yizhan::http {

class WebAssets {
 public:
  // An empty or missing root serves nothing (the API still works).
  explicit WebAssets(std::filesystem::path root);

  // The answer for a GET or HEAD of `request.path`, or nullopt when the page is not
  // installed. Never throws for a bad path: 404.
  std::optional<Response> serve(const Request& request) const;

  bool installed() const { return installed_; }
  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
  bool installed_ = false;
};

// The security headers of every answer of the hub (nosniff, no framing, no referrer).
void add_security_headers(Response& response);

}  // namespace yizhan::http
