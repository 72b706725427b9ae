#include "core/merkle.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/sha256.h"

namespace ess {
namespace {

constexpr std::uint64_t kMaxSize = std::numeric_limits<std::uint64_t>::max();

// ---------------------------------------------------------------------------------------
// Published vectors. Source: github.com/transparency-dev/merkle
//   testonly/constants.go  - LeafInputs, NodeHashes, RootHashes, CompactTrees
//   proof/verify_test.go   - inclusionProofs, consistencyProofs (leaf numbers there are
//                            1-based; converted to 0-based indexes below)
//   proof/proof_test.go    - TestInclusion / TestConsistency node ids (compact.NewNodeID
//                            takes level, then index)
//   rfc6962/rfc6962_test.go - single leaf hash
// ---------------------------------------------------------------------------------------

// clang-format off
constexpr std::array<std::string_view, 8> kLeafInputsHex = {
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
};

// Indexed by tree size, 0..8.
constexpr std::array<std::string_view, 9> kRootsHex = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

// kNodeHashesHex[level][index] for the 8-leaf tree.
const std::vector<std::vector<std::string_view>> kNodeHashesHex = {
    {
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
    },
    {
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    },
    {
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    },
    {
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    },
};

// sha256SomeHash in proof/verify_test.go: an arbitrary non-hash value.
constexpr std::string_view kSomeHashHex =
    "abacaba000000000000000000000000000000000000000000060061e00123456";

// CompactTrees: the compact range (largest subtree first) of each size, as node ids.
const std::vector<std::vector<NodeId>> kCompactTrees = {
    {},
    {{0, 0}},
    {{1, 0}},
    {{1, 0}, {0, 2}},
    {{2, 0}},
    {{2, 0}, {0, 4}},
    {{2, 0}, {1, 2}},
    {{2, 0}, {1, 2}, {0, 6}},
    {{3, 0}},
};

struct InclusionVector {
  std::uint64_t index;
  std::uint64_t size;
  std::vector<std::string_view> proof;
};

const std::vector<InclusionVector> kInclusionVectors = {
    {0, 1, {}},
    {0, 8,
     {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {5, 8,
     {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {2, 3, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
    {1, 5,
     {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
};

struct ConsistencyVector {
  std::uint64_t size1;
  std::uint64_t size2;
  std::vector<std::string_view> proof;
};

const std::vector<ConsistencyVector> kConsistencyVectors = {
    {1, 1, {}},
    {1, 8,
     {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {6, 8,
     {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {2, 5,
     {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
    {6, 7,
     {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
};

// Node ids a proof needs, as sets (the Go tables list them in proof order).
struct NodesVector {
  std::uint64_t a;  // index, or size1
  std::uint64_t b;  // size, or size2
  std::vector<NodeId> ids;
};

const std::vector<NodesVector> kInclusionNodeVectors = {
    {0, 1, {}},
    {0, 2, {{0, 1}}},
    {1, 2, {{0, 0}}},
    {1, 3, {{0, 0}, {0, 2}}},
    {0, 7, {{0, 1}, {1, 1}, {0, 6}, {1, 2}}},
    {1, 7, {{0, 0}, {1, 1}, {0, 6}, {1, 2}}},
    {2, 7, {{0, 3}, {1, 0}, {0, 6}, {1, 2}}},
    {3, 7, {{0, 2}, {1, 0}, {0, 6}, {1, 2}}},
    {4, 7, {{0, 5}, {0, 6}, {2, 0}}},
    {5, 7, {{0, 4}, {0, 6}, {2, 0}}},
    {6, 7, {{1, 2}, {2, 0}}},
    {2, 4, {{0, 3}, {1, 0}}},
    {3, 5, {{0, 2}, {1, 0}, {0, 4}}},
    {3, 6, {{0, 2}, {1, 0}, {1, 2}}},
    {4, 6, {{0, 5}, {2, 0}}},
    {10, 15, {{0, 11}, {1, 4}, {0, 14}, {1, 6}, {3, 0}}},
    {24, 31, {{0, 25}, {1, 13}, {0, 30}, {1, 14}, {3, 2}, {4, 0}}},
    {81, 95, {{0, 80}, {1, 41}, {2, 21}, {0, 94}, {1, 46}, {2, 22}, {4, 4}, {6, 0}}},
};

const std::vector<NodesVector> kConsistencyNodeVectors = {
    {1, 2, {{0, 1}}},
    {1, 4, {{0, 1}, {1, 1}}},
    {1, 6, {{0, 1}, {1, 1}, {1, 2}}},
    {2, 3, {{0, 2}}},
    {2, 8, {{1, 1}, {2, 1}}},
    {3, 7, {{0, 2}, {0, 3}, {1, 0}, {0, 6}, {1, 2}}},
    {4, 7, {{0, 6}, {1, 2}}},
    {5, 7, {{0, 4}, {0, 5}, {0, 6}, {2, 0}}},
    {6, 7, {{1, 2}, {0, 6}, {2, 0}}},
    {7, 8, {{0, 6}, {0, 7}, {1, 2}, {2, 0}}},
    {1, 1, {}},
    {2, 2, {}},
    {3, 3, {}},
    {4, 4, {}},
    {5, 5, {}},
    {7, 7, {}},
    {8, 8, {}},
    {2, 4, {{1, 1}}},
    {3, 5, {{0, 2}, {0, 3}, {1, 0}, {0, 4}}},
    {3, 6, {{0, 2}, {0, 3}, {1, 0}, {1, 2}}},
    {4, 6, {{1, 2}}},
    {1, 7, {{0, 1}, {1, 1}, {0, 6}, {1, 2}}},
    {10, 15, {{1, 4}, {1, 5}, {0, 14}, {1, 6}, {3, 0}}},
    {24, 31, {{3, 2}, {0, 30}, {1, 14}, {2, 6}, {4, 0}}},
    {81, 95, {{0, 80}, {0, 81}, {1, 41}, {2, 21}, {0, 94}, {1, 46}, {2, 22}, {4, 4}, {6, 0}}},
};

// clang-format on

// ---------------------------------------------------------------------------------------
// Helpers. Hashes and proofs are compared as hex strings so doctest prints them on failure.
// ---------------------------------------------------------------------------------------

Hash H(std::string_view hex) {
  auto hash = HashFromHex(hex);
  REQUIRE(hash.has_value());
  return *hash;
}

std::vector<Hash> Hashes(const std::vector<std::string_view>& hexes) {
  std::vector<Hash> out;
  for (auto hex : hexes) out.push_back(H(hex));
  return out;
}

std::string Hex(const Hash& hash) { return ToHex(hash); }

std::string Hex(const std::vector<Hash>& hashes) {
  std::string out = "[";
  for (const Hash& hash : hashes) out += (out.size() > 1 ? "," : "") + ToHex(hash);
  return out + "]";
}

std::string Str(const std::vector<NodeId>& ids) {
  std::string out = "[";
  for (const NodeId& id : ids) {
    out += "(" + std::to_string(id.level) + "," + std::to_string(id.index) + ")";
  }
  return out + "]";
}

std::vector<NodeId> Sorted(std::vector<NodeId> ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

Bytes LeafInput(std::size_t i) {
  auto bytes = FromHex(kLeafInputsHex.at(i));
  REQUIRE(bytes.has_value());
  return *bytes;
}

// The first n entries: the published leaf inputs, then distinct made-up ones.
std::vector<Bytes> TestEntries(std::size_t n) {
  std::vector<Bytes> entries;
  for (std::size_t i = 0; i < n; ++i) {
    entries.push_back(i < kLeafInputsHex.size() ? LeafInput(i)
                                                : ToBytes("entry " + std::to_string(i)));
  }
  return entries;
}

MemoryMerkleTree TreeOf(const std::vector<Bytes>& entries) {
  MemoryMerkleTree tree;
  for (const Bytes& entry : entries) tree.AppendEntry(entry);
  return tree;
}

Hash Flipped(Hash hash, std::size_t byte = 0, std::uint8_t mask = 0x08) {
  hash[byte] ^= mask;
  return hash;
}

// ---------------------------------------------------------------------------------------
// Reference: RFC 9162 2.1.1, 2.1.3.1 and 2.1.4.1 transcribed literally, hashing with Sha256
// directly so that it shares nothing with the code under test but the hash function.
// Quadratic and recursive on purpose; only for small trees.
// ---------------------------------------------------------------------------------------

using Entries = std::span<const Bytes>;

std::size_t RefSplit(std::size_t n) {
  std::size_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

Hash RefMth(Entries d) {
  if (d.empty()) return Sha256().Finish();
  if (d.size() == 1) return Sha256().Add(std::uint8_t{0}).Add(ByteView(d[0])).Finish();
  const std::size_t k = RefSplit(d.size());
  return Sha256().Add(std::uint8_t{1}).Add(RefMth(d.first(k))).Add(RefMth(d.subspan(k))).Finish();
}

std::vector<Hash> RefPath(std::size_t m, Entries d) {
  if (d.size() <= 1) return {};
  const std::size_t k = RefSplit(d.size());
  std::vector<Hash> path;
  if (m < k) {
    path = RefPath(m, d.first(k));
    path.push_back(RefMth(d.subspan(k)));
  } else {
    path = RefPath(m - k, d.subspan(k));
    path.push_back(RefMth(d.first(k)));
  }
  return path;
}

std::vector<Hash> RefSubproof(std::size_t m, Entries d, bool b) {
  if (m == d.size()) return b ? std::vector<Hash>{} : std::vector<Hash>{RefMth(d)};
  const std::size_t k = RefSplit(d.size());
  std::vector<Hash> proof;
  if (m <= k) {
    proof = RefSubproof(m, d.first(k), b);
    proof.push_back(RefMth(d.subspan(k)));
  } else {
    proof = RefSubproof(m - k, d.subspan(k), false);
    proof.push_back(RefMth(d.first(k)));
  }
  return proof;
}

std::vector<Hash> RefProof(std::size_t m, Entries d) {
  // The RFC defines PROOF only for 0 < m < n; the library returns an empty proof otherwise.
  if (m == 0 || m == d.size()) return {};
  return RefSubproof(m, d, true);
}

// ---------------------------------------------------------------------------------------
// Mutations (after proof/verify_test.go's corruptInclusionProof / corruptConsistencyProof).
// ---------------------------------------------------------------------------------------

std::vector<Hash> With(std::vector<Hash> proof, const Hash& extra) {
  proof.push_back(extra);
  return proof;
}

std::vector<Hash> Prepended(const Hash& extra, const std::vector<Hash>& proof) {
  std::vector<Hash> out{extra};
  out.insert(out.end(), proof.begin(), proof.end());
  return out;
}

void CheckInclusionMutationsRejected(std::uint64_t index, std::uint64_t size, const Hash& leaf,
                                     const std::vector<Hash>& proof, const Hash& root) {
  CAPTURE(index);
  CAPTURE(size);
  REQUIRE(VerifyInclusion(index, size, leaf, proof, root));

  const Hash zero{};
  CHECK_FALSE(VerifyInclusion(index, size, LeafHash(AsBytes("WrongLeaf")), proof, root));
  CHECK_FALSE(VerifyInclusion(index, size, Flipped(leaf), proof, root));
  CHECK_FALSE(VerifyInclusion(index - 1, size, leaf, proof, root));  // wraps for index 0
  CHECK_FALSE(VerifyInclusion(index + 1, size, leaf, proof, root));
  CHECK_FALSE(VerifyInclusion(index ^ 2, size, leaf, proof, root));
  CHECK_FALSE(VerifyInclusion(index, size * 2, leaf, proof, root));
  CHECK_FALSE(VerifyInclusion(index, size / 2, leaf, proof, root));
  CHECK_FALSE(VerifyInclusion(index, size, leaf, proof, EmptyTreeRoot()));
  CHECK_FALSE(VerifyInclusion(index, size, leaf, proof, Flipped(root, 31, 0x01)));
  CHECK_FALSE(VerifyInclusion(index, size, leaf, With(proof, zero), root));
  CHECK_FALSE(VerifyInclusion(index, size, leaf, With(proof, root), root));
  // An extra hash with a root recomputed to match: only the proof length betrays it.
  CHECK_FALSE(VerifyInclusion(index, size, leaf, With(proof, zero), InteriorHash(zero, root)));
  CHECK_FALSE(VerifyInclusion(index, size, leaf, Prepended(zero, proof), root));
  CHECK_FALSE(VerifyInclusion(index, size, leaf, Prepended(root, proof), root));
  for (std::size_t i = 0; i < proof.size(); ++i) {
    CAPTURE(i);
    auto flipped = proof;
    flipped[i] = Flipped(flipped[i]);
    CHECK_FALSE(VerifyInclusion(index, size, leaf, flipped, root));
  }
  if (!proof.empty()) {
    const std::vector<Hash> truncated(proof.begin(), proof.end() - 1);
    CHECK_FALSE(VerifyInclusion(index, size, leaf, truncated, root));
  }
  if (proof.size() > 1) {
    auto inserted = proof;
    inserted.insert(inserted.begin() + 1, H(kSomeHashHex));
    CHECK_FALSE(VerifyInclusion(index, size, leaf, inserted, root));
  }
}

void CheckConsistencyMutationsRejected(std::uint64_t size1, std::uint64_t size2, const Hash& root1,
                                       const Hash& root2, const std::vector<Hash>& proof) {
  CAPTURE(size1);
  CAPTURE(size2);
  REQUIRE(VerifyConsistency(size1, size2, root1, root2, proof));
  REQUIRE_FALSE(proof.empty());  // Empty proofs carry nothing to corrupt.

  const Hash zero{};
  CHECK_FALSE(VerifyConsistency(size1 - 1, size2, root1, root2, proof));
  CHECK_FALSE(VerifyConsistency(size1 + 1, size2, root1, root2, proof));
  CHECK_FALSE(VerifyConsistency(size1 ^ 2, size2, root1, root2, proof));
  CHECK_FALSE(VerifyConsistency(size1, size2 * 2, root1, root2, proof));
  CHECK_FALSE(VerifyConsistency(size1, size2 / 2, root1, root2, proof));
  CHECK_FALSE(VerifyConsistency(size1, size2, Flipped(root1), root2, proof));
  CHECK_FALSE(VerifyConsistency(size1, size2, root1, Flipped(root2), proof));
  CHECK_FALSE(VerifyConsistency(size1, size2, root2, root1, proof));  // swapped roots
  CHECK_FALSE(VerifyConsistency(size1, size2, root1, root2, {}));
  CHECK_FALSE(VerifyConsistency(size1, size2, root1, root2, With(proof, zero)));
  CHECK_FALSE(VerifyConsistency(size1, size2, root1, root2, With(proof, root1)));
  CHECK_FALSE(VerifyConsistency(size1, size2, root1, root2, With(proof, root2)));
  CHECK_FALSE(VerifyConsistency(size1, size2, InteriorHash(zero, root1), InteriorHash(zero, root2),
                                With(proof, zero)));
  CHECK_FALSE(VerifyConsistency(size1, size2, root1, root2, Prepended(zero, proof)));
  CHECK_FALSE(VerifyConsistency(size1, size2, root1, root2, Prepended(root1, proof)));
  CHECK_FALSE(VerifyConsistency(size1, size2, root1, root2, Prepended(root2, proof)));
  CHECK_FALSE(VerifyConsistency(size1, size2, root1, root2, Prepended(proof[0], proof)));
  const std::vector<Hash> truncated(proof.begin(), proof.end() - 1);
  CHECK_FALSE(VerifyConsistency(size1, size2, root1, root2, truncated));
  for (std::size_t i = 0; i < proof.size(); ++i) {
    CAPTURE(i);
    auto flipped = proof;
    flipped[i] = Flipped(flipped[i], 0, 0x10);
    CHECK_FALSE(VerifyConsistency(size1, size2, root1, root2, flipped));
  }
}

// A NodeReader over a MemoryMerkleTree that records what it was asked for and whether
// every node lay inside the tree size being proven (the NodeReader contract).
class RecordingReader {
 public:
  RecordingReader(const MemoryMerkleTree& tree, std::uint64_t size) : tree_(tree), size_(size) {}

  NodeReader Reader() {
    return [this](NodeId id) {
      reads_.push_back(id);
      if (id.level >= 64 || id.index >= (size_ >> id.level)) ++outside_;
      return tree_.Node(id);
    };
  }
  const std::vector<NodeId>& reads() const { return reads_; }
  int outside() const { return outside_; }

 private:
  const MemoryMerkleTree& tree_;
  std::uint64_t size_;
  std::vector<NodeId> reads_;
  int outside_ = 0;
};

// Reads must be exactly `nodes`, each once, and all inside the tree.
void CheckReadsMatch(const RecordingReader& recorder, const std::vector<NodeId>& nodes) {
  CHECK(recorder.outside() == 0);
  CHECK(std::is_sorted(nodes.begin(), nodes.end()));
  CHECK(std::adjacent_find(nodes.begin(), nodes.end()) == nodes.end());
  CHECK(recorder.reads().size() == nodes.size());
  CHECK(Str(Sorted(recorder.reads())) == Str(nodes));
}

// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------

TEST_CASE("RFC 6962 hashing") {
  CHECK(Hex(EmptyTreeRoot()) == kRootsHex[0]);
  // The empty leaf differs from the empty tree: the 0x00 prefix is always hashed.
  CHECK(Hex(LeafHash({})) == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  CHECK(Hex(LeafHash(AsBytes("L123456"))) ==
        "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56");
  CHECK(Hex(InteriorHash(H(kNodeHashesHex[0][0]), H(kNodeHashesHex[0][1]))) ==
        kNodeHashesHex[1][0]);
  // Order matters and a leaf can't pose as a node.
  const Hash a = LeafHash(AsBytes("Hello"));
  const Hash b = LeafHash(AsBytes("World"));
  CHECK(InteriorHash(a, b) != InteriorHash(b, a));
  Bytes both(a.begin(), a.end());
  both.insert(both.end(), b.begin(), b.end());
  CHECK(InteriorHash(a, b) != LeafHash(both));
}

TEST_CASE("published vectors: roots, nodes and compact ranges of the 8-leaf tree") {
  MemoryMerkleTree tree;
  CompactRange range;
  CHECK(Hex(tree.Root()) == kRootsHex[0]);
  CHECK(Hex(RootFromNodes(0, tree.Reader())) == kRootsHex[0]);
  for (std::size_t i = 0; i < kLeafInputsHex.size(); ++i) {
    const Bytes entry = LeafInput(i);
    CHECK(Hex(LeafHash(entry)) == kNodeHashesHex[0][i]);
    tree.AppendEntry(entry);
    range.Append(LeafHash(entry));
    const std::uint64_t size = i + 1;
    CAPTURE(size);
    CHECK(Hex(tree.Root()) == kRootsHex[size]);
    CHECK(Hex(range.Root()) == kRootsHex[size]);
    CHECK(Hex(RootFromNodes(size, tree.Reader())) == kRootsHex[size]);
    for (std::uint64_t s = 0; s <= size; ++s) CHECK(Hex(tree.RootAt(s)) == kRootsHex[s]);

    std::vector<Hash> want_compact;
    for (const NodeId& id : kCompactTrees[size]) {
      want_compact.push_back(H(kNodeHashesHex[id.level][id.index]));
    }
    CHECK(Hex(range.hashes()) == Hex(want_compact));
  }
  for (std::size_t level = 0; level < kNodeHashesHex.size(); ++level) {
    for (std::size_t index = 0; index < kNodeHashesHex[level].size(); ++index) {
      NodeId id{static_cast<std::uint8_t>(level), index};
      CAPTURE(Str({id}));
      CHECK(Hex(tree.Node(id)) == kNodeHashesHex[level][index]);
    }
  }
  CHECK(Hex(tree.Root()).starts_with("5dc9da79"));
}

TEST_CASE("published vectors: inclusion proofs") {
  const MemoryMerkleTree tree = TreeOf(TestEntries(8));
  for (const auto& v : kInclusionVectors) {
    CAPTURE(v.index);
    CAPTURE(v.size);
    const std::vector<Hash> want = Hashes(v.proof);
    CHECK(Hex(tree.InclusionProof(v.index, v.size)) == Hex(want));
    const Hash leaf = LeafHash(LeafInput(v.index));
    const Hash root = H(kRootsHex[v.size]);
    CHECK(VerifyInclusion(v.index, v.size, leaf, want, root));
    CheckInclusionMutationsRejected(v.index, v.size, leaf, want, root);
  }
}

TEST_CASE("published vectors: consistency proofs") {
  const MemoryMerkleTree tree = TreeOf(TestEntries(8));
  for (const auto& v : kConsistencyVectors) {
    CAPTURE(v.size1);
    CAPTURE(v.size2);
    const std::vector<Hash> want = Hashes(v.proof);
    CHECK(Hex(tree.ConsistencyProof(v.size1, v.size2)) == Hex(want));
    const Hash root1 = H(kRootsHex[v.size1]);
    const Hash root2 = H(kRootsHex[v.size2]);
    CHECK(VerifyConsistency(v.size1, v.size2, root1, root2, want));
    if (!want.empty()) CheckConsistencyMutationsRejected(v.size1, v.size2, root1, root2, want);
  }
}

TEST_CASE("published vectors: node ids of proofs") {
  for (const auto& v : kInclusionNodeVectors) {
    CAPTURE(v.a);
    CAPTURE(v.b);
    CHECK(Str(InclusionProofNodes(v.a, v.b)) == Str(Sorted(v.ids)));
  }
  for (const auto& v : kConsistencyNodeVectors) {
    CAPTURE(v.a);
    CAPTURE(v.b);
    CHECK(Str(ConsistencyProofNodes(v.a, v.b)) == Str(Sorted(v.ids)));
  }
}

TEST_CASE("proofs equal a naive RFC 9162 implementation for all sizes up to 64") {
  constexpr std::size_t kMax = 64;
  const std::vector<Bytes> entries = TestEntries(kMax);
  const Entries all(entries);
  const MemoryMerkleTree tree = TreeOf(entries);

  std::vector<Hash> roots;
  for (std::size_t size = 0; size <= kMax; ++size) {
    roots.push_back(RefMth(all.first(size)));
    CAPTURE(size);
    CHECK(Hex(tree.RootAt(size)) == Hex(roots.back()));
  }

  for (std::size_t size = 1; size <= kMax; ++size) {
    CAPTURE(size);
    const Entries d = all.first(size);
    for (std::size_t index = 0; index < size; ++index) {
      CAPTURE(index);
      const std::vector<Hash> proof = tree.InclusionProof(index, size);
      CHECK(Hex(proof) == Hex(RefPath(index, d)));
      const Hash leaf = LeafHash(entries[index]);
      CHECK(VerifyInclusion(index, size, leaf, proof, roots[size]));
      // A cheap subset of the mutations, for every proof shape.
      if (size > 1) {
        CHECK_FALSE(VerifyInclusion(index, size, LeafHash(entries[(index + 1) % size]), proof,
                                    roots[size]));
        CHECK_FALSE(VerifyInclusion((index + 1) % size, size, leaf, proof, roots[size]));
        CHECK_FALSE(VerifyInclusion(index, size, leaf, proof, roots[size - 1]));
        const std::vector<Hash> truncated(proof.begin(), proof.end() - 1);
        CHECK_FALSE(VerifyInclusion(index, size, leaf, truncated, roots[size]));
      }
      CHECK_FALSE(VerifyInclusion(index, size, leaf, With(proof, leaf), roots[size]));
      CHECK_FALSE(
          VerifyInclusion(index, size, leaf, With(proof, leaf), InteriorHash(leaf, roots[size])));
      for (std::size_t i = 0; i < proof.size(); ++i) {
        auto flipped = proof;
        flipped[i] = Flipped(flipped[i], i % kHashSize, 0x80);
        CHECK_FALSE(VerifyInclusion(index, size, leaf, flipped, roots[size]));
      }
    }
    for (std::size_t size1 = 0; size1 <= size; ++size1) {
      CAPTURE(size1);
      const std::vector<Hash> proof = tree.ConsistencyProof(size1, size);
      CHECK(Hex(proof) == Hex(RefProof(size1, d)));
      CHECK(VerifyConsistency(size1, size, roots[size1], roots[size], proof));
      if (size1 == 0 || size1 == size) {
        CHECK(proof.empty());
        continue;
      }
      CHECK_FALSE(VerifyConsistency(size1, size, roots[size], roots[size1], proof));
      CHECK_FALSE(VerifyConsistency(size1, size, roots[size1 - 1], roots[size], proof));
      CHECK_FALSE(VerifyConsistency(size1, size, roots[size1], roots[size - 1], proof));
      const std::vector<Hash> truncated(proof.begin(), proof.end() - 1);
      CHECK_FALSE(VerifyConsistency(size1, size, roots[size1], roots[size], truncated));
      CHECK_FALSE(
          VerifyConsistency(size1, size, roots[size1], roots[size], With(proof, roots[size])));
      CHECK_FALSE(VerifyConsistency(size1, size, InteriorHash(roots[0], roots[size1]),
                                    InteriorHash(roots[0], roots[size]), With(proof, roots[0])));
      for (std::size_t i = 0; i < proof.size(); ++i) {
        auto flipped = proof;
        flipped[i] = Flipped(flipped[i], i % kHashSize, 0x80);
        CHECK_FALSE(VerifyConsistency(size1, size, roots[size1], roots[size], flipped));
      }
    }
  }
}

TEST_CASE("*Nodes name exactly the nodes the builders read") {
  constexpr std::uint64_t kMax = 70;
  const MemoryMerkleTree tree = TreeOf(TestEntries(kMax));
  for (std::uint64_t size = 0; size <= kMax; ++size) {
    CAPTURE(size);
    // O(log n): one path plus at most one ragged range's decomposition.
    const std::size_t bound = 2 * static_cast<std::size_t>(std::bit_width(size)) + 1;
    {
      RecordingReader recorder(tree, size);
      RootFromNodes(size, recorder.Reader());
      CheckReadsMatch(recorder, RootNodes(size));
      CHECK(RootNodes(size).size() == static_cast<std::size_t>(std::popcount(size)));
    }
    for (std::uint64_t index = 0; index < size; ++index) {
      CAPTURE(index);
      RecordingReader recorder(tree, size);
      InclusionProof(index, size, recorder.Reader());
      const std::vector<NodeId> nodes = InclusionProofNodes(index, size);
      CheckReadsMatch(recorder, nodes);
      CHECK(nodes.size() <= bound);
    }
    for (std::uint64_t size1 = 0; size1 <= size; ++size1) {
      CAPTURE(size1);
      RecordingReader recorder(tree, size);
      ConsistencyProof(size1, size, recorder.Reader());
      const std::vector<NodeId> nodes = ConsistencyProofNodes(size1, size);
      CheckReadsMatch(recorder, nodes);
      CHECK(nodes.size() <= bound);
    }
  }
}

TEST_CASE("RootNodes is the compact range, smallest first") {
  const MemoryMerkleTree tree = TreeOf(TestEntries(40));
  CompactRange range;
  for (std::uint64_t size = 0; size <= 40; ++size) {
    CAPTURE(size);
    std::vector<NodeId> ids = RootNodes(size);
    std::reverse(ids.begin(), ids.end());
    std::vector<Hash> hashes;
    for (const NodeId& id : ids) hashes.push_back(tree.Node(id));
    CHECK(Hex(hashes) == Hex(range.hashes()));
    if (size < 40) range.Append(tree.Node({0, size}));
  }
  CHECK(Str(RootNodes(7)) == "[(0,6)(1,2)(2,0)]");
}

// With all leaves equal, a perfect subtree's hash depends only on its level, so a tree of
// any size, up to 2^64 - 1 leaves, is fully described by 64 hashes.
TEST_CASE("sizes near 2^64: no overflow, proofs verify") {
  std::array<Hash, 64> level_hash;
  level_hash[0] = LeafHash(AsBytes("same"));
  for (std::size_t level = 1; level < 64; ++level) {
    level_hash[level] = InteriorHash(level_hash[level - 1], level_hash[level - 1]);
  }
  std::uint64_t limit = 0;
  int outside = 0;
  const NodeReader read = [&](NodeId id) {
    if (id.level >= 64 || id.index >= (limit >> id.level)) {
      ++outside;
      return Hash{};
    }
    return level_hash[id.level];
  };
  auto root = [&](std::uint64_t size) {
    limit = size;
    return RootFromNodes(size, read);
  };

  const std::uint64_t k2to63 = std::uint64_t{1} << 63;
  CHECK(Hex(root(k2to63)) == Hex(level_hash[63]));
  CHECK(Hex(root(k2to63 - 1)) != Hex(root(kMaxSize)));

  const std::vector<std::uint64_t> sizes = {
      1, 2, 3, (1ULL << 32) + 5, k2to63 - 1, k2to63, k2to63 + 1, kMaxSize - 1, kMaxSize};
  for (std::uint64_t size : sizes) {
    CAPTURE(size);
    const Hash root2 = root(size);
    for (std::uint64_t index : {std::uint64_t{0}, size / 3, size / 2, size - 1}) {
      CAPTURE(index);
      limit = size;
      const std::vector<Hash> proof = InclusionProof(index, size, read);
      CHECK(proof.size() <= 64);
      CHECK(VerifyInclusion(index, size, level_hash[0], proof, root2));
      CHECK_FALSE(VerifyInclusion(index, size, level_hash[1], proof, root2));
      CHECK(InclusionProofNodes(index, size).size() <= 128);
    }
    for (std::uint64_t size1 : sizes) {
      if (size1 > size) continue;
      CAPTURE(size1);
      const Hash root1 = root(size1);
      limit = size;
      const std::vector<Hash> proof = ConsistencyProof(size1, size, read);
      CHECK(proof.size() <= 65);
      CHECK(VerifyConsistency(size1, size, root1, root2, proof));
      if (size1 != size) CHECK_FALSE(VerifyConsistency(size1, size, root2, root2, proof));
      CHECK(ConsistencyProofNodes(size1, size).size() <= 130);
    }
  }
  CHECK(outside == 0);

  // Garbage at the extremes is rejected without running off the end of anything.
  const std::vector<Hash> long_proof(200, level_hash[5]);
  CHECK_FALSE(VerifyInclusion(kMaxSize - 1, kMaxSize, level_hash[0], long_proof, level_hash[0]));
  CHECK_FALSE(VerifyInclusion(0, kMaxSize, level_hash[0], {}, level_hash[0]));
  CHECK_FALSE(VerifyConsistency(kMaxSize - 1, kMaxSize, level_hash[0], level_hash[1], long_proof));
  CHECK_FALSE(VerifyConsistency(1, kMaxSize, level_hash[0], level_hash[1], long_proof));
  CHECK_FALSE(VerifyConsistency(k2to63, kMaxSize, level_hash[63], level_hash[1], {}));
}

TEST_CASE("verification rejects malformed input") {
  const Hash leaf = LeafHash(AsBytes("data"));
  const Hash other = LeafHash(AsBytes("other"));
  const std::vector<Hash> none;
  const std::vector<Hash> one{other};

  SUBCASE("inclusion") {
    // Size 1: the leaf is the root and the proof is empty.
    CHECK(VerifyInclusion(0, 1, leaf, none, leaf));
    CHECK_FALSE(VerifyInclusion(0, 1, leaf, none, other));
    CHECK_FALSE(VerifyInclusion(0, 1, leaf, one, leaf));
    CHECK_FALSE(VerifyInclusion(0, 0, leaf, none, leaf));
    CHECK_FALSE(VerifyInclusion(0, 0, leaf, none, EmptyTreeRoot()));
    CHECK_FALSE(VerifyInclusion(1, 0, leaf, none, leaf));
    CHECK_FALSE(VerifyInclusion(2, 1, leaf, none, leaf));
    CHECK_FALSE(VerifyInclusion(5, 5, leaf, none, leaf));
    CHECK_FALSE(VerifyInclusion(kMaxSize, kMaxSize, leaf, none, leaf));
    CHECK_FALSE(VerifyInclusion(kMaxSize, 0, leaf, none, leaf));
    // Right shape, proof too short.
    CHECK_FALSE(VerifyInclusion(0, 2, leaf, none, leaf));
    CHECK(VerifyInclusion(0, 2, leaf, one, InteriorHash(leaf, other)));
  }
  SUBCASE("consistency") {
    CHECK(VerifyConsistency(0, 0, leaf, leaf, none));
    CHECK_FALSE(VerifyConsistency(0, 0, leaf, other, none));
    CHECK_FALSE(VerifyConsistency(0, 0, leaf, leaf, one));
    // The empty tree is a prefix of every tree.
    CHECK(VerifyConsistency(0, 5, leaf, other, none));
    CHECK_FALSE(VerifyConsistency(0, 5, leaf, other, one));
    CHECK(VerifyConsistency(3, 3, leaf, leaf, none));
    CHECK_FALSE(VerifyConsistency(3, 3, leaf, other, none));
    CHECK_FALSE(VerifyConsistency(3, 3, leaf, leaf, one));
    CHECK_FALSE(VerifyConsistency(1, 0, leaf, leaf, none));
    CHECK_FALSE(VerifyConsistency(2, 1, leaf, leaf, none));
    CHECK_FALSE(VerifyConsistency(kMaxSize, kMaxSize - 1, leaf, leaf, none));
    CHECK_FALSE(VerifyConsistency(1, 2, leaf, other, none));
    CHECK(VerifyConsistency(1, 2, leaf, InteriorHash(leaf, other), one));
    CHECK_FALSE(VerifyConsistency(1, 2, leaf, InteriorHash(other, leaf), one));
  }
}

TEST_CASE("preconditions and reader errors") {
  const MemoryMerkleTree tree = TreeOf(TestEntries(7));
  const NodeReader read = tree.Reader();
  CHECK_THROWS_AS(InclusionProof(7, 7, read), std::invalid_argument);
  CHECK_THROWS_AS(InclusionProof(0, 0, read), std::invalid_argument);
  CHECK_THROWS_AS(InclusionProofNodes(7, 7), std::invalid_argument);
  CHECK_THROWS_AS(InclusionProofNodes(kMaxSize, kMaxSize), std::invalid_argument);
  CHECK_THROWS_AS(ConsistencyProof(4, 3, read), std::invalid_argument);
  CHECK_THROWS_AS(ConsistencyProofNodes(4, 3), std::invalid_argument);
  CHECK(ConsistencyProofNodes(0, kMaxSize).empty());
  CHECK(ConsistencyProofNodes(kMaxSize, kMaxSize).empty());

  CHECK_THROWS_AS(tree.RootAt(8), std::out_of_range);
  CHECK_THROWS_AS(tree.InclusionProof(0, 8), std::out_of_range);
  CHECK_THROWS_AS(tree.ConsistencyProof(1, 8), std::out_of_range);
  CHECK_THROWS_AS(tree.Node({1, 3}), std::out_of_range);  // leaves 6..7: only 6 exists
  CHECK_THROWS_AS(tree.Node({3, 0}), std::out_of_range);
  CHECK_THROWS_AS(tree.Node({0, 7}), std::out_of_range);
  CHECK_NOTHROW(tree.Node({0, 6}));

  const NodeReader failing = [](NodeId) -> Hash { throw std::runtime_error("db down"); };
  CHECK_THROWS_WITH_AS(RootFromNodes(5, failing), "db down", std::runtime_error);
  CHECK_THROWS_WITH_AS(InclusionProof(2, 5, failing), "db down", std::runtime_error);
  CHECK_THROWS_WITH_AS(ConsistencyProof(2, 5, failing), "db down", std::runtime_error);
  // Nothing to read, so nothing to fail.
  CHECK(Hex(RootFromNodes(0, failing)) == kRootsHex[0]);
  CHECK(InclusionProof(0, 1, failing).empty());
  CHECK(ConsistencyProof(3, 3, failing).empty());
}

TEST_CASE("CompactRange") {
  SUBCASE("Root equals the full tree's root for sizes 0..100") {
    const std::vector<Bytes> entries = TestEntries(100);
    MemoryMerkleTree tree;
    CompactRange range;
    for (std::size_t size = 0;; ++size) {
      CAPTURE(size);
      CHECK(range.size() == size);
      CHECK(range.hashes().size() == static_cast<std::size_t>(std::popcount(size)));
      CHECK(Hex(range.Root()) == Hex(tree.Root()));
      CHECK(Hex(range.Root()) == Hex(RefMth(Entries(entries).first(size))));
      if (size == entries.size()) break;
      range.Append(LeafHash(entries[size]));
      tree.AppendEntry(entries[size]);
    }
  }

  SUBCASE("Append returns the completed nodes") {
    MemoryMerkleTree tree;
    CompactRange range;
    for (std::uint64_t old_size = 0; old_size < 100; ++old_size) {
      CAPTURE(old_size);
      const Hash leaf = LeafHash(AsBytes("leaf " + std::to_string(old_size)));
      const auto completed = range.Append(leaf);
      tree.Append(leaf);
      // One node per level carried, like binary addition: the leaf, then one per trailing 1.
      REQUIRE(completed.size() == static_cast<std::size_t>(std::countr_one(old_size)) + 1);
      CHECK(Str({completed[0].first}) == Str({NodeId{0, old_size}}));
      CHECK(Hex(completed[0].second) == Hex(leaf));
      for (std::size_t i = 0; i < completed.size(); ++i) {
        // Not a structured binding: clang < 16 cannot capture those in CAPTURE's lambda.
        const NodeId id = completed[i].first;
        const Hash& hash = completed[i].second;
        CAPTURE(Str({id}));
        CHECK(id.level == i);
        // Each completed node ends at the new leaf.
        CHECK(((id.index + 1) << id.level) == old_size + 1);
        CHECK(Hex(hash) == Hex(tree.Node(id)));
      }
    }
  }

  SUBCASE("FromHashes checks the count and resumes appending") {
    CHECK(CompactRange::FromHashes(0, {}).has_value());
    CHECK_FALSE(CompactRange::FromHashes(0, {Hash{}}).has_value());
    CHECK_FALSE(CompactRange::FromHashes(1, {}).has_value());
    CHECK_FALSE(CompactRange::FromHashes(5, {Hash{}}).has_value());
    CHECK_FALSE(CompactRange::FromHashes(5, {Hash{}, Hash{}, Hash{}}).has_value());
    CHECK_FALSE(CompactRange::FromHashes(8, {Hash{}, Hash{}}).has_value());
    CHECK_FALSE(CompactRange::FromHashes(kMaxSize, std::vector<Hash>(63)).has_value());

    const std::vector<Bytes> entries = TestEntries(30);
    MemoryMerkleTree tree = TreeOf(std::vector<Bytes>(entries.begin(), entries.begin() + 13));
    std::vector<Hash> head;
    for (const NodeId& id : {NodeId{3, 0}, NodeId{2, 2}, NodeId{0, 12}}) {
      head.push_back(tree.Node(id));
    }
    auto range = CompactRange::FromHashes(13, head);
    REQUIRE(range.has_value());
    CHECK(range->size() == 13);
    CHECK(Hex(range->Root()) == Hex(tree.Root()));
    for (std::size_t i = 13; i < entries.size(); ++i) {
      range->Append(LeafHash(entries[i]));
      tree.AppendEntry(entries[i]);
      CHECK(Hex(range->Root()) == Hex(tree.Root()));
    }

    // A full range refuses to wrap around to size 0.
    auto full = CompactRange::FromHashes(kMaxSize, std::vector<Hash>(64));
    REQUIRE(full.has_value());
    CHECK_THROWS_AS(full->Append(Hash{}), std::overflow_error);
    CHECK(full->size() == kMaxSize);
    auto almost = CompactRange::FromHashes(kMaxSize - 1, std::vector<Hash>(63));
    REQUIRE(almost.has_value());
    const auto completed = almost->Append(Hash{});
    CHECK(completed.size() == 1);
    CHECK(almost->size() == kMaxSize);
  }
}

}  // namespace
}  // namespace ess
