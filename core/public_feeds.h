#pragma once
// The feeds other maps import (docs/interop.md), written the same way by node and hub: the
// CSV export (RFC 4180 or the French spreadsheet dialect), a JSON-LD feed with its published
// @context (schema.org and ESSGlobal terms, ours for the rest), a GoGoCarto-shaped JSON and
// Murmurations profiles with their index. Each adapter turns its own rows into PublicRecord
// (links included) and reads the same search filters and pages; what is written is decided
// here only.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/referential.h"
#include "core/search_params.h"

namespace ess {

// One admitted initiative as every public feed carries it: its public fields, where it stands
// in its region's signed log, and its links (absolute, or relative to the serving site).
struct PublicRecord {
  std::string region, record_id;
  std::uint32_t record_version = 0;
  std::optional<std::uint64_t> log_index;  // the log entry of that version, when known
  std::string name, family, legal_form;
  std::vector<std::string> activities;
  std::string description;
  std::string address, postcode;  // empty when not given
  std::string commune, commune_name, department;
  double latitude = 0, longitude = 0;
  std::string location_precision;
  std::optional<std::string> email, phone, website, siret;
  std::optional<bool> employer;
  std::optional<std::string> valid_until, updated_at;  // RFC 3339
  bool to_confirm = false;
  std::string page_url;     // its page on a public site
  std::string proof_url;    // its log entry with an inclusion proof; empty when none is served
  std::string profile_url;  // its Murmurations profile
};

// Where a page of a feed stands among the matches.
struct FeedPage {
  std::uint64_t total = 0;
  PageRequest page;
};

// Exports and feeds: pages of up to kMaxExportRows, kDefaultExportRows by default.
inline constexpr std::size_t kMaxExportRows = 50'000;
inline constexpr std::size_t kDefaultExportRows = 10'000;

enum class CsvDialect { kRfc4180, kFrench };
// ?dialect=rfc4180 (the default: ',' and decimal points) or fr (';', a UTF-8 byte order mark
// and decimal commas: what French spreadsheet software opens as columns).
std::optional<SearchParamError> ReadCsvDialect(const QueryLookup& query, CsvDialect& dialect);
std::string PublicRecordsCsv(const std::vector<PublicRecord>& records, CsvDialect dialect);

// The @context document served at kJsonLdContextPath.
inline constexpr const char* kJsonLdContextPath = "/api/feeds/context.jsonld";
nlohmann::json JsonLdContext();
// {"@context": context_url, "@type": "DataFeed", "totalItems", "page", "perPage",
//  "dataFeedElement": [one Organization per record]}.
nlohmann::json JsonLdFeed(const std::vector<PublicRecord>& records, const FeedPage& page,
                          const Referential& referential, const std::string& context_url);

// A JSON array of the objects GoGoCarto's importer reads (id, name, geo, address, categories
// as French labels, contacts), the rest as its custom fields; under {"data": [...]}.
nlohmann::json GoGoCartoFeed(const std::vector<PublicRecord>& records,
                             const Referential& referential);

// The Murmurations schema a profile is linked to.
inline constexpr const char* kMurmurationsSchema = "organizations_schema-v1.0.0";
nlohmann::json MurmurationsProfile(const PublicRecord& record, const Referential& referential);
// {"profiles": [{"profile_url", "name"}], "total", "page", "per_page"}.
nlohmann::json MurmurationsIndex(const std::vector<PublicRecord>& records, const FeedPage& page);

}  // namespace ess
