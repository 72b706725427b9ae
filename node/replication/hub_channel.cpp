#include "node/replication/hub_channel.h"

#include "core/pem_file.h"

namespace ess::node {

std::shared_ptr<grpc::Channel> MakeHubChannel(const HubChannelOptions& options) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, kKeepaliveTimeMs);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, kKeepaliveTimeoutMs);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 0);
  args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS,
              static_cast<int>(std::min<std::int64_t>(options.max_reconnect_backoff.count(), 1000)));
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS,
              static_cast<int>(std::min<std::int64_t>(options.max_reconnect_backoff.count(), 1000)));
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, static_cast<int>(options.max_reconnect_backoff.count()));
  args.SetMaxReceiveMessageSize(static_cast<int>(options.max_receive_bytes));
  // Our own code resumes a broken stream from the hub's state; no transparent retries.
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, 0);
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (options.tls_ca.empty()) {
    credentials = grpc::InsecureChannelCredentials();
  } else {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = ReadPemFile(options.tls_ca);
    if (!options.tls_cert.empty()) {
      ssl.pem_cert_chain = ReadPemFile(options.tls_cert);
      ssl.pem_private_key = ReadPemFile(options.tls_key);
    }
    credentials = grpc::SslCredentials(ssl);
    if (!options.tls_server_name.empty()) {
      args.SetSslTargetNameOverride(options.tls_server_name);
    }
  }
  return grpc::CreateCustomChannel(options.address, credentials, args);
}

}  // namespace ess::node
