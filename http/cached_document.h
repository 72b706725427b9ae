#pragma once
// A public document served with a strong ETag, so that a browser keeps it and revalidates
// with If-None-Match (304 without a body when nothing changed). The node and the hub serve
// the common referential this way.

#include <memory>
#include <string>
#include <string_view>

#include "http/http_types.h"

namespace ess {

struct ServedDocument {
  std::shared_ptr<const std::string> body;  // shared by every response that serves it
  std::string etag;  // quoted hex of the start of the body's SHA-256
};

ServedDocument WithEtag(std::string body);

// "*" or a list of entity tags containing `etag` (weak comparison, as for GET).
bool EtagMatches(std::string_view if_none_match, std::string_view etag);

// 200 with the JSON body, or 304 without it when the request's If-None-Match holds the
// document's ETag; both carry the ETag and let caches keep it five minutes.
HttpResponse CachedDocument(const HttpRequest& request, const ServedDocument& document);

}  // namespace ess
