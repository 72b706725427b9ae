#pragma once
// The one place Asio and Beast are included. GCC 12 needs <utility> before Asio's
// coroutine headers (asio issue 944), so every file goes through this header.

#include <utility>

#include <boost/asio.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace ess {
namespace asio = boost::asio;
namespace beast = boost::beast;
}  // namespace ess
