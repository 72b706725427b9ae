// Fuzz target: signed notes, checkpoints and note keys (core/signed_note.h, core/checkpoint.h,
// core/ed25519.h, VerifyCheckpointNote in core/verify.h). The input is a note as a region or
// the hub sends it. Properties:
//   - a note that parses is formatted back to the same bytes (ParseNote is strict: one
//     spelling per note), and so is a checkpoint text that parses (Checkpoint::Text);
//   - a verifier or signer key line that parses is formatted back to the same line (its key id
//     in lower case);
//   - VerifyCheckpointNote accepts only the genuine checkpoints of the test-vector log, and
//     only with the genuine signature bytes of the keys of the ring;
//   - a cosignature that verifies is the genuine one for its text and time.
#include <cstddef>
#include <cstdint>

#include "core/verify.h"
#include "tests/fuzz/batch_fixture.h"

namespace {

using namespace ess;
using fuzz::Check;

struct NoteFixture {
  fuzz::VectorFixture log;
  RegionKeyRing ring = log.Ring(fuzz::ReplicaState::kBeforeLast);
  Ed25519Signer hub = Ed25519Signer::FromSeed(test::SeedOf(0x40));
  std::string hub_name = std::string(kDefaultFederation) + "/hub";
};

const NoteFixture& Fixture() {
  static const NoteFixture* fixture = new NoteFixture();
  return *fixture;
}

// A key line with its key id (the 8 hex digits after the name: a name has no '+', base64 may)
// in lower case: the id is read in either case, as Go's note package reads it, and written in
// lower case.
std::string LowerKeyId(std::string_view line) {
  std::string out(line);
  const std::size_t name = out.starts_with("PRIVATE+KEY+") ? 12 : 0;
  const std::size_t plus = out.find('+', name);
  if (plus == std::string::npos) return out;
  for (std::size_t i = plus + 1; i < out.size() && i <= plus + 8; ++i) {
    if (out[i] >= 'A' && out[i] <= 'F') out[i] = static_cast<char>(out[i] - 'A' + 'a');
  }
  return out;
}

void CheckKeyLines(std::string_view text) {
  while (!text.empty()) {
    auto eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    if (auto key = ParseVerifierKey(line)) {
      Check(FormatVerifierKey(key->name, key->public_key) == LowerKeyId(line),
            "ParseVerifierKey then FormatVerifierKey gives another line");
      Check(key->key_id == NoteKeyId(key->name, kEd25519SignatureType, key->public_key),
            "a parsed verifier key has another key id than its key's");
    }
    if (auto signer = ParseSignerKey(line)) {
      Check(FormatSignerKey(signer->name, signer->signer) == LowerKeyId(line),
            "ParseSignerKey then FormatSignerKey gives another line");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const NoteFixture& f = Fixture();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  CheckKeyLines(input);

  Checkpoint direct;
  if (ParseCheckpointText(input, direct).ok()) {
    Check(direct.Text() == input, "ParseCheckpointText then Text gives another text");
  }
  auto note = ParseNote(input);
  Checkpoint verified;
  const bool accepted = VerifyCheckpointNote(input, f.ring, verified).ok();
  if (!note) {
    Check(!accepted, "VerifyCheckpointNote accepted what ParseNote refuses");
    return 0;
  }
  Check(FormatNote(*note) == input, "ParseNote then FormatNote gives another note");
  Check(note->signatures.size() <= kMaxNoteSignatures, "more signatures than the limit");

  Checkpoint cp;
  const bool is_checkpoint = ParseCheckpointText(note->text, cp).ok();
  if (is_checkpoint) Check(cp.Text() == note->text, "checkpoint text does not round-trip");
  if (accepted) {
    Check(is_checkpoint && verified == cp, "accepted checkpoint is not the note's text");
    Check(f.log.IsSignedText(note->text),
          "VerifyCheckpointNote accepted a checkpoint the region did not sign");
  }
  for (const NoteSignature& sig : note->signatures) {
    if (accepted && sig.name == f.ring.origin() && f.ring.FindByKeyId(sig.key_id)) {
      const Ed25519Signer& signer = sig.key_id == f.log.Key(f.log.first_signer).key_id
                                        ? f.log.first_signer
                                        : f.log.next_signer;
      Check(sig.signature == SignNoteText(note->text, sig.name, signer).signature,
            "VerifyCheckpointNote accepted signature bytes other than the genuine ones");
    }
    std::uint64_t time = 0;
    if (VerifyCosignature(note->text, sig, f.hub_name, f.hub.public_key(), &time)) {
      Check(sig == Cosign(note->text, f.hub_name, f.hub, time),
            "a cosignature verifies with other bytes than the genuine ones");
    }
  }
  return 0;
}
