#include "node/node_config.h"

#include "http/http_server_config.h"

#include <iostream>
#include <sstream>

#include <boost/program_options.hpp>

#include "core/checkpoint.h"
#include "core/log_format.h"
#include "core/regions.h"

namespace ess::node {

namespace po = boost::program_options;

namespace {

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream s(text);
  std::string item;
  while (std::getline(s, item, ',')) {
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// The option that sets a rule's field ("decision_rule.quorum" -> "--committee.quorum").
std::string OptionOf(const std::string& field) {
  static const std::pair<const char*, const char*> kOptions[] = {
      {"decision_rule.quorum", "--committee.quorum"},
      {"decision_rule.majority", "--committee.majority"},
      {"decision_rule.min_colleges", "--committee.min-colleges"},
      {"colleges", "--committee.colleges"},
      {"freshness.validity_days", "--freshness.validity-days"},
      {"freshness.grace_days", "--freshness.grace-days"},
      {"freshness.reminder_days", "--freshness.reminder-days"},
      {"report_threshold", "--participation.report-threshold"},
      {"endorsement_threshold", "--participation.endorsement-threshold"}};
  for (const auto& [prefix, option] : kOptions) {
    if (field.rfind(prefix, 0) == 0) return option;
  }
  return field;
}

// The mail options together; sets smtp_starttls and settings.mail_relay.
void CheckMailOptions(NodeConfig& c, const std::string& starttls) {
  if (c.mail_poll_seconds < 1 || c.mail_max_attempts < 1) {
    throw std::runtime_error("--mail-poll-seconds et --mail-max-attempts : au moins 1");
  }
  if (c.smtp_url.empty()) {
    if (!c.smtp_user.empty() || !c.smtp_password_file.empty()) {
      throw std::runtime_error("--smtp-user et --smtp-password-file demandent --smtp-url");
    }
    return;
  }
  const bool plain = c.smtp_url.rfind("smtp://", 0) == 0;
  if (!plain && c.smtp_url.rfind("smtps://", 0) != 0) {
    throw std::runtime_error("--smtp-url : smtp://hôte:port ou smtps://hôte:port");
  }
  const std::string rest = c.smtp_url.substr(plain ? 7 : 8);
  const std::string host = rest.substr(0, rest.find_first_of(":/"));
  if (host.empty() || rest.find('@') != std::string::npos) {
    throw std::runtime_error(
        "--smtp-url : un nom d'hôte, sans identifiants (ils vont dans --smtp-user et "
        "--smtp-password-file)");
  }
  if (starttls.empty()) {
    c.smtp_starttls = !(host == "127.0.0.1" || host == "localhost" || host == "[::1]");
  } else if (starttls == "required" || starttls == "none") {
    c.smtp_starttls = starttls == "required";
  } else {
    throw std::runtime_error("--smtp-starttls : required ou none");
  }
  if (!c.smtp_user.empty() && c.smtp_password_file.empty()) {
    throw std::runtime_error("--smtp-user demande --smtp-password-file");
  }
  const auto at = c.mail_from.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == c.mail_from.size() ||
      c.mail_from.find_first_of(" <>,;\"\r\n") != std::string::npos) {
    throw std::runtime_error(
        "--mail-from : une adresse électronique (obligatoire avec --smtp-url)");
  }
  c.settings.mail_relay = c.smtp_url;
}

}  // namespace

NodeConfigOutcome ParseNodeConfig(int argc, const char* const argv[]) {
  NodeConfig c;
  NodeSettings& s = c.settings;
  RegionRules& rules = s.initial_rules;
  std::string http, colleges, smtp_starttls, embed_frame_ancestors;
  unsigned long long password_ops = s.password_cost.ops_limit;
  std::size_t password_mem_kib = s.password_cost.mem_limit / 1024;
  po::options_description cli("Options de la ligne de commande");
  cli.add_options()
      ("help,h", "affiche cette aide")
      ("config,c", po::value<std::string>(), "fichier de configuration (syntaxe INI)")
      ("create-admin", po::value(&c.create_admin_email),
       "crée un compte administrateur pour cette adresse (mot de passe lu sur l'entrée standard) et s'arrête")
      ("admin-name", po::value(&c.admin_name)->default_value("Administration"), "nom affiché du compte créé")
      ("admin-password-file", po::value(&c.admin_password_file),
       "lit le mot de passe du compte créé dans ce fichier plutôt que sur l'entrée standard");
  po::options_description opts("Configuration (ligne de commande ou fichier)");
  // One option per entry, as --help lists them.
  // clang-format off
  opts.add_options()
      ("region", po::value(&c.region)->required(), "code INSEE de la région, ex. 93")
      ("federation", po::value(&c.federation)->default_value(std::string(kDefaultFederation)),
       "nom de la fédération (origine des points de contrôle)")
      ("http", po::value(&http)->default_value("127.0.0.1:8080"), "adresse HTTP hôte:port (port 0 = libre)")
      ("json-body-limit", po::value(&s.json_body_limit)->default_value(s.json_body_limit),
       "taille maximale d'un corps JSON hors import, en octets")
      ("public-url", po::value(&s.public_url)->default_value(s.public_url),
       "adresse publique du nœud, pour les liens envoyés aux porteurs ; annoncée au hub, dont les fiches nationales renvoient ici")
      ("hub-public-url", po::value(&s.hub_public_url)->default_value(""),
       "adresse publique du site national, pour chercher dans toute la France depuis la carte ; vide = sans lien")
      ("database", po::value(&c.database)->required(), "connexion PostgreSQL (URI libpq)")
      ("database-pool", po::value(&c.database_pool_size)->default_value(8), "connexions PostgreSQL")
      ("key-file", po::value(&c.key_file)->required(), "clé de signature de la région")
      ("referential", po::value(&c.referential_file)->default_value(""),
       "fichier du référentiel commun (JSON) ; sans lui, les dépôts attendent que le hub le fournisse")
      ("hub", po::value(&c.hub_address)->default_value(""), "adresse gRPC du hub hôte:port (vide = pas de synchronisation)")
      // Replication to the hub (node/replication/, docs/replication.md).
      ("hub-tls-ca", po::value(&c.hub_tls_ca)->default_value(""), "AC du certificat du hub (PEM) ; vide = sans TLS")
      ("hub-tls-cert", po::value(&c.hub_tls_cert)->default_value(""), "certificat client de la région (PEM, TLS mutuel)")
      ("hub-tls-key", po::value(&c.hub_tls_key)->default_value(""), "clé privée du certificat client (PEM)")
      ("hub-tls-server-name", po::value(&c.hub_tls_server_name)->default_value(""), "nom attendu dans le certificat du hub")
      ("hub-poll-ms", po::value(&c.hub_poll_ms)->default_value(1000), "intervalle de recherche de nouvelles entrées (ms)")
      ("hub-max-backoff-ms", po::value(&c.hub_max_backoff_ms)->default_value(30000), "attente maximale entre deux tentatives (ms)")
      ("hub-batch-entries", po::value(&c.hub_batch_entries)->default_value(1024), "entrées par lot, au plus (1 à 1024)")
      ("hub-referential-refresh-minutes", po::value(&c.hub_referential_refresh_minutes)->default_value(60), "rafraîchissement du référentiel depuis le hub (0 = jamais)")
      // Mail (node/mail/, docs/operations.md "Mail").
      ("smtp-url", po::value(&c.smtp_url)->default_value(""),
       "relais SMTP des messages, smtp://hôte:587 (STARTTLS) ou smtps://hôte:465 ; vide = les messages restent en file")
      ("smtp-user", po::value(&c.smtp_user)->default_value(""), "identifiant SMTP (vide = sans authentification)")
      ("smtp-password-file", po::value(&c.smtp_password_file)->default_value(""),
       "fichier dont la première ligne est le mot de passe SMTP")
      ("smtp-starttls", po::value(&smtp_starttls)->default_value(""),
       "smtp:// seulement : required (STARTTLS obligatoire) ou none (en clair) ; par défaut required, none pour un relais sur 127.0.0.1 ou localhost")
      ("smtp-ca-file", po::value(&c.smtp_ca_file)->default_value(""),
       "autorités du certificat du relais (PEM) ; vide = celles du système")
      ("mail-from", po::value(&c.mail_from)->default_value(""), "adresse d'expédition des messages (obligatoire avec --smtp-url)")
      ("mail-from-name", po::value(&c.mail_from_name)->default_value(""), "nom affiché de l'expéditeur")
      ("mail-poll-seconds", po::value(&c.mail_poll_seconds)->default_value(c.mail_poll_seconds),
       "intervalle entre deux passages sur la file des messages (secondes)")
      ("mail-max-attempts", po::value(&c.mail_max_attempts)->default_value(c.mail_max_attempts),
       "essais d'envoi d'un message avant de le marquer en échec")
      ("ready-file", po::value(&c.ready_file)->default_value(""), "fichier JSON écrit avec les ports une fois prêt")
      ("log-level", po::value(&c.log_level)->default_value("info"), "trace, debug, info, warn, error")
      ("log-format", po::value(&c.log_format)->default_value("text"),
       "text (pour un terminal) ou json (un objet JSON par ligne, pour un collecteur de journaux)")
      ("web-root", po::value(&c.web.root)->default_value(ESS_DEFAULT_WEB_ROOT),
       "dossier web/ (pages, modules, node_modules) du site régional ; vide = API seule")
      ("tile-url", po::value(&c.web.tile_url)->default_value(""),
       "serveur de tuiles de la carte, ex. https://tile.openstreetmap.org/{z}/{x}/{y}.png ; vide = fond simple")
      ("tile-attribution", po::value(&c.web.tile_attribution)->default_value(""), "mention des tuiles sur la carte")
      ("embed-frame-ancestors", po::value(&embed_frame_ancestors)->default_value("*"),
       "sites qui peuvent intégrer la carte (/embed) dans un cadre : sources CSP séparées par des espaces, "
       "ex. https://exemple.org https://*.exemple.org ; * = tous ; 'none' = aucun")
      ("committee.quorum", po::value(&rules.decision_rule.quorum)->default_value(rules.decision_rule.quorum),
       "votes nécessaires pour décider (abstentions comprises) ; valeur initiale, modifiable ensuite par l'administration")
      ("committee.majority", po::value(&rules.decision_rule.majority)->default_value(rules.decision_rule.majority),
       "part des voix exprimées à dépasser, de 0.5 (majorité absolue) à 1 exclu ; valeur initiale")
      ("committee.min-colleges", po::value(&rules.decision_rule.min_colleges)->default_value(rules.decision_rule.min_colleges),
       "nombre minimal de collèges distincts parmi les votes ; valeur initiale")
      ("committee.colleges", po::value(&colleges)->default_value(
           "consommateurs,entreprises,pouvoirs_publics,salaries,ong,recherche_conseil"),
       "collèges de parties prenantes, séparés par des virgules ; valeur initiale")
      ("freshness.validity-days", po::value(&rules.freshness.validity_days)->default_value(rules.freshness.validity_days),
       "durée de validité d'une fiche confirmée, en jours ; valeur initiale")
      ("freshness.grace-days", po::value(&rules.freshness.grace_days)->default_value(rules.freshness.grace_days),
       "délai de grâce après la validité avant de quitter la carte, en jours ; valeur initiale")
      ("freshness.reminder-days", po::value(&rules.freshness.reminder_days)->default_value(rules.freshness.reminder_days),
       "rappel envoyé ce nombre de jours avant la fin de validité ; valeur initiale")
      ("freshness.reminder-interval-minutes", po::value(&c.reminder_interval_minutes)->default_value(60),
       "fréquence de préparation des rappels (0 = jamais)")
      ("participation.report-threshold", po::value(&rules.report_threshold)->default_value(rules.report_threshold),
       "signalements ouverts qui remettent une initiative admise à l'examen ; valeur initiale")
      ("participation.endorsement-threshold", po::value(&rules.endorsement_threshold)->default_value(rules.endorsement_threshold),
       "soutiens à partir desquels le comité voit une initiative « soutenue » ; valeur initiale")
      ("participation.rate-per-minute", po::value(&s.public_rate_limit.per_minute)->default_value(s.public_rate_limit.per_minute),
       "dépôts, signalements et soutiens par minute et par adresse")
      ("participation.rate-burst", po::value(&s.public_rate_limit.burst)->default_value(s.public_rate_limit.burst),
       "rafale permise au-delà du débit")
      ("participation.period-days", po::value(&s.participation_period_days)->default_value(s.participation_period_days),
       "un signalement et un soutien par initiative et par visiteur sur cette période, en jours")
      ("security.edit-link-days", po::value(&s.edit_link_days)->default_value(s.edit_link_days),
       "durée de vie d'un lien privé de modification, en jours")
      ("security.session-hours", po::value(&s.session_hours)->default_value(s.session_hours),
       "durée d'une session, en heures")
      ("security.cookie-secure", po::value(&s.cookie_secure)->default_value(false),
       "cookie de session réservé à HTTPS (à activer derrière HTTPS)")
      ("security.password-ops", po::value(&password_ops)->default_value(password_ops),
       "Argon2id : nombre de passes")
      ("security.password-mem-kib", po::value(&password_mem_kib)->default_value(password_mem_kib),
       "Argon2id : mémoire en Kio")
      ("security.login-rate-per-minute", po::value(&s.sign_in.address_attempts_per_minute)->default_value(s.sign_in.address_attempts_per_minute),
       "tentatives de connexion par minute et par adresse, tous comptes confondus")
      ("security.login-pair-failures", po::value(&s.sign_in.pair_failures)->default_value(s.sign_in.pair_failures),
       "échecs d'un même couple (adresse, compte) qui le bloquent")
      ("security.login-pair-window-minutes", po::value(&s.sign_in.pair_window_minutes)->default_value(s.sign_in.pair_window_minutes),
       "fenêtre de ces échecs, et durée du blocage, en minutes")
      ("security.login-account-failures", po::value(&s.sign_in.account_failures)->default_value(s.sign_in.account_failures),
       "échecs d'un compte, toutes adresses confondues, qui le verrouillent (sauf depuis un navigateur connu)")
      ("security.login-account-window-minutes", po::value(&s.sign_in.account_window_minutes)->default_value(s.sign_in.account_window_minutes),
       "fenêtre de ces échecs, et durée du verrouillage, en minutes")
      ("security.known-device-days", po::value(&s.sign_in.known_device_days)->default_value(s.sign_in.known_device_days),
       "un navigateur déjà connecté à un compte reste reconnu ce nombre de jours sans usage")
      ("security.password-threads", po::value(&s.password_threads)->default_value(s.password_threads),
       "fils de calcul Argon2id (chacun prend password-mem-kib de mémoire)")
      ("security.password-queue", po::value(&s.password_queue)->default_value(s.password_queue),
       "connexions en attente d'un fil Argon2id ; au-delà, réponse 503 sign_in_busy")
      ("import.max-rows", po::value(&s.import_rows_max)->default_value(s.import_rows_max),
       "lignes au plus par import CSV")
      ("import.concurrent-jobs", po::value(&s.import_concurrent_jobs)->default_value(s.import_concurrent_jobs),
       "imports CSV enregistrés en même temps par ce processus (1 à 8)");
  // clang-format on
  HttpServerConfig http_config;
  http_config.Declare(opts, c.http_server);
  try {
    po::variables_map vm;
    if (!ReadOptions(argc, argv, cli, opts,
                     "ess-node : le nœud régional de la carte fédérée de l'ESS.\n\n"
                     "Usage : ess-node --config node.conf [options]\n"
                     "        ess-node --config node.conf --create-admin ADRESSE < mot_de_passe\n",
                     vm)) {
      return {std::nullopt, 0};
    }
    std::string error;
    auto addr = ParseListenAddress(http, &error);
    if (!addr) throw std::runtime_error("--http : " + error);
    c.http = *addr;
    if (c.hub_tls_cert.empty() != c.hub_tls_key.empty()) {
      throw std::runtime_error("--hub-tls-cert et --hub-tls-key vont ensemble");
    }
    if (!c.hub_tls_cert.empty() && c.hub_tls_ca.empty()) {
      throw std::runtime_error("--hub-tls-cert demande --hub-tls-ca");
    }
    if (c.hub_poll_ms < 10 || c.hub_max_backoff_ms < 100 || c.hub_batch_entries < 1 ||
        c.hub_batch_entries > 1024 || c.hub_referential_refresh_minutes < 0) {
      throw std::runtime_error("options --hub-* hors limites (voir --help)");
    }
    if (!FindRegion(c.region)) {
      throw std::runtime_error("--region : « " + c.region + " » n'est pas un code INSEE de région");
    }
    s.region = c.region;
    if (!vm["public-url"].defaulted()) c.site_url = s.public_url;
    c.web.site = "node";
    auto ancestors = ParseFrameAncestors(embed_frame_ancestors, &error);
    if (!ancestors) throw std::runtime_error("--embed-frame-ancestors : " + error);
    c.web.embed_frame_ancestors = std::move(*ancestors);
    if (c.database_pool_size == 0) throw std::runtime_error("--database-pool doit valoir au moins 1");
    rules.colleges = SplitList(colleges);
    if (rules.colleges.empty()) throw std::runtime_error("--committee.colleges : au moins un collège");
    if (auto bad = CheckRegionRules(rules)) throw std::runtime_error(OptionOf(bad->field) + " : " + bad->message);
    if (s.import_concurrent_jobs < 1 || s.import_concurrent_jobs > 8) {
      throw std::runtime_error("--import.concurrent-jobs : de 1 à 8");
    }
    if (s.edit_link_days < 1 || s.session_hours < 1) throw std::runtime_error("--security.* : durées invalides");
    if (s.participation_period_days < 1 || s.participation_period_days > 3660)
      throw std::runtime_error("--participation.period-days : de 1 à 3660");
    const SignInLimits& limits = s.sign_in;
    if (limits.address_attempts_per_minute < 1 || limits.pair_failures < 1 ||
        limits.pair_window_minutes < 1 || limits.account_failures < 1 ||
        limits.account_window_minutes < 1 || limits.known_device_days < 1) {
      throw std::runtime_error("--security.login-* et --security.known-device-days : au moins 1");
    }
    if (s.password_threads < 1 || s.password_threads > 16 || s.password_queue > 64) {
      throw std::runtime_error(
          "--security.password-threads : de 1 à 16 ; --security.password-queue : 64 au plus");
    }
    s.password_cost = {password_ops, password_mem_kib * 1024};
    PasswordHasher check(s.password_cost);  // throws std::invalid_argument when out of bounds
    http_config.Finish(c.http_server);
    ParseLogFormat(c.log_format);  // throws for anything but text or json
    // Sign-ins hold an HTTP worker while they wait for the pool (threads + queue + 1 reserved
    // for known devices): leave at least one to the rest.
    if (s.password_threads + s.password_queue + 1 >= c.http_server.worker_threads) {
      throw std::runtime_error("--security.password-threads + --security.password-queue : " +
                               std::to_string(c.http_server.worker_threads) +
                               " fils HTTP moins deux au plus");
    }
    if (s.json_body_limit > c.http_server.body_limit)
      throw std::runtime_error("--json-body-limit dépasse --http-body-limit");
    CheckMailOptions(c, smtp_starttls);
  } catch (const std::exception& e) {
    std::cerr << "ess-node : " << e.what() << "\n(voir ess-node --help)\n";
    return {std::nullopt, 2};
  }
  return {c, 0};
}

}  // namespace ess::node
