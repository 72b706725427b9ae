// The regional node: composition root only (config -> objects -> run).

#include <algorithm>
#include <fstream>
#include <iostream>
#include <random>

#include <spdlog/spdlog.h>

#include "core/checkpoint.h"
#include "core/clock.h"
#include "core/key_file.h"
#include "core/log_format.h"
#include "core/metrics.h"
#include "core/pg_migrations.h"
#include "core/pg_pool.h"
#include "core/referential.h"
#include "core/region_log_writer.h"
#include "core/systemd_notify.h"
#include "core/termination.h"
#include "http/http_server.h"
#include "http/ops_routes.h"
#include "http/web_site.h"
#include "node/api/node_api.h"
#include "node/domain/referential_holder.h"
#include "node/mail/outbox_delivery.h"
#include "node/mail/pg_delivery_queue.h"
#include "node/mail/smtp_sender.h"
#include "node/node_config.h"
#include "node/node_metrics.h"
#include "node/node_migrations.h"
#include "node/reminder_loop.h"
#include "node/replication/hub_channel.h"  // replication to the hub
#include "node/replication/hub_similar_client.h"
#include "node/replication/hub_uploader.h"
#include "node/replication/journal_listener.h"
#include "node/replication/pg_uploader_store.h"
#include "node/replication/referential_refresher.h"
#include "node/service/journal.h"
#include "node/service/region_rules_service.h"
#include "node/store/node_statements.h"

namespace {

// The first line of the file, or of stdin when `path` is empty.
std::string ReadPassword(const std::string& path) {
  std::string line;
  if (path.empty()) {
    std::getline(std::cin, line);
  } else {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("fichier de mot de passe illisible : " + path);
    std::getline(in, line);
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ess;
  TerminationSignals signals;  // before any thread starts
  auto outcome = node::ParseNodeConfig(argc, argv);
  if (!outcome.config) return outcome.exit_code;
  const node::NodeConfig& config = *outcome.config;
  ConfigureLogging(config.log_level, ParseLogFormat(config.log_format));
  try {
    auto key = ReadKeyFile(config.key_file);
    const std::string origin = RegionOrigin(config.federation, config.region);
    if (key.name != origin) {
      throw std::runtime_error("la clé " + config.key_file + " est nommée « " + key.name +
                               " », attendu « " + origin + " »");
    }
    const auto migrations = node::NodeMigrations();
    {
      pqxx::connection migrator(config.database);
      for (const auto& name : ApplyMigrations(migrator, migrations)) {
        spdlog::info("migration appliquée : {}", name);
      }
    }
    MetricsRegistry metrics;  // /metrics (http/ops_routes.h, docs/operations.md)
    PgPool pool({config.database, config.database_pool_size, std::chrono::seconds(10),
                 [](pqxx::connection& conn) { node::PrepareNodeStatements(conn, /*eager=*/true); }});
    AddPgPoolMetrics(metrics, pool);
    node::AddNodeMetrics(metrics, pool, config.region);
    node::ReferentialHolder referential;
    if (!config.referential_file.empty()) {
      referential.Replace(std::make_shared<const Referential>(Referential::FromFile(config.referential_file)));
      spdlog::info("référentiel {} chargé", referential.Get()->version());
    } else {
      spdlog::warn("aucun référentiel (--referential) : les dépôts sont refusés jusqu'à ce qu'il soit fourni");
    }
    SystemClock clock;
    RegionLogWriter journal(config.region, origin, key.signer, clock,
                            node::NodeJournalPayloadCheck(referential));
    node::RegionRulesHolder rules(config.settings.initial_rules);
    // Wakes the uploader (below) after each journalled commit.
    node::JournalCommitSignal journal_commits;
    node::NodeContext context{pool,  journal,         referential, clock, config.settings,
                              rules, &journal_commits};
    node::ImportJobsOptions import_jobs;
    import_jobs.progress_database = config.database;
    import_jobs.concurrent_jobs = config.settings.import_concurrent_jobs;
    // The hub's channel (replication below, and the registration form's duplicate warning).
    std::shared_ptr<grpc::Channel> hub_channel;
    node::HubSimilarLookup hub_similar;
    if (!config.hub_address.empty()) {
      node::HubChannelOptions channel;
      channel.address = config.hub_address;
      channel.tls_ca = config.hub_tls_ca;
      channel.tls_cert = config.hub_tls_cert;
      channel.tls_key = config.hub_tls_key;
      channel.tls_server_name = config.hub_tls_server_name;
      channel.max_reconnect_backoff = std::chrono::milliseconds(config.hub_max_backoff_ms);
      hub_channel = node::MakeHubChannel(channel);
      hub_similar = node::MakeHubSimilarLookup(hub_channel, node::kHubSimilarDeadline);
    }
    node::NodeApi api(context, std::move(import_jobs), std::move(hub_similar));

    if (!config.create_admin_email.empty()) {
      auto created = api.accounts().CreateAdmin(config.create_admin_email, config.admin_name,
                                                ReadPassword(config.admin_password_file));
      if (!created.ok()) {
        std::cerr << "ess-node : " << created.failure().message << "\n";
        return 1;
      }
      std::cout << "compte administrateur créé : " << created.value().email << "\n";
      return 0;
    }

    // The region's rules: the configuration's values the first time, the stored ones after.
    node::LoadRegionRules(pool, config.settings.initial_rules, rules, clock);
    // The regional site in front of the API; owners' private edit links open /modifier/<id>.
    WebSite site(api.AsHandler(), config.web,
                 {{"region", config.region}, {"hub_public_url", config.settings.hub_public_url}});
    site.AddPageAlias("/modifier/", "modifier.html");
    // /metrics and /readyz in front of the site; /readyz reports the hub without failing on it.
    OpsRoutes ops(
        {.metrics = &metrics,
         .metrics_allow = config.http_server.metrics_allow,
         .proxies_trusted = !config.http_server.trusted_proxies.empty(),
         .pool = &pool,
         .migrations_version =
             std::max_element(migrations.begin(), migrations.end(),
                              [](const auto& a, const auto& b) { return a.version < b.version; })
                 ->version,
         .report =
             [&hub_channel] {
               const bool ready = hub_channel && hub_channel->GetState(false) == GRPC_CHANNEL_READY;
               return nlohmann::json{
                   {"hub", {{"configured", hub_channel != nullptr}, {"reachable", ready}}}};
             }},
        site.AsHandler());
    HttpServerOptions http_options = config.http_server;
    http_options.address = config.http.host;
    http_options.port = config.http.port;
    http_options.metrics = &metrics;
    HttpServer http(http_options, ops.AsHandler());
    node::ReminderLoop reminders(std::chrono::minutes(config.reminder_interval_minutes),
                                 [&api] { return api.initiatives().SendFreshnessReminders(); });
    // --- Mail: the outbox delivered through the SMTP relay on a thread of its own (node/mail/) ---
    std::unique_ptr<node::SmtpSender> mail_sender;
    node::PgDeliveryQueue mail_queue(pool);
    std::unique_ptr<node::OutboxDelivery> mail_delivery;
    std::unique_ptr<node::DeliveryLoop> mail_loop;
    if (!config.smtp_url.empty()) {
      node::SmtpOptions smtp;
      smtp.url = config.smtp_url;
      smtp.user = config.smtp_user;
      if (!config.smtp_password_file.empty())
        smtp.password = ReadPassword(config.smtp_password_file);
      smtp.starttls = config.smtp_starttls;
      smtp.ca_file = config.smtp_ca_file;
      smtp.from = {config.mail_from, config.mail_from_name};
      mail_sender = std::make_unique<node::SmtpSender>(std::move(smtp));
      node::RetryPolicy retry;
      retry.max_attempts = config.mail_max_attempts;
      mail_delivery =
          std::make_unique<node::OutboxDelivery>(mail_queue, *mail_sender, clock, retry);
      mail_loop = std::make_unique<node::DeliveryLoop>(
          *mail_delivery, std::chrono::seconds(config.mail_poll_seconds));
      spdlog::info("courrier envoyé par {}", config.smtp_url);
    } else {
      spdlog::warn("aucun relais SMTP (--smtp-url) : les messages restent dans la file");
    }
    http.Start();
    spdlog::info("nœud {} : HTTP sur {}:{}", origin, config.http.host, http.port());
    // --- Replication to the hub (node/replication/, docs/replication.md) ---
    std::unique_ptr<node::PgUploaderStore> replication_store;
    std::unique_ptr<federation::v1::Replication::StubInterface> replication_stub;
    std::unique_ptr<federation::v1::ReferentialService::StubInterface> referential_stub;
    std::unique_ptr<node::ReferentialRefresher> referential_refresher;
    std::unique_ptr<node::HubUploader> uploader;
    std::unique_ptr<node::JournalListener> journal_listener;
    node::JournalCommitSignal::Subscription wake_uploader;  // ends before the uploader goes
    if (hub_channel) {
      replication_stub = federation::v1::Replication::NewStub(hub_channel);
      referential_stub = federation::v1::ReferentialService::NewStub(hub_channel);
      replication_store = std::make_unique<node::PgUploaderStore>(config.database, config.region);

      node::ReferentialRefresherOptions refresh;
      refresh.refresh = std::chrono::minutes(config.hub_referential_refresh_minutes);
      refresh.retry = std::chrono::milliseconds(config.hub_max_backoff_ms);
      if (auto held = referential.Get()) refresh.known_version = held->version();
      refresh.on_referential = [&referential](std::shared_ptr<const Referential> r) {
        referential.Replace(std::move(r));
      };
      referential_refresher = std::make_unique<node::ReferentialRefresher>(
          std::move(refresh), *referential_stub, clock);

      node::HubUploaderOptions replication;
      replication.region = config.region;
      replication.federation = config.federation;
      replication.site_url = config.site_url;
      replication.poll_interval = std::chrono::milliseconds(config.hub_poll_ms);
      replication.max_backoff = std::chrono::milliseconds(config.hub_max_backoff_ms);
      replication.refused_backoff = 10 * replication.max_backoff;
      replication.max_batch_entries = static_cast<std::size_t>(config.hub_batch_entries);
      uploader = std::make_unique<node::HubUploader>(
          std::move(replication), *replication_store, *replication_stub, key.signer, clock,
          [rng = std::mt19937_64(std::random_device{}())]() mutable {
            return std::uniform_real_distribution<double>(0, 1)(rng);
          });
      referential_refresher->Start();
      uploader->Start();
      // Any process's journalled commit on this database wakes the uploader (LISTEN/NOTIFY).
      journal_listener = std::make_unique<node::JournalListener>(
          config.database, config.region, [u = uploader.get()] { u->Wake(); });
      journal_listener->Start();
      node::AddReplicationMetrics(metrics, [u = uploader.get(), channel = hub_channel] {
        const node::UploaderStatus status = u->Status();
        return node::ReplicationProbe{status.state, status.sessions, status.batches_accepted,
                                      channel->GetState(false) == GRPC_CHANNEL_READY};
      });
      spdlog::info("synchronisation avec le hub {}", config.hub_address);
    }
    // --- end of replication ---
    // A journalled commit may have queued a message (a registration) and has new entries.
    if (uploader || mail_loop) {
      wake_uploader = journal_commits.Listen([u = uploader.get(), m = mail_loop.get()] {
        if (u) u->Wake();
        if (m) m->Wake();
      });
    }
    if (!config.ready_file.empty()) WriteReadyFile(config.ready_file, {{"http", http.port()}});
    NotifyReady();  // systemd's Type=notify unit (deploy/systemd/ess-node.service)
    int sig = signals.Wait();
    spdlog::info("signal {} reçu, arrêt", sig);
    NotifyStopping();
    if (journal_listener) journal_listener->Stop();
    if (uploader) uploader->Stop();  // replication to the hub
    if (referential_refresher) referential_refresher->Stop();
    http.Stop();
    wake_uploader.Reset();
    mail_loop.reset();  // lets an attempt under way finish
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
  return 0;
}
