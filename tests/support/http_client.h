#pragma once
// A minimal blocking HTTP/1.1 client for tests (loopback only, one request per connection).

#include <map>
#include <string>

namespace ess::test {

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased; last value wins
  std::string body;
};

HttpResult HttpRequestRaw(int port, const std::string& method, const std::string& target,
                          const std::string& body = {},
                          const std::map<std::string, std::string>& headers = {});
inline HttpResult HttpGet(int port, const std::string& target) {
  return HttpRequestRaw(port, "GET", target);
}

}  // namespace ess::test
