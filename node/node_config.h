#pragma once
// The node's configuration: command line over config file (INI syntax, see
// deploy/node.example.conf), validated before anything starts.

#include <optional>
#include <string>

#include "core/service_config.h"
#include "http/http_server.h"
#include "http/web_site.h"
#include "node/node_settings.h"

namespace ess::node {

struct NodeConfig {
  std::string region;                 // INSEE region code, e.g. "93"
  std::string federation;             // names the log: "<federation>/region/<region>"
  ListenAddress http;                 // public and admin HTTP API
  HttpServerOptions http_server{
      .body_limit = 8 * 1024 * 1024};  // its limits (CSV imports are the largest bodies)
  std::string database;               // libpq connection string
  std::size_t database_pool_size = 8;
  std::string key_file;               // the region's signing key (signed-note "PRIVATE+KEY+...")
  std::string referential_file;       // the common referential (JSON); empty = none until pushed
  std::string hub_address;  // host:port of the hub's gRPC endpoint; empty = no replication
  // The region's site as announced to the hub (ReplicationHello.site_url): --public-url when
  // it is given, empty when it is left at its default (a loopback address visitors cannot reach).
  std::string site_url;
  // --- Replication to the hub (node/replication/, docs/replication.md) ---
  std::string hub_tls_ca;             // PEM CA of the hub's certificate; empty = plaintext
  std::string hub_tls_cert;           // PEM client certificate of this region (mutual TLS)
  std::string hub_tls_key;            // its private key
  std::string hub_tls_server_name;    // name in the hub's certificate, if not the address's host
  int hub_poll_ms = 1000;             // how often to look for new entries once caught up
  int hub_max_backoff_ms = 30000;     // longest wait between attempts while the hub is away
  int hub_batch_entries = 1024;       // entries per batch at most
  int hub_referential_refresh_minutes = 60;  // pull the referential from the hub; 0 = never
  // --- end of replication ---
  // --- Mail: the outbox delivered through an SMTP relay (node/mail/, docs/operations.md) ---
  std::string smtp_url;            // smtp://host:587 or smtps://host:465; empty = no relay
  std::string smtp_user;           // empty = no authentication
  std::string smtp_password_file;  // the password's file (first line), never on the command line
  std::string smtp_ca_file;        // PEM authorities of the relay's certificate; empty = system's
  bool smtp_starttls = true;       // smtp:// only: STARTTLS required (false = in clear)
  std::string mail_from, mail_from_name;  // the sender's address and displayed name
  int mail_poll_seconds = 30;             // how often the outbox is looked at for messages due
  int mail_max_attempts = 10;             // attempts before a message is marked failed
  // --- end of mail ---
  std::string ready_file;             // written with the bound ports once serving
  std::string log_level = "info";
  std::string log_format = "text";    // or "json" (core/log_format.h)
  int reminder_interval_minutes = 60; // how often freshness reminders are queued; 0 = never
  NodeSettings settings;              // the region's rules (committee, freshness, limits...)
  WebSiteOptions web;                 // the regional site's pages (docs/web.md)

  // One-off command instead of serving: create an admin account (password on stdin, or in
  // `admin_password_file`) and exit.
  std::string create_admin_email;
  std::string admin_name = "Administration";
  std::string admin_password_file;
};

struct NodeConfigOutcome {
  std::optional<NodeConfig> config;  // set when the node should start
  int exit_code = 0;                 // otherwise: 0 after --help, 2 after an error
};

// Prints --help or the error (in French, naming the option) to stdout/stderr itself.
NodeConfigOutcome ParseNodeConfig(int argc, const char* const argv[]);

}  // namespace ess::node
