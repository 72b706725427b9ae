#include "hub/grpc_server_options.h"

#include <fstream>
#include <sstream>

namespace ess::hub {

std::string ReadPemFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("fichier PEM illisible : " + path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

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
  builder.SetMaxSendMessageSize(4 * 1024 * 1024);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
                             kMinClientPingIntervalMs);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  // The hub pings idle connections too, to notice nodes that vanished.
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60'000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20'000);
}

}  // namespace ess::hub
