#include <doctest/doctest.h>

#include "core/ed25519.h"

using namespace ess;

namespace {

template <std::size_t N>
std::array<std::uint8_t, N> Fixed(std::string_view hex) {
  auto b = FromHex(hex);
  REQUIRE(b);
  REQUIRE(b->size() == N);
  std::array<std::uint8_t, N> out;
  std::copy(b->begin(), b->end(), out.begin());
  return out;
}

struct Rfc8032Vector {
  const char* secret;
  const char* public_key;
  const char* message;
  const char* signature;
};

// RFC 8032 section 7.1, Ed25519 tests 1, 2, 3 and SHA(abc).
constexpr Rfc8032Vector kVectors[] = {
    {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
    {"833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
     "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
     "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"},
};

}  // namespace

TEST_CASE("RFC 8032 Ed25519 vectors: key derivation, signature, verification") {
  for (const auto& v : kVectors) {
    CAPTURE(v.public_key);
    auto signer = Ed25519Signer::FromSeed(Fixed<32>(v.secret));
    CHECK(ToHex(signer.public_key()) == v.public_key);
    Bytes message = *FromHex(v.message);
    auto sig = signer.Sign(message);
    CHECK(ToHex(sig) == v.signature);
    CHECK(Ed25519Verify(signer.public_key(), message, sig));
    auto bad = sig;
    bad[10] ^= 0x01;
    CHECK_FALSE(Ed25519Verify(signer.public_key(), message, bad));
    message.push_back(0);
    CHECK_FALSE(Ed25519Verify(signer.public_key(), message, sig));
  }
}

TEST_CASE("signed-note key strings round trip and are checked") {
  auto signer = Ed25519Signer::FromSeed(Fixed<32>(kVectors[0].secret));
  std::string vkey = FormatVerifierKey("ess-federation/region/93", signer.public_key());
  auto parsed = ParseVerifierKey(vkey);
  REQUIRE(parsed);
  CHECK(parsed->name == "ess-federation/region/93");
  CHECK(parsed->public_key == signer.public_key());
  CHECK(parsed->key_id ==
        NoteKeyId("ess-federation/region/93", kEd25519SignatureType, signer.public_key()));

  // A key id that does not match the key is refused.
  std::string tampered = vkey;
  auto plus = tampered.find('+');
  tampered[plus + 1] = tampered[plus + 1] == '0' ? '1' : '0';
  CHECK_FALSE(ParseVerifierKey(tampered));
  CHECK_FALSE(ParseVerifierKey("no-plus-signs"));
  CHECK_FALSE(ParseVerifierKey("bad name+00000000+AQ=="));

  std::string skey = FormatSignerKey("ess-federation/region/93", signer);
  CHECK(skey.starts_with("PRIVATE+KEY+ess-federation/region/93+"));
  auto back = ParseSignerKey(skey);
  REQUIRE(back);
  CHECK(back->signer.public_key() == signer.public_key());
  CHECK_FALSE(ParseSignerKey(vkey));
}

TEST_CASE("key names refuse spaces and plus signs") {
  CHECK(IsValidKeyName("ess-federation/region/93"));
  CHECK_FALSE(IsValidKeyName(""));
  CHECK_FALSE(IsValidKeyName("a b"));
  CHECK_FALSE(IsValidKeyName("a+b"));
}

TEST_CASE("fingerprints are stable and differ between keys") {
  auto a = Ed25519Signer::FromSeed(Fixed<32>(kVectors[0].secret));
  auto b = Ed25519Signer::FromSeed(Fixed<32>(kVectors[1].secret));
  CHECK(KeyFingerprint(a.public_key()) == KeyFingerprint(a.public_key()));
  CHECK(KeyFingerprint(a.public_key()) != KeyFingerprint(b.public_key()));
  CHECK(KeyFingerprint(a.public_key()).size() == 39);  // 8 groups of 4 hex digits
}
