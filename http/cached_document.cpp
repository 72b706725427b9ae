#include "http/cached_document.h"

#include "core/bytes.h"
#include "core/sha256.h"

namespace ess {

ServedDocument WithEtag(std::string body) {
  Hash hash = Sha256Of(body);
  std::string etag = "\"" + ToHex(ByteView(hash.data(), 16)) + "\"";
  return {std::make_shared<const std::string>(std::move(body)), std::move(etag)};
}

bool EtagMatches(std::string_view if_none_match, std::string_view etag) {
  auto weakless = [](std::string_view tag) {
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    return tag;
  };
  const std::string_view wanted = weakless(etag);
  std::size_t i = 0;
  while (i < if_none_match.size()) {
    std::size_t comma = if_none_match.find(',', i);
    std::string_view item = if_none_match.substr(i, comma == std::string_view::npos ? std::string_view::npos : comma - i);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item == "*" || weakless(item) == wanted) return true;
    if (comma == std::string_view::npos) break;
    i = comma + 1;
  }
  return false;
}

HttpResponse CachedDocument(const HttpRequest& request, const ServedDocument& document) {
  HttpResponse res = HttpResponse::Json(200, "");
  if (auto held = request.Header("if-none-match"); held && EtagMatches(*held, document.etag)) {
    res.status = 304;
  } else {
    res.shared_body = document.body;
  }
  res.headers.emplace_back("ETag", document.etag);
  res.headers.emplace_back("Cache-Control", "public, max-age=300");
  return res;
}

}  // namespace ess
