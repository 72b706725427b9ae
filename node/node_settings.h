#pragma once
// What a region configures about its node's behaviour (deploy/node.example.conf), as plain
// values the services read. Infrastructure settings (addresses, database) stay in NodeConfig.

#include <string>
#include <vector>

#include "http/password_hash.h"
#include "http/rate_limiter.h"
#include "node/domain/decision_rule.h"
#include "node/domain/freshness.h"

namespace ess::node {

struct NodeSettings {
  std::string region;       // INSEE region code of this node
  std::string public_url = "http://127.0.0.1:8080";  // base of the links sent to owners
  DecisionRule decision_rule;
  // Stakeholder colleges members may belong to (ISO 26000's six by default).
  std::vector<std::string> colleges = {"consommateurs", "entreprises", "pouvoirs_publics",
                                       "salaries", "ong", "recherche_conseil"};
  FreshnessPolicy freshness;
  int report_threshold = 3;       // open reports that put an admitted initiative under review
  int endorsement_threshold = 5;  // endorsements shown as "endorsed" in the queue
  int edit_link_days = 60;        // lifetime of a private edit link
  int session_hours = 12;
  bool cookie_secure = false;     // true behind HTTPS
  PasswordHashCost password_cost = PasswordHashCost::Moderate();
  RateLimit public_rate_limit{10, 10};  // submit, report, endorse, per client address
  RateLimit login_rate_limit{10, 5};
  std::size_t json_body_limit = 64 * 1024;
  std::size_t import_rows_max = 10'000;
};

}  // namespace ess::node
