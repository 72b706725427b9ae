#pragma once
// What a region configures about its node's behaviour (deploy/node.example.conf), as plain
// values the services read. Infrastructure settings (addresses, database) stay in NodeConfig.

#include <string>
#include <vector>

#include "core/password_hash.h"
#include "http/rate_limiter.h"
#include "node/domain/region_rules.h"

namespace ess::node {

// The sign-in limits (node/service/account_service.h, "Sign-in limits"), shared by every
// node process through PostgreSQL.
struct SignInLimits {
  int address_attempts_per_minute = 30;  // from one client address, over all accounts
  int pair_failures = 5;                 // of one (address, account) pair...
  int pair_window_minutes = 15;          // ...within this: the pair is refused as long again
  int account_failures = 20;             // of one account, from everywhere...
  int account_window_minutes = 60;  // ...within this: locked as long again, but for known devices
  int known_device_days = 365;      // a browser that signed in stays known this long unused
};

struct NodeSettings {
  std::string region;       // INSEE region code of this node
  std::string public_url = "http://127.0.0.1:8080";  // base of the links sent to owners
  // The national site's public address, for the search's "chercher dans toute la France";
  // empty = no such link. Given to the pages in /site.json.
  std::string hub_public_url;
  // The SMTP relay the outbox is delivered through, as the admin page shows it (its URL,
  // no credentials); empty = no relay configured, messages stay queued (node/mail/).
  std::string mail_relay;
  // The region's rules as the configuration gives them: only their initial values. They are
  // stored in PostgreSQL the first time the node starts, then changed by the admin; services
  // read the rules in force from NodeContext::rules, never from here.
  RegionRules initial_rules;
  int edit_link_days = 60;        // lifetime of a private edit link
  int session_hours = 12;
  bool cookie_secure = false;     // true behind HTTPS
  PasswordHashCost password_cost = PasswordHashCost::Moderate();
  RateLimit public_rate_limit{10, 10};  // submit, report, endorse, per client address
  // One report and one endorsement per initiative per visitor (visitor mark) per period of
  // this many days (node/service/initiative_service.h, Report).
  int participation_period_days = 30;
  SignInLimits sign_in;
  // The password hashing pool (core/password_work.h): threads + queue sign-ins at
  // once, each running hash taking password_cost's memory.
  std::size_t password_threads = 1, password_queue = 1;
  std::size_t json_body_limit = 64 * 1024;
  std::size_t import_rows_max = 10'000;
  int import_concurrent_jobs = 1;  // CSV imports committed at once by this node process
};

}  // namespace ess::node
