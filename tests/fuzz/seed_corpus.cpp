// Writes the seed corpus of every fuzz target into <dir>/<target>/ (tests/fuzz/corpus/):
// valid inputs made from docs/protocol.md's test vectors and from the shapes the node's
// tests send. Run by hand after a deliberate change of a format, and commit the output:
//   build/fuzz/tests/fuzz/fuzz_seed_corpus tests/fuzz/corpus
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "core/payload_schema.h"
#include "tests/fuzz/batch_fixture.h"

namespace {

using namespace ess;
namespace fs = std::filesystem;

void Write(const fs::path& dir, const std::string& name, std::string_view bytes) {
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

void EntryBatchSeeds(const fs::path& dir, const fuzz::VectorFixture& f) {
  int n = 0;
  for (const fuzz::FuzzBatch& b : fuzz::GenuineBatches(f)) {
    Write(dir, "batch-" + std::to_string(n++), AsString(fuzz::EncodeFuzzBatch(b)));
  }
}

void SignedNoteSeeds(const fs::path& dir, const fuzz::VectorFixture& f) {
  for (std::uint64_t size = 0; size <= f.log.size(); ++size) {
    Write(dir, "checkpoint-" + std::to_string(size), f.Note(size));
  }
  const std::string hub_name = std::string(kDefaultFederation) + "/hub";
  const Ed25519Signer hub = Ed25519Signer::FromSeed(test::SeedOf(0x40));
  Note cosigned = *ParseNote(f.Note(8));
  cosigned.signatures.push_back(Cosign(cosigned.text, hub_name, hub, 1'767'225'610));
  Write(dir, "cosigned-8", FormatNote(cosigned));
  Write(dir, "extension-4", SignCheckpoint(f.Extended(), f.first_signer));
  Write(dir, "verifier-keys",
        FormatVerifierKey(f.log.origin(), f.first_signer.public_key()) + "\n" +
            FormatCosignerVerifierKey(hub_name, hub.public_key()) + "\n");
  Write(dir, "signer-key", FormatSignerKey(f.log.origin(), f.next_signer) + "\n");
}

void PayloadSchemaSeeds(const fs::path& dir) {
  const auto& schemas = PayloadSchemas();
  int n = 0;
  for (const auto& e : test::ProtocolVectorEntries()) {
    const PayloadSchema* schema = &PayloadSchemaFor(e.operation, e.kind);
    std::size_t index = 0;
    while (&schemas[index] != schema) ++index;
    Write(dir, "vector-" + std::to_string(n++),
          std::string(1, static_cast<char>(index)) + e.payload);
  }
}

void JsonBodySeeds(const fs::path& dir) {
  int n = 0;
  for (const auto& e : test::ProtocolVectorEntries())
    Write(dir, "vector-" + std::to_string(n++), e.payload);
  Write(dir, "login", R"({"email":"admin@region.example","password":"correct horse battery"})");
  Write(dir, "report",
        "{\"reason\":\"Adresse erron\xC3\xA9"
        "e \\u00e9\\ud83d\\ude00\",\"n\":-1.5e3,\"ok\":null}");
  Write(dir, "nested", R"({"a":[1,2,{"b":[true,false,null]}],"c":{"d":18446744073709551615}})");
}

void CsvSeeds(const fs::path& dir) {
  Write(dir, "import",
        std::string(1, 1) +
            "\xEF\xBB\xBFNom;Famille;Statut;Activit\xC3\xA9s;Code "
            "INSEE;SIRET;Employeur;Courriel;Lat;Lon\r\n"
            "AMAP du Vieux-Port;association;association_loi_1901;alimentation;13055;;oui;"
            "amap@perso.example;43,2951;5,3744\r\n"
            "\"\xC3\x89picerie \"\"du\"\" Panier\";association;association_loi_1901;\"a|b\";13055;"
            "12345678901234;non;;;\r\n\r\n\"a;b\nc\";x;=SUM(A1);-5.30000;;;;;;\n");
  Write(dir, "commas", std::string(1, 0) + "name,city\n\"Coop, Marseille\",13055\nx,\"y\"\"z\"\n");
  Write(dir, "tabs", std::string(1, 2) + "a\tb\r\n1\t\"2\t3\"\r\n");
  // A ';' file as French Excel saves "CSV" on Windows: Windows-1252, French headers and labels.
  Write(dir, "semicolon-windows-1252",
        std::string(1, 1) +
            "Nom;Famille de l'ESS;Forme juridique;Activit\xE9s;Commune;Code postal;T\xE9l\xE9phone;"
            "Employeur\r\n"
            "\x9C"
            "uvre d'\xE9picerie;Association;Association loi 1901;Alimentation et circuits "
            "courts;Marseille;13001;04 91 00 00 00;oui\r\n"
            "\"Caf\xE9 \x93solidaire\x94\nsur deux "
            "lignes\";Coop\xE9rative;SCOP;emploi;Aix-en-Provence;;;x\r\n");
}

void HttpRequestSeeds(const fs::path& dir) {
  const std::string id = "00000000-0000-4000-8000-000000000003";
  const std::string json = R"({"reason":"doublon"})";
  Write(dir, "get-page", "GET / HTTP/1.1\r\nHost: node.example\r\nAccept: text/html\r\n\r\n");
  Write(dir, "get-api",
        "GET /api/initiatives/" + id +
            "?q=%C3%A9picerie&page=2&zoom=7 HTTP/1.1\r\nHost: x\r\n"
            "Cookie: lang=fr; ess_session=abc123\r\nIf-None-Match: \"1-2\"\r\n\r\n");
  Write(dir, "post-json",
        "POST /api/initiatives/" + id +
            "/reports HTTP/1.1\r\nHost: x\r\nContent-Type: "
            "application/json\r\nX-CSRF-Token: t0k3n\r\nX-Forwarded-For: 203.0.113.7, 10.0.0.1\r\n"
            "Content-Length: " +
            std::to_string(json.size()) + "\r\n\r\n" + json);
  Write(dir, "chunked-pipelined",
        "PUT /api/admin/rules HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: "
        "application/json\r\n\r\n5\r\n{\"a\":\r\n2\r\n1}\r\n0\r\n\r\n"
        "HEAD /common/app.js HTTP/1.1\r\nHost: x\r\n\r\n"
        "DELETE /api/sessions/current HTTP/1.0\r\n\r\n");
  Write(dir, "static-escape",
        "GET /generated/..%2F..%2Fsecret.txt HTTP/1.1\r\nHost: x\r\n\r\n"
        "GET /escape/secret.txt HTTP/1.1\r\nHost: x\r\n\r\n"
        "GET /comite HTTP/1.1\r\nHost: x\r\n\r\n"
        "GET /modifier/abc HTTP/1.1\r\nHost: x\r\n\r\n"
        "GET /site.json HTTP/1.1\r\nHost: x\r\n\r\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fuzz_seed_corpus <corpus dir>\n";
    return 2;
  }
  const fs::path out(argv[1]);
  const fuzz::VectorFixture fixture;
  EntryBatchSeeds(out / "entry_batch", fixture);
  SignedNoteSeeds(out / "signed_note", fixture);
  PayloadSchemaSeeds(out / "payload_schema");
  JsonBodySeeds(out / "json_body");
  CsvSeeds(out / "csv");
  HttpRequestSeeds(out / "http_request");
  return 0;
}
