#pragma once
// RFC 6962 / RFC 9162 Merkle trees over a region's log entries.
//
// Hashing (RFC 6962 section 2.1): leaf = SHA-256(0x00 || entry bytes),
// interior node = SHA-256(0x01 || left || right), empty tree = SHA-256("").
// The tree of size n splits at k, the largest power of two smaller than n.
//
// Storage model: a log stores the hash of every *perfect* subtree (NodeId below) as leaves
// are appended; any root or proof for any size is then derived from O(log n) stored nodes.
// Proof construction is split in two so a database reader can first ask which nodes it
// needs (one query), then build the proof from what it fetched.

#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "core/bytes.h"

namespace ess {

Hash LeafHash(ByteView entry);
Hash InteriorHash(const Hash& left, const Hash& right);
Hash EmptyTreeRoot();

// A perfect subtree: level L, index i covers leaves [i * 2^L, (i + 1) * 2^L).
struct NodeId {
  std::uint8_t level = 0;
  std::uint64_t index = 0;
  auto operator<=>(const NodeId&) const = default;
};

// Returns the stored hash of a perfect subtree. Called only for nodes that lie entirely
// inside the tree size being proven. May throw (e.g. a database error); the exception
// passes through the proof functions unchanged.
using NodeReader = std::function<Hash(NodeId)>;

// The perfect subtrees whose hashes determine the root of [0, size) and the proof hashes.
// Deduplicated and sorted by NodeId (level, then index); for RootNodes that is right to left,
// the reverse of CompactRange::hashes(). The *ProofNodes functions have the preconditions
// (and std::invalid_argument) of the matching proof function.
std::vector<NodeId> RootNodes(std::uint64_t size);
std::vector<NodeId> InclusionProofNodes(std::uint64_t index, std::uint64_t size);
std::vector<NodeId> ConsistencyProofNodes(std::uint64_t size1, std::uint64_t size2);

// Root of the tree of `size` leaves. EmptyTreeRoot() for size 0.
Hash RootFromNodes(std::uint64_t size, const NodeReader& read);
// RFC 9162 2.1.3.1 inclusion proof of leaf `index` in the tree of `size`.
// Precondition: index < size (std::invalid_argument otherwise).
std::vector<Hash> InclusionProof(std::uint64_t index, std::uint64_t size, const NodeReader& read);
// RFC 9162 2.1.4.1 consistency proof from size1 to size2. Empty when size1 == 0 or
// size1 == size2. Precondition: size1 <= size2 (std::invalid_argument otherwise).
std::vector<Hash> ConsistencyProof(std::uint64_t size1, std::uint64_t size2,
                                   const NodeReader& read);

// RFC 9162 2.1.3.2. False for any malformed input (index >= size, wrong proof length...).
bool VerifyInclusion(std::uint64_t index, std::uint64_t size, const Hash& leaf_hash,
                     std::span<const Hash> proof, const Hash& root);
// RFC 9162 2.1.4.2. size1 == 0: true iff the proof is empty. size1 == size2: true iff the
// proof is empty and the roots are equal. False for size1 > size2 or any malformed proof.
bool VerifyConsistency(std::uint64_t size1, std::uint64_t size2, const Hash& root1,
                       const Hash& root2, std::span<const Hash> proof);

// What a consistency proof from size1 to size2 (0 < size1 < size2) says the two roots are,
// recomputed from the proof alone (RFC 9162 2.1.4.2 without the final comparisons).
// When size1 is a power of two the old tree is a node of the new one and the proof omits it:
// `root1` is then used as that node, `old_root` is `root1` and `old_root_proven` is false.
// nullopt for a proof of the wrong length. A proof whose `new_root` is a signed root and
// whose proven `old_root` differs from the holder's root at size1 is evidence that the signer
// signed two trees that disagree (a fork).
struct ConsistencyRoots {
  Hash old_root;
  Hash new_root;
  bool old_root_proven = true;
};
std::optional<ConsistencyRoots> ConsistencyProofRoots(std::uint64_t size1, std::uint64_t size2,
                                                      const Hash& root1,
                                                      std::span<const Hash> proof);

// The right edge of a tree: the perfect subtrees covering [0, size), largest first (one per
// set bit of size). Enough to append leaves and compute the root without the rest of the
// tree; this is what a log keeps in its head row and what a verifier recomputes.
class CompactRange {
 public:
  CompactRange() = default;
  // nullopt unless hashes.size() == popcount(size).
  static std::optional<CompactRange> FromHashes(std::uint64_t size, std::vector<Hash> hashes);

  // Appends one leaf. Returns the perfect subtrees completed by this append, lowest level
  // first, starting with the leaf itself ({level 0, index = old size}): what a store must
  // save so that later proofs can be built.
  std::vector<std::pair<NodeId, Hash>> Append(const Hash& leaf_hash);

  std::uint64_t size() const { return size_; }
  const std::vector<Hash>& hashes() const { return hashes_; }
  Hash Root() const;

 private:
  std::uint64_t size_ = 0;
  std::vector<Hash> hashes_;
};

// A whole tree in memory: every perfect node kept. For tests, vectors and tools.
class MemoryMerkleTree {
 public:
  void Append(const Hash& leaf_hash);
  void AppendEntry(ByteView entry) { Append(LeafHash(entry)); }
  std::uint64_t size() const { return range_.size(); }
  Hash Root() const { return range_.Root(); }
  Hash RootAt(std::uint64_t size) const;  // size <= this->size()
  std::vector<Hash> InclusionProof(std::uint64_t index, std::uint64_t size) const;
  std::vector<Hash> ConsistencyProof(std::uint64_t size1, std::uint64_t size2) const;
  // Throws std::out_of_range for a node not (yet) complete.
  Hash Node(NodeId id) const;
  NodeReader Reader() const;

 private:
  CompactRange range_;
  std::vector<std::vector<Hash>> levels_;  // levels_[L][i] = hash of NodeId{L, i}
};

}  // namespace ess
