#pragma once
// Reading the national view (hub/sql/012_national_view.sql): search with the node's features
// and core's filters (core/search_params.h: French full text without accents and with prefix
// match, filters, bounding box, radius with sort by distance in metres, pagination),
// server-side map clusters per zoom (core/geo.h: cell size and cap), one record, indicators for
// the pilot, and cross-region duplicates. Freshness is core's rule (core/freshness.h) on
// the hub's clock, as on the node: records from their hide_after on are left out
// everywhere; those from their valid_until on are flagged "to confirm" (freshness
// "to_confirm"). Search words become a tsquery with core's PrefixTsQuery()
// (core/search_query.h).
// Call PrepareNationalQueriesStatements() on every new connection.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/pqxx>

#include "core/change_feed.h"
#include "core/clock.h"
#include "core/geo.h"
#include "core/search_params.h"

namespace ess::hub {

void PrepareNationalQueriesStatements(pqxx::connection& conn);

inline constexpr std::size_t kMaxSearchPage = 100;
inline constexpr double kDuplicateDistanceMetres = 200;
// A search counts its matches exactly up to this many, then says "more than" (total_capped):
// counting millions of matches is what made a broad search slow.
inline constexpr std::uint64_t kSearchCountCap = 10'000;

enum class SortOrder { kRelevance, kName, kDistance };

struct NationalRecord {
  std::string region, record_id;
  std::uint32_t record_version = 0;
  std::uint64_t log_index = 0;
  std::string name, family, legal_form;
  std::vector<std::string> activities;
  std::string description;
  std::optional<std::string> address, postcode;
  std::string commune, commune_name, department;
  double latitude = 0, longitude = 0;
  std::string location_precision = "placed";  // "placed", "commune" or "approximate"
  std::optional<std::string> email, phone, website, siret;
  std::optional<bool> employer;
  std::string offers_json;
  std::optional<std::int64_t> charter_version;
  std::optional<std::string> charter_adhered_at, created_at, updated_at, confirmed_at,
      valid_until, hide_after;
  std::string admitted_at;
  bool to_confirm = false;  // from valid_until on (core/freshness.h)
  std::optional<double> distance_m;
};

// Where a walk by name stopped: the (name_key, region, record_id) of the last record of a
// page. EncodeNameCursor() makes it the API's opaque `after`; DecodeNameCursor() reads it back
// (nullopt when it is not one).
struct NameCursor {
  std::string name_key, region, record_id;
};
std::string EncodeNameCursor(const NameCursor& cursor);
std::optional<NameCursor> DecodeNameCursor(std::string_view text);

struct SearchPage {
  std::uint64_t total = 0;  // exact when !total_capped, else the cap (there are more)
  bool total_capped = false;
  // The order the page came in (relevance without words is by name). Relevance ranks the
  // first cap + 1 matches the index gives: all of them below the cap; a broad keyword never
  // ranks its ~79,000 matches.
  SortOrder sort = SortOrder::kName;
  std::optional<NameCursor> next;  // in name order, when more records follow this page
  std::vector<NationalRecord> items;
};

struct CountBy {
  std::string code;
  std::string label;  // filled by the caller from the referential when it knows one
  std::uint64_t count = 0;
};

struct MonthlyGrowth {
  std::string month;  // "2026-01"
  std::uint64_t admitted = 0;    // initiatives on the map first admitted that month
  std::uint64_t cumulative = 0;
};

struct Indicators {
  std::uint64_t on_map = 0;
  std::uint64_t fresh = 0;
  std::uint64_t to_confirm = 0;
  double freshness_rate = 0;  // fresh / on_map, 0 when the map is empty
  std::vector<CountBy> by_region, by_department, by_family, by_legal_form, by_activity;
  std::vector<CountBy> by_status;  // every initiative the hub knows, by latest status
  std::vector<MonthlyGrowth> monthly_growth;
};

// The national pilot's verdict on a pair (hub/sql/030_pilot_accounts.sql): hub-side
// metadata, never a change of either region's record.
struct DuplicateMark {
  std::string mark;  // "distinct" or "same_structure"
  std::string note;
  std::string marked_by;  // the pilot's display name
  std::string marked_at;  // RFC 3339
};

struct DuplicatePair {
  NationalRecord first, second;  // first.region < second.region
  std::vector<std::string> reasons;  // "siret", "name_nearby"
  double distance_m = 0;
  std::optional<DuplicateMark> mark;
};

enum class DuplicateMarkFilter { kAll, kMarked, kUnmarked };

inline constexpr std::size_t kMaxChangesPage = 1000;

// One change of the national view (GET /api/changes): an initiative's latest state, caused
// by the entry at (region, log_index) of its region's log. `record` is the initiative as the
// map shows it (hide_after included: from then on it is off the map), or nullopt for a
// removal (its latest revision is not admitted, or it was erased: `status`).
struct NationalChange {
  std::string region, record_id;
  std::uint32_t record_version = 0;
  std::uint64_t log_index = 0;
  std::string status;      // the latest revision's status, "erased" after an erase entry
  std::string changed_at;  // RFC 3339, the region's timestamp of that entry
  std::optional<NationalRecord> record;
};

struct ChangesPage {
  std::vector<NationalChange> changes;  // by region, then log index
  ChangeCursor next;                    // `after` advanced past every change of the page
  bool more = false;                    // more changes follow `next` now
};

// The dashboard's filters (GET /api/indicators): unset means every value.
struct IndicatorFilters {
  std::optional<std::string> region, department;
  // The period of first admission by the region: [from_ms, until_ms) in UnixMillis.
  std::optional<std::int64_t> from_ms, until_ms;
};

struct DuplicatePage {
  std::uint64_t total = 0;
  std::vector<DuplicatePair> items;
};

// A map cell as the hub's cluster statements return it (the table's and the grid's): its
// count at `count_column`, then from `first_column` on, in this order: mean latitude and
// longitude, min latitude, min longitude, max latitude, max longitude, and the record of a
// one-record cell (region, id, name, family, commune name, freshness, location precision).
MapCluster NationalClusterOf(const pqxx::row& row, int count_column, int first_column);

class NationalQueries {
 public:
  NationalQueries(pqxx::transaction_base& txn, const Clock& clock) : txn_(txn), clock_(clock) {}

  // freshness in `filters`: "fresh" or "to_confirm". Words with nothing searchable in them
  // ("' & !(") filter nothing, as an empty q (as on the node). The total is exact up to
  // max(kSearchCountCap, offset + limit), then capped. `after` (name order only) starts the
  // page right after that record, whatever changed since: a walk by cursors meets every record
  // that stayed exactly once. In name order a broad match without words (more than the cap)
  // is read from the name index in order, never sorted whole.
  SearchPage Search(const SearchFilters& filters, SortOrder sort, std::size_t limit,
                    std::size_t offset, const std::optional<NameCursor>& after = std::nullopt);
  // The fullest kMaxClusters cells of ClusterCellDegrees(zoom) (core/geo.h); a cell of one
  // record carries its region, id, name, family, commune name, freshness and location precision.
  std::vector<MapCluster> Clusters(const SearchFilters& filters, int zoom);
  std::optional<NationalRecord> Get(const std::string& region, const std::string& record_id);
  // Counts of the records on the map matching `filters`; by_status (every initiative the
  // hub knows, admitted or not) applies the region filter only: a record never admitted has
  // no department or admission date at the hub.
  Indicators ComputeIndicators(const IndicatorFilters& filters = {});
  // Pairs in a stable order, each with the pilot's mark if any; `marked` keeps only the
  // marked or the unmarked ones.
  DuplicatePage Duplicates(std::size_t limit, std::size_t offset,
                           DuplicateMarkFilter marked = DuplicateMarkFilter::kAll);
  // The change feed: up to `limit` changes after `after`, of `region` only when given, of the
  // initiatives that were once on the map (one never admitted is not public). Each appears
  // once, at its latest change: replaying every page from the empty cursor into an empty
  // store gives the national view, removals included.
  ChangesPage Changes(const ChangeCursor& after, const std::optional<std::string>& region,
                      std::size_t limit);

 private:
  pqxx::transaction_base& txn_;
  const Clock& clock_;
};

}  // namespace ess::hub
