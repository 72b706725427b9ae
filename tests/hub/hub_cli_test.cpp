// The hub's command line and essctl's hub, node and pilot commands: help, the documented
// example configuration, refused options and admin mistakes, each with its exit code and message.
#include <doctest/doctest.h>

#include "core/password_rules.h"
#include "core/pg_pool.h"
#include "hub/pilot/pilot_accounts.h"
#include "hub/store/hub_statements.h"
#include "tests/hub/hub_processes.h"
#include "tests/hub/hub_test_support.h"
#include "tests/support/temp_postgres.h"

using namespace ess;
using namespace ess::test;

namespace {

CommandResult RunHub(const TempDir& dir, const std::vector<std::string>& args) {
  ChildProcess p(BuiltExecutable("hub/ess-hub"), args, dir.File("hub-run.log"));
  auto code = p.Wait(30s);
  REQUIRE(code);
  CommandResult out{*code, ReadFile(dir.File("hub-run.log"))};
  std::remove(dir.File("hub-run.log").c_str());
  return out;
}

}  // namespace

TEST_CASE("ess-hub: help, the example configuration, refused TLS options") {
  TempDir dir;
  auto help = RunHub(dir, {"--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.output.find("--tls-client-ca") != std::string::npos);
  CHECK(help.output.find("--referential") != std::string::npos);
  // The documented example parses; it stops at its key file, which is not here.
  auto example = RunHub(dir, {"--config", std::string(ESS_SOURCE_DIR) + "/deploy/hub.example.conf",
                              "--key-file", dir.File("absent.key")});
  CHECK(example.exit_code == 1);
  CHECK(example.output.find("absent.key") != std::string::npos);
  auto half_tls = RunHub(dir, {"--database", "x", "--key-file", "k", "--tls-cert", "c.pem"});
  CHECK(half_tls.exit_code == 2);
  CHECK(half_tls.output.find("--tls-cert et --tls-key") != std::string::npos);
  auto ca_only = RunHub(dir, {"--database", "x", "--key-file", "k", "--tls-client-ca", "ca.pem"});
  CHECK(ca_only.exit_code == 2);
  // The HTTP limits, declared once for both services (http/http_server_config.h).
  CHECK(help.output.find("--http-trusted-proxies") != std::string::npos);
  auto bad_proxy = RunHub(
      dir, {"--database", "x", "--key-file", "k", "--http-trusted-proxies", "10.0.0.1, proxy"});
  CHECK(bad_proxy.exit_code == 2);
  CHECK(bad_proxy.output.find("--http-trusted-proxies : adresse IP illisible « proxy »") !=
        std::string::npos);
  auto small_buffer =
      RunHub(dir, {"--database", "x", "--key-file", "k", "--http-body-buffer-limit", "1000"});
  CHECK(small_buffer.exit_code == 2);
  CHECK(small_buffer.output.find("--http-body-buffer-limit") != std::string::npos);
  // Who may frame the embed page: CSP sources only (http/web_site.h ParseFrameAncestors).
  CHECK(help.output.find("--embed-frame-ancestors") != std::string::npos);
  auto bad_frame = RunHub(dir, {"--database", "x", "--key-file", "k", "--embed-frame-ancestors",
                                "https://a.example; script-src *"});
  CHECK(bad_frame.exit_code == 2);
  CHECK(bad_frame.output.find(
            "--embed-frame-ancestors : « https://a.example; » n'est pas une source permise") !=
        std::string::npos);
  // The feeds' links: an absolute http(s) address, nothing a page could run.
  CHECK(help.output.find("--public-url") != std::string::npos);
  for (const char* bad : {"javascript:alert(1)", "carte.example", "https://carte.example/?a=1"}) {
    auto refused = RunHub(dir, {"--database", "x", "--key-file", "k", "--public-url", bad});
    CHECK_MESSAGE(refused.exit_code == 2, bad);
    CHECK(refused.output.find("--public-url : une adresse http ou https absolue") !=
          std::string::npos);
  }
}

TEST_CASE("essctl: enrolment mistakes are refused with a reason") {
  TempDir dir;
  TestDatabase hub_db;
  const std::string db = hub_db.connection_string();
  auto empty = RunEssctl(dir, {"region", "show", "--database", db});
  CHECK(empty.exit_code == 0);
  CHECK(empty.output.find("aucune région inscrite") != std::string::npos);
  const std::string key = MakeKey(dir, "ess-federation/region/93", "paca.key");
  auto wrong_region = RunEssctl(dir, {"region", "enrol", "--database", db, "--region", "76",
                                      "--verifier-key", VerifierKeyOf(key)});
  CHECK(wrong_region.exit_code == 1);
  CHECK(wrong_region.output.find("attendu « ess-federation/region/76 »") != std::string::npos);
  auto not_a_region = RunEssctl(dir, {"region", "enrol", "--database", db, "--region", "99",
                                      "--verifier-key", VerifierKeyOf(key)});
  CHECK(not_a_region.exit_code == 1);
  auto ok = RunEssctl(dir, {"region", "enrol", "--database", db, "--region", "93", "--verifier-key",
                            VerifierKeyOf(key)});
  CHECK(ok.exit_code == 0);
  const std::string fingerprint = KeyFingerprint(ReadKeyFile(key).signer.public_key());
  CHECK(ok.output.find(fingerprint) != std::string::npos);
  auto pubkey = RunEssctl(dir, {"pubkey", "--key", key});
  CHECK(pubkey.output.find(fingerprint) != std::string::npos);  // what both admins compare
  CHECK(RunEssctl(dir, {"region", "enrol", "--database", db, "--region", "93", "--verifier-key",
                        VerifierKeyOf(key)})
            .exit_code == 1);
  auto no_confirm = RunEssctl(dir, {"region", "reset", "--database", db, "--region", "93"});
  CHECK(no_confirm.exit_code == 2);
  CHECK(no_confirm.output.find("--confirm") != std::string::npos);
  CHECK(RunEssctl(dir, {"region", "reactivate", "--database", db, "--region", "93"}).exit_code == 1);
  CHECK(RunEssctl(dir, {"region", "revoke-key", "--database", db, "--region", "93", "--key", "nope"})
            .exit_code == 1);
  CHECK(RunEssctl(dir, {"region", "add-key", "--database", db, "--region", "93", "--verifier-key",
                        VerifierKeyOf(key), "--from-index", "x"})
            .exit_code == 2);
  CHECK(RunEssctl(dir, {"region", "frobnicate", "--database", db}).exit_code == 2);
  CHECK(RunEssctl(dir, {"fingerprint", "--verifier-key", "pas une clé"}).exit_code == 2);
  auto show = RunEssctl(dir, {"region", "show", "--database", db, "--region", "93"});
  CHECK(show.output.find("Provence-Alpes-Côte d'Azur") != std::string::npos);
  CHECK(show.output.find("copie au hub : 0 entrées") != std::string::npos);
}

TEST_CASE("essctl hub key: the hub's cosigning key as GET /api/hub/key serves it") {
  TempDir dir;
  const std::string file = MakeKey(dir, "ess-federation/hub", "hub.key");
  const NamedSigner key = ReadKeyFile(file);
  auto shown = RunEssctl(dir, {"hub", "key", "--key-file", file});
  CHECK(shown.exit_code == 0);
  // The API serves FormatCosignerVerifierKey and KeyFingerprint of its key (hub_http_api_test).
  CHECK(shown.output ==
        "nom                 : ess-federation/hub\n"
        "clé de vérification : " +
            FormatCosignerVerifierKey(key.name, key.signer.public_key()) +
            "\n"
            "clé publique        : " +
            ToBase64(key.signer.public_key()) +
            "\n"
            "empreinte           : " +
            KeyFingerprint(key.signer.public_key()) + "\n");

  // The hub key of docs/protocol.md's test vectors gives the vectors' verifier key.
  const std::string vector_file = dir.File("vector-hub.key");
  WriteKeyFile(vector_file, *ParseSignerKey("PRIVATE+KEY+ess-federation/hub+10469ccc+"
                                            "AUBBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5f"));
  auto vector = RunEssctl(dir, {"hub", "key", "--key-file", vector_file});
  CHECK(vector.exit_code == 0);
  // Exactly the example of docs/replication.md, section 1.
  CHECK(vector.output ==
        "nom                 : ess-federation/hub\n"
        "clé de vérification : ess-federation/hub+c62fcc99+"
        "BCVDuS/xCVURR2rcg2nbbdyTNmWhGXjdoUBO4QZsqVWd\n"
        "clé publique        : JUO5L/EJVRFHatyDadtt3JM2ZaEZeN2hQE7hBmypVZ0=\n"
        "empreinte           : 0339:6219:237f:75a6:4f12:aeb7:f397:23ab\n");

  auto help = RunEssctl(dir, {"--help"});
  CHECK(help.output.find("essctl hub key --key-file FICHIER") != std::string::npos);
  auto no_file = RunEssctl(dir, {"hub", "key"});
  CHECK(no_file.exit_code == 2);
  CHECK(no_file.output.find("--key-file est requis") != std::string::npos);
  CHECK(RunEssctl(dir, {"hub", "frobnicate"}).exit_code == 2);
  auto absent = RunEssctl(dir, {"hub", "key", "--key-file", dir.File("absent.key")});
  CHECK(absent.exit_code == 1);
  CHECK(absent.output.find("absent.key") != std::string::npos);
}

TEST_CASE(
    "essctl pilot: accounts created with a drawn password that the hub accepts, listed, "
    "disabled, refused mistakes") {
  TempDir dir;
  TestDatabase hub_db;
  const std::string db = hub_db.connection_string();
  const std::vector<std::string> fast = {"--password-ops", "1", "--password-mem-kib", "8"};
  auto with = [&](std::vector<std::string> args) {
    args.insert(args.end(), fast.begin(), fast.end());
    return RunEssctl(dir, args);
  };
  auto added = with({"pilot", "add", "--database", db, "--email", "Pilote@example.org", "--name",
                     "Camille Pilote"});
  REQUIRE(added.exit_code == 0);
  CHECK(added.output.find("compte de pilotage créé : pilote@example.org (Camille Pilote)") !=
        std::string::npos);
  const std::string marker = "par un canal sûr) : ";
  const auto at = added.output.find(marker);
  REQUIRE(at != std::string::npos);
  // The drawn password, to the end of its line.
  auto drawn_after = [&](const std::string& output, std::size_t from) {
    const std::size_t start = from + marker.size();
    return output.substr(start, output.find('\n', start) - start);
  };
  const std::string password = drawn_after(added.output, at);
  CHECK(password.size() == ess::kDrawnPasswordLength);

  // The hub signs the pilot in with it.
  PgPool pool(
      {db, 1, std::chrono::seconds(10), [](pqxx::connection& c) { hub::PrepareHubStatements(c); }});
  SystemClock clock;
  hub::PilotSecurity security;
  security.cost = PasswordHashCost::Minimum();
  hub::PilotAccounts pilots(pool, clock, security);
  CHECK(pilots.SignIn("pilote@example.org", password, "192.0.2.1").ok());
  CHECK_FALSE(pilots.SignIn("pilote@example.org", "autre chose", "192.0.2.1").ok());

  auto again = with(
      {"pilot", "add", "--database", db, "--email", "pilote@example.org", "--name", "Doublon"});
  CHECK(again.exit_code == 1);
  CHECK(again.output.find("Un compte existe déjà pour cette adresse.") != std::string::npos);
  // The password is read from stdin, never from argv: an empty stdin is refused.
  auto empty = RunEssctl(dir, {"pilot", "add", "--database", db, "--email", "b@example.org",
                               "--name", "B", "--password-stdin"});
  CHECK(empty.exit_code == 2);
  CHECK(empty.output.find("mot de passe vide") != std::string::npos);
  CHECK(RunEssctl(dir, {"pilot", "add", "--database", db, "--name", "B"}).exit_code == 2);

  auto list = RunEssctl(dir, {"pilot", "list", "--database", db});
  CHECK(list.output.find("pilote@example.org (Camille Pilote) : pilot, actif") !=
        std::string::npos);
  CHECK(RunEssctl(dir, {"pilot", "disable", "--database", db, "--email", "pilote@example.org"})
            .exit_code == 0);
  CHECK_FALSE(pilots.SignIn("pilote@example.org", password, "192.0.2.2").ok());
  CHECK(RunEssctl(dir, {"pilot", "list", "--database", db}).output.find("suspendu") !=
        std::string::npos);
  CHECK(RunEssctl(dir, {"pilot", "enable", "--database", db, "--email", "pilote@example.org"})
            .exit_code == 0);
  auto reset = with({"pilot", "set-password", "--database", db, "--email", "pilote@example.org"});
  REQUIRE(reset.exit_code == 0);
  const auto new_at = reset.output.find(marker);
  REQUIRE(new_at != std::string::npos);
  CHECK(pilots.SignIn("pilote@example.org", drawn_after(reset.output, new_at), "192.0.2.3").ok());
  CHECK(RunEssctl(dir, {"pilot", "disable", "--database", db, "--email", "x@example.org"})
            .exit_code == 1);
  CHECK(RunEssctl(dir, {"pilot", "frobnicate", "--database", db}).exit_code == 2);
  CHECK(RunEssctl(dir, {"--help"}).output.find("essctl pilot add") != std::string::npos);
}
