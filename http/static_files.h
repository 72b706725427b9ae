#pragma once
// Serves files below a directory (the web pages, and npm packages such as Leaflet from
// web/node_modules) for GET and HEAD. Paths are resolved without following "..": a request
// that would leave the root is refused with 404, as is a directory or a missing file.
// Each file carries an ETag made of its size and modification time, and "no-cache": the
// browser keeps it and revalidates it (If-None-Match -> 304 without a body), so a page
// loads Leaflet and the modules once, yet never runs a stale copy after an upgrade.

#include <optional>
#include <string>

#include "http/http_types.h"

namespace ess {

class StaticFiles {
 public:
  // `url_prefix` ("/" or "/vendor/leaflet/"), `root` the directory it maps to.
  // `index` is served for a path ending in "/" ("index.html").
  StaticFiles(std::string url_prefix, std::string root, std::string index = "index.html");

  // nullopt if the request is not for this prefix (so another handler may take it).
  std::optional<HttpResponse> Serve(const HttpRequest& request) const;

  // Content type from the file extension (text/html; charset=utf-8, text/css, ...).
  static std::string ContentType(const std::string& path);

 private:
  std::string prefix_;
  std::string root_;
  std::string index_;
};

}  // namespace ess
