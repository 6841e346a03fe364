#include "http/web_assets.hpp"

#include <fstream>
#include <sstream>

#include "http/query.hpp"

namespace yizhan::http {
namespace {

std::string_view content_type_of(const std::filesystem::path& p) {
  const std::string ext = p.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt" || ext == ".md") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

constexpr std::string_view kCsp =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

}  // namespace

void add_security_headers(Response& response) {
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
}

WebAssets::WebAssets(std::filesystem::path root) : root_(std::move(root)) {
  std::error_code ec;
  if (!root_.empty()) {
    root_ = std::filesystem::weakly_canonical(root_, ec);
    installed_ = !ec && std::filesystem::is_regular_file(root_ / "index.html", ec);
  }
}

std::optional<Response> WebAssets::serve(const Request& request) const {
  if (!installed_) return std::nullopt;
  const auto decoded = percent_decode(request.path, false);
  if (!decoded) return Response::error(404, "not_found", "no such file");
  const std::string& path = *decoded;
  // Every segment must be a plain name: no "..", no hidden files, no empty segments.
  std::filesystem::path rel;
  bool bad =
      path.empty() || path[0] != '/' || path.find('\0') != std::string::npos || path.find('\\') != std::string::npos;
  for (size_t i = 1; !bad && i < path.size();) {
    const size_t j = std::min(path.find('/', i), path.size());
    const std::string seg = path.substr(i, j - i);
    if (seg.empty() ? j != path.size() : seg[0] == '.') bad = true;
    if (!seg.empty()) rel /= seg;
    i = j + 1;
  }
  if (bad) return Response::error(404, "not_found", "no such file");
  std::error_code ec;
  std::filesystem::path file = rel.empty() ? root_ / "index.html" : root_ / rel;
  // A page route (no file there, no extension) is the page itself.
  if (!std::filesystem::is_regular_file(file, ec)) {
    if (!rel.empty() && rel.has_extension()) return Response::error(404, "not_found", "no such file");
    file = root_ / "index.html";
  }
  const auto canonical = std::filesystem::canonical(file, ec);
  const std::string root_text = root_.string() + "/";
  if (ec || canonical.string().rfind(root_text, 0) != 0) return Response::error(404, "not_found", "no such file");
  const auto size = std::filesystem::file_size(canonical, ec);
  const auto mtime = std::filesystem::last_write_time(canonical, ec);
  if (ec) return Response::error(404, "not_found", "no such file");
  std::ostringstream tag;
  tag << "\"" << std::hex << size << "-" << mtime.time_since_epoch().count() << "\"";
  Response res;
  res.status = 200;
  res.content_type = std::string(content_type_of(canonical));
  res.headers.emplace_back("ETag", tag.str());
  // Revalidated on every load: a county upgrading the hub gets the new page at once.
  res.headers.emplace_back("Cache-Control", "no-cache");
  if (res.content_type.starts_with("text/html")) res.headers.emplace_back("Content-Security-Policy", std::string(kCsp));
  if (request.header("if-none-match") == tag.str()) {
    res.status = 304;
    return res;
  }
  std::ifstream in(canonical, std::ios::binary);
  std::ostringstream body;
  body << in.rdbuf();
  if (!in) return Response::error(500, "internal", "cannot read the file");
  res.body = body.str();
  return res;
}

}  // namespace yizhan::http
