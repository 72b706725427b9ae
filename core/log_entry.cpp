#include "core/log_entry.h"

#include <algorithm>
#include <stdexcept>

namespace ess {

namespace {

constexpr std::size_t kFixedSize = 72;  // every field but the region code

void PutUint(Bytes& out, std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

std::uint64_t GetUint(ByteView in, std::size_t at, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = v << 8 | in[at + i];
  return v;
}

}  // namespace

std::string_view OperationName(Operation op) {
  switch (op) {
    case Operation::kPut: return "put";
    case Operation::kErase: return "erase";
  }
  return "unknown";
}

std::string_view RecordKindName(RecordKind kind) {
  switch (kind) {
    case RecordKind::kInitiative: return "initiative";
    case RecordKind::kCommitteeDecision: return "committee_decision";
    case RecordKind::kCharterVersion: return "charter_version";
    case RecordKind::kCommitteeMembership: return "committee_membership";
    case RecordKind::kKeyRotation: return "key_rotation";
  }
  return "unknown";
}

std::optional<Operation> OperationFromName(std::string_view name) {
  for (auto op : {Operation::kPut, Operation::kErase}) {
    if (OperationName(op) == name) return op;
  }
  return std::nullopt;
}

std::optional<RecordKind> RecordKindFromName(std::string_view name) {
  for (int k = 1; k <= 5; ++k) {
    auto kind = static_cast<RecordKind>(k);
    if (RecordKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

RecordId NewRecordId() {
  RecordId id;
  RandomBytes(id);
  id[6] = (id[6] & 0x0f) | 0x40;  // version 4
  id[8] = (id[8] & 0x3f) | 0x80;  // RFC 4122 variant
  return id;
}

std::string RecordIdToString(const RecordId& id) {
  std::string hex = ToHex(id);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

std::optional<RecordId> RecordIdFromString(std::string_view text) {
  if (text.size() != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' ||
      text[23] != '-') {
    return std::nullopt;
  }
  std::string hex;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i != 8 && i != 13 && i != 18 && i != 23) hex.push_back(text[i]);
  }
  auto bytes = FromHex(hex);
  if (!bytes) return std::nullopt;
  RecordId id{};
  std::copy(bytes->begin(), bytes->end(), id.begin());
  return id;
}

bool IsWellFormedRegionCode(std::string_view code) {
  if (code.size() < 2 || code.size() > 3) return false;
  for (char c : code) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

Bytes EncodeLogEntry(const LogEntry& e) {
  if (!IsWellFormedRegionCode(e.region)) {
    throw std::invalid_argument("log entry: region code must be 2 or 3 digits");
  }
  Bytes out;
  out.reserve(kFixedSize + e.region.size());
  out.push_back(kLogEntryFormatVersion);
  out.push_back(static_cast<std::uint8_t>(e.operation));
  out.push_back(static_cast<std::uint8_t>(e.kind));
  PutUint(out, e.index, 8);
  PutUint(out, static_cast<std::uint64_t>(e.timestamp_ms), 8);
  out.push_back(static_cast<std::uint8_t>(e.region.size()));
  out.insert(out.end(), e.region.begin(), e.region.end());
  out.insert(out.end(), e.record_id.begin(), e.record_id.end());
  PutUint(out, e.record_version, 4);
  out.insert(out.end(), e.payload_commitment.begin(), e.payload_commitment.end());
  return out;
}

Verdict DecodeLogEntry(ByteView in, LogEntry& out) {
  auto malformed = [](std::string why) {
    return Verdict::Fail(VerdictCode::kMalformed, "entrée illisible : " + why);
  };
  if (in.size() < 20) return malformed("trop courte (" + std::to_string(in.size()) + " octets)");
  if (in[0] != kLogEntryFormatVersion) {
    return malformed("version de format inconnue " + std::to_string(in[0]));
  }
  if (OperationName(static_cast<Operation>(in[1])) == "unknown") {
    return malformed("opération inconnue " + std::to_string(in[1]));
  }
  if (RecordKindName(static_cast<RecordKind>(in[2])) == "unknown") {
    return malformed("type d'enregistrement inconnu " + std::to_string(in[2]));
  }
  std::size_t region_len = in[19];
  if (in.size() != kFixedSize + region_len) {
    return malformed("longueur " + std::to_string(in.size()) + " octets, attendu " +
                     std::to_string(kFixedSize + region_len));
  }
  std::string region(reinterpret_cast<const char*>(in.data()) + 20, region_len);
  if (!IsWellFormedRegionCode(region)) return malformed("code de région mal formé");

  LogEntry e;
  e.operation = static_cast<Operation>(in[1]);
  e.kind = static_cast<RecordKind>(in[2]);
  e.index = GetUint(in, 3, 8);
  e.timestamp_ms = static_cast<std::int64_t>(GetUint(in, 11, 8));
  e.region = std::move(region);
  std::size_t at = 20 + region_len;
  std::copy_n(in.begin() + at, 16, e.record_id.begin());
  e.record_version = static_cast<std::uint32_t>(GetUint(in, at + 16, 4));
  std::copy_n(in.begin() + at + 20, kHashSize, e.payload_commitment.begin());
  if (e.record_version == 0) return malformed("version d'enregistrement 0");
  out = std::move(e);
  return Verdict::Ok();
}

}  // namespace ess
