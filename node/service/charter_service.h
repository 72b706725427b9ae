#pragma once
// The regional charter: the admin publishes versions (journalled as charter_version
// records); publishing asks every initiative on an older version to re-adhere, with a
// message and a fresh edit link to its contact.

#include <optional>
#include <string>

#include "node/domain/charter.h"
#include "node/domain/failure.h"
#include "node/service/account_service.h"
#include "node/service/node_context.h"

namespace ess::node {

struct PublishedCharter {
  CharterVersion charter;
  int readhesions_asked = 0;  // initiatives asked to re-adhere
};

// What publishing a text would do, before it is published (nothing is written).
struct CharterPreview {
  int listings_to_readhere = 0;  // initiatives that would be asked to re-adhere
  int current_version = 0;       // 0 before the first version
};

class CharterService {
 public:
  explicit CharterService(const NodeContext& context) : context_(context) {}

  // Admin: checks the text and the period as Publish does (empty: `required`; the text in
  // force: `unchanged`) and counts the initiatives a publication would ask to re-adhere.
  Result<CharterPreview> Preview(const std::optional<std::string>& text, int readhesion_days);
  // Admin: the text (nullopt: kInvalid `required`; the one in force: `unchanged`), the days
  // given to re-adhere (CheckCharterDraft's bounds) and, once a version is in force, the
  // count of initiatives to re-adhere the admin saw in the preview (CheckPublicationConfirmed:
  // kInvalid `confirmation_required`, kConflict `readhesion_count_changed`).
  Result<PublishedCharter> Publish(const Principal& admin, const std::optional<std::string>& text,
                                   int readhesion_days,
                                   const std::optional<int>& confirm_listings = std::nullopt);
  // kNotFound `no_charter` before the first version.
  Result<CharterVersion> Current();
  Result<std::vector<CharterVersion>> Versions();

 private:
  const NodeContext& context_;
};

}  // namespace ess::node
