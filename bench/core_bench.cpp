// Throughput of the signed-record core, with the peer library measured side by side in the
// same run: Ed25519 and SHA-256 in libsodium (what we use) against OpenSSL 3's EVP
// one-shot API; and the hub's whole per-batch verification (VerifyBatch) per entry.
#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "core/merkle.h"
#include "core/region_log_verifier.h"
#include "tests/support/test_region_log.h"

using namespace ess;

namespace {

const Bytes kMessage(110, 0x5a);  // about a checkpoint note text

void BM_Ed25519Sign_libsodium(benchmark::State& state) {
  auto signer = Ed25519Signer::FromSeed(test::SeedOf(1));
  for (auto _ : state) benchmark::DoNotOptimize(signer.Sign(kMessage));
}

void BM_Ed25519Verify_libsodium(benchmark::State& state) {
  auto signer = Ed25519Signer::FromSeed(test::SeedOf(1));
  auto sig = signer.Sign(kMessage);
  for (auto _ : state) benchmark::DoNotOptimize(Ed25519Verify(signer.public_key(), kMessage, sig));
}

EVP_PKEY* OpenSslKey() {
  auto seed = test::SeedOf(1);
  return EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size());
}

void BM_Ed25519Sign_OpenSSL(benchmark::State& state) {
  EVP_PKEY* key = OpenSslKey();
  unsigned char sig[64];
  for (auto _ : state) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    size_t len = sizeof sig;
    EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, key);
    EVP_DigestSign(ctx, sig, &len, kMessage.data(), kMessage.size());
    EVP_MD_CTX_free(ctx);
    benchmark::DoNotOptimize(sig);
  }
  EVP_PKEY_free(key);
}

void BM_Ed25519Verify_OpenSSL(benchmark::State& state) {
  EVP_PKEY* key = OpenSslKey();
  unsigned char sig[64];
  size_t len = sizeof sig;
  EVP_MD_CTX* sctx = EVP_MD_CTX_new();
  EVP_DigestSignInit(sctx, nullptr, nullptr, nullptr, key);
  EVP_DigestSign(sctx, sig, &len, kMessage.data(), kMessage.size());
  EVP_MD_CTX_free(sctx);
  for (auto _ : state) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, key);
    benchmark::DoNotOptimize(EVP_DigestVerify(ctx, sig, len, kMessage.data(), kMessage.size()));
    EVP_MD_CTX_free(ctx);
  }
  EVP_PKEY_free(key);
}

const Bytes kEntry(74, 0x42);  // an entry of a 2-digit region

void BM_LeafHash_libsodium(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(LeafHash(kEntry));
}

void BM_LeafHash_OpenSSL(benchmark::State& state) {
  unsigned char prefixed[75] = {0};
  std::copy(kEntry.begin(), kEntry.end(), prefixed + 1);
  unsigned char out[32];
  for (auto _ : state) benchmark::DoNotOptimize(SHA256(prefixed, sizeof prefixed, out));
}

// The hub's verification of one full batch (signature, consistency, every entry's format,
// region, index, payload commitment, tree recomputation), reported per entry.
void BM_VerifyBatch(benchmark::State& state) {
  const auto n = static_cast<std::uint64_t>(state.range(0));
  test::TestRegionLog log;
  for (std::uint64_t i = 0; i < n; ++i) {
    log.Append(R"({"name":"Initiative )" + std::to_string(i) +
               R"(","family":"association","commune":"13055","status":"admitted"})");
  }
  RegionKeyRing keys = log.KeyRing();
  std::string note = log.SignedCheckpoint(n);
  auto entries = log.Incoming(0, n);
  test::TestReplica replica;
  for (auto _ : state) {
    auto verdict = VerifyBatch(replica.View(), keys, "93", note, 0, {}, entries, {});
    if (!verdict.verdict.ok()) state.SkipWithError(verdict.verdict.reason.c_str());
    benchmark::DoNotOptimize(verdict);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}

void BM_VerifyInclusion(benchmark::State& state) {
  MemoryMerkleTree tree;
  const std::uint64_t n = 1 << 20;
  for (std::uint64_t i = 0; i < n; ++i) tree.Append(LeafHash(kEntry));
  auto proof = tree.InclusionProof(123'456, n);
  Hash root = tree.Root(), leaf = LeafHash(kEntry);
  for (auto _ : state) benchmark::DoNotOptimize(VerifyInclusion(123'456, n, leaf, proof, root));
}

}  // namespace

BENCHMARK(BM_Ed25519Sign_libsodium);
BENCHMARK(BM_Ed25519Sign_OpenSSL);
BENCHMARK(BM_Ed25519Verify_libsodium);
BENCHMARK(BM_Ed25519Verify_OpenSSL);
BENCHMARK(BM_LeafHash_libsodium);
BENCHMARK(BM_LeafHash_OpenSSL);
BENCHMARK(BM_VerifyBatch)->Arg(256)->Arg(1024);
BENCHMARK(BM_VerifyInclusion);
BENCHMARK_MAIN();
