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

class CharterService {
 public:
  explicit CharterService(const NodeContext& context) : context_(context) {}

  // Admin: the text (nullopt: kInvalid `required`) and the days given to re-adhere
  // (CheckCharterDraft's bounds).
  Result<PublishedCharter> Publish(const Principal& admin, const std::optional<std::string>& text,
                                   int readhesion_days);
  // kNotFound `no_charter` before the first version.
  Result<CharterVersion> Current();
  Result<std::vector<CharterVersion>> Versions();

 private:
  const NodeContext& context_;
};

}  // namespace ess::node
