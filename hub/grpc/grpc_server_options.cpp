#include "hub/grpc/grpc_server_options.h"

#include "core/pem_file.h"

namespace ess::hub {

std::shared_ptr<grpc::ServerCredentials> MakeServerCredentials(const HubConfig& config) {
  if (config.tls_cert.empty()) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions options(
      config.tls_client_ca.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                                   : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  if (!config.tls_client_ca.empty()) options.pem_root_certs = ReadPemFile(config.tls_client_ca);
  options.pem_key_cert_pairs.push_back({ReadPemFile(config.tls_key), ReadPemFile(config.tls_cert)});
  return grpc::SslServerCredentials(options);
}

void ApplyServerOptions(grpc::ServerBuilder& builder, const HubConfig& config) {
  builder.SetMaxReceiveMessageSize(static_cast<int>(config.replica_limits.max_message_bytes));
  grpc::ResourceQuota quota("ess-hub");
  quota.Resize(config.grpc_memory_mb * 1024 * 1024);
  builder.SetResourceQuota(quota);
  // One connection holds a few streams (a node uses one replication stream and the referential's):
  // a client that opens many streams on one connection waits for its own to end.
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                             static_cast<int>(config.max_streams_per_connection));
  // A connection lives at most twice a stream's longest life: what a stalled client made the
  // transport buffer is released with it at the latest then.
  const auto age = 2 * config.stream_limits.max_stream_duration;
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, static_cast<int>(age.count()));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
                             static_cast<int>(config.stream_limits.max_stream_duration.count()));
  builder.SetMaxSendMessageSize(4 * 1024 * 1024);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
                             kMinClientPingIntervalMs);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  // The hub pings idle connections too, to notice nodes that vanished.
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60'000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20'000);
}

}  // namespace ess::hub
