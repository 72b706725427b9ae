#pragma once
// How the hub's gRPC endpoint is set up: transport security from the configuration
// (plaintext, TLS, or mutual TLS with a client certificate per region), message size limits
// and keepalive policy.

#include <memory>

#include <grpcpp/grpcpp.h>

#include "hub/hub_config.h"
#include "hub/region_replicas.h"

namespace ess::hub {

// Keepalive: the hub accepts a client ping every kMinClientPingInterval at most; nodes ping
// less often (node/replication/hub_channel.h), so the hub never answers GOAWAY
// "too_many_pings".
inline constexpr int kMinClientPingIntervalMs = 10'000;

// Throws std::runtime_error with the file's name if a PEM file cannot be read.
std::shared_ptr<grpc::ServerCredentials> MakeServerCredentials(const HubConfig& config);

// The transport accepts messages up to twice the replication limit, so that an oversize
// batch still reaches the hub and is refused with a reason the region's admin can read.
void ApplyServerOptions(grpc::ServerBuilder& builder, const ReplicaLimits& limits);

// Whole file as a string; throws std::runtime_error naming it if unreadable.
std::string ReadPemFile(const std::string& path);

}  // namespace ess::hub
