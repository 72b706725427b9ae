// Stream authentication (core/replication_auth.h): who may answer the hub's challenge.
#include <doctest/doctest.h>

#include "core/replication_auth.h"
#include "tests/support/test_region_log.h"

using namespace ess;
using test::TestRegionLog;

namespace {

constexpr std::string_view kHub = "ess-federation/hub";

ReplicationChallenge ChallengeOf(std::uint8_t value) {
  ReplicationChallenge c;
  c.fill(value);
  return c;
}

}  // namespace

TEST_CASE("the region's key answers the challenge; nothing else does") {
  TestRegionLog log;
  const RegionKeyRing keys = log.KeyRing();
  const ReplicationChallenge challenge = ChallengeOf(0x33);
  const Bytes answer = SignReplicationChallenge(log.origin(), log.signer(), kHub, challenge);
  REQUIRE(answer.size() == kReplicationAuthSignatureSize);
  CHECK(VerifyReplicationAuth(keys, "93", kHub, challenge, answer).ok());

  // Another challenge, another hub, a flipped bit, a stranger's key, a cut answer.
  CHECK(VerifyReplicationAuth(keys, "93", kHub, ChallengeOf(0x34), answer).code ==
        VerdictCode::kBadSignature);
  CHECK(VerifyReplicationAuth(keys, "93", "autre/hub", challenge, answer).code ==
        VerdictCode::kBadSignature);
  Bytes flipped = answer;
  flipped.back() ^= 1;
  CHECK(VerifyReplicationAuth(keys, "93", kHub, challenge, flipped).code ==
        VerdictCode::kBadSignature);
  const auto stranger = Ed25519Signer::FromSeed(test::SeedOf(99));
  CHECK(VerifyReplicationAuth(keys, "93", kHub, challenge,
                              SignReplicationChallenge(log.origin(), stranger, kHub, challenge))
            .code == VerdictCode::kUnknownKey);
  CHECK(VerifyReplicationAuth(keys, "93", kHub, challenge, ByteView(answer).first(10)).code ==
        VerdictCode::kMalformed);

  RegionKeyRing revoked = keys;
  REQUIRE(revoked.Revoke(keys.keys()[0].key.key_id));
  CHECK(VerifyReplicationAuth(revoked, "93", kHub, challenge, answer).code ==
        VerdictCode::kRevokedKey);
}

TEST_CASE("the signed challenge can never pass for a checkpoint") {
  TestRegionLog log;
  const std::string message = ReplicationAuthMessage(log.origin(), kHub, ChallengeOf(0));
  CHECK(message.rfind(std::string(kReplicationAuthContext) + "\n", 0) == 0);
  // Presented as a signed note of the region, its first line is not the region's origin.
  Checkpoint cp;
  const Ed25519Signature sig = log.signer().Sign(AsBytes(message));
  Bytes key_and_sig = SignReplicationChallenge(log.origin(), log.signer(), kHub, ChallengeOf(0));
  CHECK(std::equal(sig.begin(), sig.end(), key_and_sig.begin() + 4));
  std::string note = message + "\n\u2014 " + log.origin() + " " + ToBase64(key_and_sig) + "\n";
  CHECK_FALSE(VerifyCheckpointNote(note, log.KeyRing(), cp).ok());
}

TEST_CASE("a rotated key answers with the rotation record that names it") {
  TestRegionLog log;
  log.Append();
  const auto next = Ed25519Signer::FromSeed(test::SeedOf(77));
  VerifierKey next_key = *ParseVerifierKey(FormatVerifierKey(log.origin(), next.public_key()));
  log.Append(EncodeKeyRotation({next_key, 2}), RecordKind::kKeyRotation);
  const RegionKeyRing keys = log.KeyRing();  // the hub has not stored the rotation yet
  const ReplicationChallenge challenge = ChallengeOf(7);
  const Bytes answer = SignReplicationChallenge(log.origin(), next, kHub, challenge);

  RecordProof rotation{log.records()[1].entry_bytes, log.records()[1].payload,
                       log.records()[1].salt, log.tree().InclusionProof(1, 2),
                       log.SignedCheckpoint(2)};
  CHECK(VerifyReplicationAuth(keys, "93", kHub, challenge, answer).code ==
        VerdictCode::kUnknownKey);
  CHECK(VerifyReplicationAuth(keys, "93", kHub, challenge, answer, &rotation).ok());

  // The proof must verify against the ring: signed by the new key itself, it proves nothing.
  RecordProof self_signed = rotation;
  self_signed.checkpoint_note = log.SignedCheckpoint(2, next);
  CHECK_FALSE(VerifyReplicationAuth(keys, "93", kHub, challenge, answer, &self_signed).ok());
  // A proof of another kind of record vouches for no key.
  RecordProof not_rotation{log.records()[0].entry_bytes, log.records()[0].payload,
                           log.records()[0].salt, log.tree().InclusionProof(0, 2),
                           log.SignedCheckpoint(2)};
  CHECK_FALSE(VerifyReplicationAuth(keys, "93", kHub, challenge, answer, &not_rotation).ok());
  // A rotation to another key does not vouch for this one.
  const auto third = Ed25519Signer::FromSeed(test::SeedOf(78));
  CHECK(VerifyReplicationAuth(keys, "93", kHub, challenge,
                              SignReplicationChallenge(log.origin(), third, kHub, challenge),
                              &rotation)
            .code == VerdictCode::kUnknownKey);
}
