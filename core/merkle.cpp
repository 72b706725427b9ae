#include "core/merkle.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <stdexcept>

#include "core/sha256.h"

namespace ess {

namespace {

// Domain separation (RFC 6962 2.1): a leaf can never be mistaken for an interior node, so
// no second preimage can be forged by presenting two child hashes as one leaf entry.
constexpr std::uint8_t kLeafPrefix = 0x00;
constexpr std::uint8_t kInteriorPrefix = 0x01;

// Leaves [begin, end) of a subtree that the RFC recursion produces: begin is a multiple of
// the smallest power of two >= end - begin. Only such ranges ever occur below, and for
// them MTH equals the right-to-left fold of their perfect-subtree decomposition.
struct Range {
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
};

// k in the RFC: the largest power of two strictly smaller than n. Precondition n >= 2.
std::uint64_t SplitPoint(std::uint64_t n) { return std::bit_floor(n - 1); }

// Appends the perfect subtrees covering `range`, left to right: one per set bit of its
// length, largest first. Each lands aligned only because `range` is an RFC range.
void AppendDecomposition(Range range, std::vector<NodeId>& out) {
  while (range.begin < range.end) {
    const int level = static_cast<int>(std::bit_width(range.end - range.begin)) - 1;
    out.push_back({static_cast<std::uint8_t>(level), range.begin >> level});
    // Cannot wrap: begin + 2^level <= end <= 2^64 - 1.
    range.begin += std::uint64_t{1} << level;
  }
}

std::vector<NodeId> Decomposition(Range range) {
  std::vector<NodeId> ids;
  AppendDecomposition(range, ids);
  return ids;
}

// MTH of a non-empty RFC range from its perfect subtrees. Right to left because the RFC
// split puts the perfect (left) part first and recurses into the ragged right part.
Hash RangeHash(Range range, const NodeReader& read) {
  const std::vector<NodeId> ids = Decomposition(range);
  Hash hash = read(ids.back());
  for (auto it = ids.rbegin() + 1; it != ids.rend(); ++it) hash = InteriorHash(read(*it), hash);
  return hash;
}

// The subtrees whose MTHs form PATH(index, D[0:size]) (RFC 9162 2.1.3.1), in proof order
// (leaf level first). Walks the recursion top-down, then reverses, because the RFC appends
// each level's sibling after the deeper part of the path.
std::vector<Range> InclusionRanges(std::uint64_t index, std::uint64_t size) {
  if (index >= size) throw std::invalid_argument("inclusion proof: index >= size");
  std::vector<Range> siblings;
  Range node{0, size};
  while (node.end - node.begin > 1) {
    const std::uint64_t mid = node.begin + SplitPoint(node.end - node.begin);
    if (index < mid) {
      siblings.push_back({mid, node.end});
      node.end = mid;
    } else {
      siblings.push_back({node.begin, mid});
      node.begin = mid;
    }
  }
  std::reverse(siblings.begin(), siblings.end());
  return siblings;
}

// The subtrees whose MTHs form PROOF(size1, D[0:size2]) (RFC 9162 2.1.4.1), in proof order.
std::vector<Range> ConsistencyRanges(std::uint64_t size1, std::uint64_t size2) {
  if (size1 > size2) throw std::invalid_argument("consistency proof: size1 > size2");
  if (size1 == 0 || size1 == size2) return {};
  std::vector<Range> ranges;
  Range node{0, size2};
  // The RFC's flag b: true while `node` still starts at leaf 0, i.e. while the subtree
  // where the old tree ends is a prefix the verifier already knows (it is root1 itself).
  bool known_prefix = true;
  // Invariant: node.begin < size1 <= node.end, so node has >= 2 leaves inside the loop.
  while (node.end != size1) {
    const std::uint64_t mid = node.begin + SplitPoint(node.end - node.begin);
    if (size1 <= mid) {
      ranges.push_back({mid, node.end});
      node.end = mid;
    } else {
      ranges.push_back({node.begin, mid});
      node.begin = mid;
      known_prefix = false;
    }
  }
  if (!known_prefix) ranges.push_back(node);
  std::reverse(ranges.begin(), ranges.end());
  return ranges;
}

std::vector<NodeId> NodesOf(const std::vector<Range>& ranges) {
  std::vector<NodeId> ids;
  for (const Range& range : ranges) AppendDecomposition(range, ids);
  // Proof ranges are disjoint, so this never drops anything today; it keeps the promise
  // of the header even if that changes.
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

std::vector<Hash> HashesOf(const std::vector<Range>& ranges, const NodeReader& read) {
  std::vector<Hash> hashes;
  hashes.reserve(ranges.size());
  for (const Range& range : ranges) hashes.push_back(RangeHash(range, read));
  return hashes;
}

// RFC 9162 2.1.3.2 step 4b / 2.1.4.2 step 6b: after consuming a left sibling, climb past
// the levels where the path node is a lone right-edge node (no sibling, no proof hash).
void SkipLoneRightEdge(std::uint64_t& fn, std::uint64_t& sn) {
  while ((fn & 1) == 0 && fn != 0) {
    fn >>= 1;
    sn >>= 1;
  }
}

}  // namespace

Hash LeafHash(ByteView entry) { return Sha256().Add(kLeafPrefix).Add(entry).Finish(); }

Hash InteriorHash(const Hash& left, const Hash& right) {
  return Sha256().Add(kInteriorPrefix).Add(left).Add(right).Finish();
}

Hash EmptyTreeRoot() { return Sha256Of(ByteView{}); }

std::vector<NodeId> RootNodes(std::uint64_t size) {
  std::vector<NodeId> ids = Decomposition({0, size});
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::vector<NodeId> InclusionProofNodes(std::uint64_t index, std::uint64_t size) {
  return NodesOf(InclusionRanges(index, size));
}

std::vector<NodeId> ConsistencyProofNodes(std::uint64_t size1, std::uint64_t size2) {
  return NodesOf(ConsistencyRanges(size1, size2));
}

Hash RootFromNodes(std::uint64_t size, const NodeReader& read) {
  if (size == 0) return EmptyTreeRoot();
  return RangeHash({0, size}, read);
}

std::vector<Hash> InclusionProof(std::uint64_t index, std::uint64_t size, const NodeReader& read) {
  return HashesOf(InclusionRanges(index, size), read);
}

std::vector<Hash> ConsistencyProof(std::uint64_t size1, std::uint64_t size2,
                                   const NodeReader& read) {
  return HashesOf(ConsistencyRanges(size1, size2), read);
}

bool VerifyInclusion(std::uint64_t index, std::uint64_t size, const Hash& leaf_hash,
                     std::span<const Hash> proof, const Hash& root) {
  if (index >= size) return false;
  // fn/sn: positions of the path node and of the tree's last node at the current level.
  std::uint64_t fn = index;
  std::uint64_t sn = size - 1;
  Hash hash = leaf_hash;
  for (const Hash& sibling : proof) {
    if (sn == 0) return false;  // Proof longer than the path to the root.
    if ((fn & 1) != 0 || fn == sn) {
      hash = InteriorHash(sibling, hash);
      SkipLoneRightEdge(fn, sn);
    } else {
      hash = InteriorHash(hash, sibling);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && hash == root;  // sn != 0: proof too short.
}

std::optional<ConsistencyRoots> ConsistencyProofRoots(std::uint64_t size1, std::uint64_t size2,
                                                      const Hash& root1,
                                                      std::span<const Hash> proof) {
  if (size1 == 0 || size1 >= size2 || proof.empty()) return std::nullopt;
  // When size1 is a power of two the old tree is itself a node of the new tree, so the
  // RFC omits it from the proof and the verifier supplies root1 (2.1.4.2 step 2). Reading
  // it from here instead of prepending to a copy keeps the proof untouched.
  const bool old_root_is_node = std::has_single_bit(size1);
  const Hash& seed = old_root_is_node ? root1 : proof.front();
  const std::span<const Hash> rest = old_root_is_node ? proof : proof.subspan(1);

  std::uint64_t fn = size1 - 1;
  std::uint64_t sn = size2 - 1;
  // Start at the highest node that ends the old tree: seed is that subtree's hash.
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash old_hash = seed;
  Hash new_hash = seed;
  for (const Hash& c : rest) {
    if (sn == 0) return std::nullopt;  // Proof longer than the path to the new root.
    if ((fn & 1) != 0 || fn == sn) {
      old_hash = InteriorHash(c, old_hash);
      new_hash = InteriorHash(c, new_hash);
      SkipLoneRightEdge(fn, sn);
    } else {
      new_hash = InteriorHash(new_hash, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return std::nullopt;  // Proof shorter than the path.
  return ConsistencyRoots{old_hash, new_hash, !old_root_is_node};
}

bool VerifyConsistency(std::uint64_t size1, std::uint64_t size2, const Hash& root1,
                       const Hash& root2, std::span<const Hash> proof) {
  if (size1 > size2) return false;
  if (size1 == size2) return proof.empty() && root1 == root2;
  // Every tree extends the empty tree; there is nothing to prove.
  if (size1 == 0) return proof.empty();
  auto roots = ConsistencyProofRoots(size1, size2, root1, proof);
  return roots && roots->old_root == root1 && roots->new_root == root2;
}

std::optional<CompactRange> CompactRange::FromHashes(std::uint64_t size, std::vector<Hash> hashes) {
  if (hashes.size() != static_cast<std::size_t>(std::popcount(size))) return std::nullopt;
  CompactRange range;
  range.size_ = size;
  range.hashes_ = std::move(hashes);
  return range;
}

std::vector<std::pair<NodeId, Hash>> CompactRange::Append(const Hash& leaf_hash) {
  // A leaf at index 2^64 - 1 would make size_ wrap to 0 and corrupt the range.
  if (size_ == std::numeric_limits<std::uint64_t>::max()) {
    throw std::overflow_error("CompactRange::Append: tree is full");
  }
  std::vector<std::pair<NodeId, Hash>> completed;
  completed.push_back({NodeId{0, size_}, leaf_hash});
  Hash hash = leaf_hash;
  // Each trailing one bit of the old size is a perfect subtree on the right edge that the
  // new leaf completes into one twice as large, like a carry in binary addition.
  std::uint8_t level = 0;
  for (std::uint64_t bits = size_; (bits & 1) != 0; bits >>= 1) {
    hash = InteriorHash(hashes_.back(), hash);
    hashes_.pop_back();
    ++level;
    completed.push_back({NodeId{level, size_ >> level}, hash});
  }
  hashes_.push_back(hash);
  ++size_;
  return completed;
}

Hash CompactRange::Root() const {
  if (hashes_.empty()) return EmptyTreeRoot();
  Hash hash = hashes_.back();
  for (auto it = hashes_.rbegin() + 1; it != hashes_.rend(); ++it) hash = InteriorHash(*it, hash);
  return hash;
}

void MemoryMerkleTree::Append(const Hash& leaf_hash) {
  for (const auto& [id, hash] : range_.Append(leaf_hash)) {
    if (levels_.size() <= id.level) levels_.resize(id.level + 1);
    levels_[id.level].push_back(hash);  // Completed in index order, so index == size.
  }
}

Hash MemoryMerkleTree::RootAt(std::uint64_t size) const {
  if (size > this->size()) throw std::out_of_range("MemoryMerkleTree::RootAt: size > tree size");
  return RootFromNodes(size, Reader());
}

std::vector<Hash> MemoryMerkleTree::InclusionProof(std::uint64_t index, std::uint64_t size) const {
  if (size > this->size()) {
    throw std::out_of_range("MemoryMerkleTree::InclusionProof: size > tree size");
  }
  return ess::InclusionProof(index, size, Reader());
}

std::vector<Hash> MemoryMerkleTree::ConsistencyProof(std::uint64_t size1,
                                                     std::uint64_t size2) const {
  if (size2 > this->size()) {
    throw std::out_of_range("MemoryMerkleTree::ConsistencyProof: size2 > tree size");
  }
  return ess::ConsistencyProof(size1, size2, Reader());
}

Hash MemoryMerkleTree::Node(NodeId id) const {
  if (id.level >= levels_.size() || id.index >= levels_[id.level].size()) {
    throw std::out_of_range("MemoryMerkleTree::Node: node not complete");
  }
  return levels_[id.level][id.index];
}

NodeReader MemoryMerkleTree::Reader() const {
  return [this](NodeId id) { return Node(id); };
}

}  // namespace ess
