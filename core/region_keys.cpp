#include "core/region_keys.h"

#include <nlohmann/json.hpp>

namespace ess {

Verdict RegionKeyRing::Add(RegionKey key) {
  if (key.key.name != origin_) {
    return Verdict::Fail(VerdictCode::kWrongRegion,
                         "la clé « " + key.key.name + " » n'est pas celle de " + origin_);
  }
  if (FindByKeyId(key.key.key_id)) {
    return Verdict::Fail(VerdictCode::kMalformed, "clé déjà enregistrée pour " + origin_);
  }
  keys_.push_back(std::move(key));
  return Verdict::Ok();
}

const RegionKey* RegionKeyRing::FindByKeyId(std::uint32_t key_id) const {
  for (const auto& k : keys_) {
    if (k.key.key_id == key_id) return &k;
  }
  return nullptr;
}

const RegionKey* RegionKeyRing::KeyFor(std::uint64_t index) const {
  for (const auto& k : keys_) {
    if (k.Covers(index)) return &k;
  }
  return nullptr;
}

bool RegionKeyRing::Revoke(std::uint32_t key_id) {
  for (auto& k : keys_) {
    if (k.key.key_id == key_id) {
      k.revoked = true;
      return true;
    }
  }
  return false;
}

Verdict RegionKeyRing::Rotate(const VerifierKey& next, std::uint64_t from_index) {
  RegionKey* current = nullptr;
  for (auto& k : keys_) {
    if (!k.valid_until_index && !k.revoked) current = &k;
  }
  if (current && from_index <= current->valid_from_index) {
    return Verdict::Fail(VerdictCode::kPayloadInvalid,
                         "rotation de clé à l'index " + std::to_string(from_index) +
                             ", avant le début de la clé courante");
  }
  RegionKey added{next, from_index, std::nullopt, false};
  if (Verdict v = Add(added); !v.ok()) return v;
  // Add() may have reallocated: find the previous current key again.
  for (auto& k : keys_) {
    if (k.key.key_id != next.key_id && !k.valid_until_index && !k.revoked) {
      k.valid_until_index = from_index;
    }
  }
  return Verdict::Ok();
}

std::string EncodeKeyRotation(const KeyRotation& rotation) {
  nlohmann::json j = {{"next_key", FormatVerifierKey(rotation.next_key.name,
                                                     rotation.next_key.public_key)},
                      {"from_index", rotation.from_index}};
  return j.dump();
}

Verdict DecodeKeyRotation(ByteView payload, KeyRotation& out) {
  auto invalid = [](std::string why) {
    return Verdict::Fail(VerdictCode::kPayloadInvalid, "rotation de clé invalide : " + why);
  };
  auto j = nlohmann::json::parse(payload.begin(), payload.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return invalid("pas un objet JSON");
  if (!j.contains("next_key") || !j["next_key"].is_string()) return invalid("next_key manquant");
  if (!j.contains("from_index") || !j["from_index"].is_number_unsigned()) {
    return invalid("from_index manquant");
  }
  const std::string& text = j["next_key"].get_ref<const std::string&>();
  auto key = ParseVerifierKey(text);
  if (!key) return invalid("next_key n'est pas une clé de vérification Ed25519");
  if (!IsCanonicalVerifierKey(text)) {
    return invalid("next_key n'est pas écrite sous sa forme canonique (identifiant en minuscules)");
  }
  out = {*key, j["from_index"].get<std::uint64_t>()};
  return Verdict::Ok();
}

}  // namespace ess
