#pragma once
// How the hub's gRPC endpoint is set up: transport security from the configuration
// (plaintext, TLS, or mutual TLS with a client certificate per region), message size limits
// and keepalive policy.

#include <memory>

#include <grpcpp/grpcpp.h>

#include "hub/hub_config.h"
#include "hub/store/region_replicas.h"

namespace ess::hub {

// Keepalive: the hub accepts a client ping every kMinClientPingInterval at most; nodes ping
// less often (node/replication/hub_channel.h), so the hub never answers GOAWAY
// "too_many_pings".
inline constexpr int kMinClientPingIntervalMs = 10'000;

// Throws std::runtime_error with the file's name if a PEM file cannot be read.
std::shared_ptr<grpc::ServerCredentials> MakeServerCredentials(const HubConfig& config);

// gRPC itself refuses a message over `max_message_bytes` (RESOURCE_EXHAUSTED, before the hub
// sees it); all streams together share a resource quota of `grpc_memory_mb`; a connection
// carries at most `max_streams_per_connection` streams at once and lives at most twice the
// longest stream.
void ApplyServerOptions(grpc::ServerBuilder& builder, const HubConfig& config);

}  // namespace ess::hub
