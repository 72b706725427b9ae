#include "http/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "http/cached_document.h"

namespace ess {

namespace fs = std::filesystem;

StaticFiles::StaticFiles(std::string url_prefix, std::string root, std::string index)
    : prefix_(std::move(url_prefix)), root_(std::move(root)), index_(std::move(index)) {}

std::string StaticFiles::ContentType(const std::string& path) {
  auto ext = fs::path(path).extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".geojson") return "application/json; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt" || ext == ".md") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

std::optional<HttpResponse> StaticFiles::Serve(const HttpRequest& request) const {
  if ((request.method != "GET" && request.method != "HEAD") || !request.path.starts_with(prefix_)) {
    return std::nullopt;
  }
  std::string relative = request.path.substr(prefix_.size());
  if (relative.empty() || relative.back() == '/') relative += index_;
  auto not_found = HttpResponse::Error(404, "not_found", "Ressource introuvable.");
  // Refuse any ".." segment, NUL, or backslash before touching the file system.
  if (relative.find('\0') != std::string::npos || relative.find('\\') != std::string::npos) {
    return not_found;
  }
  for (const auto& part : fs::path(relative)) {
    if (part == "..") return not_found;
  }
  std::error_code ec;
  fs::path root = fs::weakly_canonical(root_, ec);
  fs::path file = fs::weakly_canonical(root / relative, ec);
  if (ec || !file.string().starts_with(root.string() + "/") || !fs::is_regular_file(file, ec)) {
    return not_found;
  }
  const auto size = fs::file_size(file, ec);
  const auto modified = fs::last_write_time(file, ec).time_since_epoch().count();
  if (ec) return not_found;
  std::ostringstream etag;
  etag << '"' << std::hex << size << '-' << modified << '"';
  HttpResponse res = HttpResponse::Text(200, "", ContentType(file.string()));
  if (auto held = request.Header("if-none-match"); held && EtagMatches(*held, etag.str())) {
    res.status = 304;
  } else {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    res.body = body.str();
  }
  res.headers.emplace_back("ETag", etag.str());
  res.headers.emplace_back("Cache-Control", "no-cache");
  return res;
}

}  // namespace ess
