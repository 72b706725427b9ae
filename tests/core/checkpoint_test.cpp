#include <doctest/doctest.h>

#include "core/checkpoint.h"
#include "core/sha256.h"
#include "tests/support/test_region_log.h"

using namespace ess;

TEST_CASE("checkpoint text is origin, size, base64 root, extensions") {
  Checkpoint cp{"ess-federation/region/93", 42, Sha256Of(std::string_view("r")), {"ext one"}};
  std::string text = cp.Text();
  CHECK(text == "ess-federation/region/93\n42\n" + ToBase64(cp.root) + "\next one\n");
  Checkpoint back;
  REQUIRE(ParseCheckpointText(text, back).ok());
  CHECK(back == cp);
}

TEST_CASE("checkpoint parsing refuses malformed texts") {
  Checkpoint out;
  std::string root = ToBase64(Sha256Of(std::string_view("r")));
  for (std::string bad : {std::string("o\n1\n"), "o\n01\n" + root + "\n", "o\n-1\n" + root + "\n",
                          std::string("o\n1\nAAAA\n"), "\n1\n" + root + "\n", "o\n1\n" + root,
                          "o\n1\n" + root + "\n\n", "o\n18446744073709551616\n" + root + "\n"}) {
    CAPTURE(bad);
    CHECK(ParseCheckpointText(bad, out).code == VerdictCode::kMalformed);
  }
}

TEST_CASE("signed notes: sign, format, parse, verify") {
  test::TestRegionLog log;
  log.Append();
  std::string note_text = log.SignedCheckpoint(1);
  auto note = ParseNote(note_text);
  REQUIRE(note);
  CHECK(note->text == log.CheckpointAt(1).Text());
  REQUIRE(note->signatures.size() == 1);
  CHECK(note->signatures[0].name == log.origin());
  CHECK(FormatNote(*note) == note_text);
  CHECK(VerifyNoteSignature(note->text, note->signatures[0], log.verifier_key()));
  CHECK_FALSE(VerifyNoteSignature(note->text + "x\n", note->signatures[0], log.verifier_key()));
  // The signature line starts with an em dash (U+2014) and a space.
  CHECK(note_text.find("\n\n\xE2\x80\x94 " + log.origin() + " ") != std::string::npos);
}

TEST_CASE("signed notes: malformed inputs are refused") {
  test::TestRegionLog log;
  std::string good = log.SignedCheckpoint(0);
  std::string error;
  CHECK_FALSE(ParseNote("no signature block\n", &error));
  CHECK_FALSE(error.empty());
  std::string no_dash = good;
  no_dash.replace(no_dash.find("\xE2\x80\x94"), 3, "-");
  CHECK_FALSE(ParseNote(no_dash));
  CHECK_FALSE(ParseNote(good.substr(0, good.size() - 1)));  // no final newline
  std::string control = good;
  control[2] = '\t';
  CHECK_FALSE(ParseNote(control));
  CHECK_FALSE(ParseNote(std::string(kMaxNoteSize + 1, 'a')));
}

TEST_CASE("cosignatures (C2SP tlog-cosignature) verify with their timestamp") {
  test::TestRegionLog log;
  log.Append();
  auto hub = Ed25519Signer::FromSeed(test::SeedOf(100));
  std::string text = log.CheckpointAt(1).Text();
  NoteSignature sig = Cosign(text, "ess-federation/hub", hub, 1'767'225'600);
  CHECK(sig.signature.size() == 72);
  std::uint64_t t = 0;
  CHECK(VerifyCosignature(text, sig, "ess-federation/hub", hub.public_key(), &t));
  CHECK(t == 1'767'225'600);
  NoteSignature later = sig;
  later.signature[7] ^= 1;  // claims another time
  CHECK_FALSE(VerifyCosignature(text, later, "ess-federation/hub", hub.public_key()));
  CHECK_FALSE(VerifyCosignature(text, sig, "other", hub.public_key()));
  // A cosigner key id differs from the same key's Ed25519 note key id (algorithm byte).
  CHECK(CosignerKeyId("ess-federation/hub", hub.public_key()) !=
        NoteKeyId("ess-federation/hub", kEd25519SignatureType, hub.public_key()));
}
