#pragma once
// The node's gRPC channel to the hub: plaintext, TLS (the hub's CA) or mutual TLS (plus the
// region's client certificate and key), keepalive compatible with the hub's policy, and a
// reconnect backoff bounded so that a restarted hub is found again quickly.

#include <chrono>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

namespace ess::node {

// Pings at most this often on an idle connection: above the hub's minimum ping interval
// (hub/grpc/grpc_server_options.h), or the hub would answer GOAWAY "too_many_pings".
inline constexpr int kKeepaliveTimeMs = 30'000;
inline constexpr int kKeepaliveTimeoutMs = 10'000;

struct HubChannelOptions {
  std::string address;          // host:port of the hub's gRPC endpoint
  std::string tls_ca;           // PEM file of the CA that signed the hub's certificate; empty = plaintext
  std::string tls_cert;         // PEM client certificate of this region (mutual TLS)
  std::string tls_key;          // its private key
  std::string tls_server_name;  // expected name in the hub's certificate, if not the address's host
  std::chrono::milliseconds max_reconnect_backoff{10'000};
  std::size_t max_receive_bytes = 8 * 1024 * 1024;
};

// Throws std::runtime_error naming the file if a PEM file cannot be read.
std::shared_ptr<grpc::Channel> MakeHubChannel(const HubChannelOptions& options);

}  // namespace ess::node
