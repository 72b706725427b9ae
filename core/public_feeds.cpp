#include "core/public_feeds.h"

#include <algorithm>

#include "core/csv.h"
#include "core/geo.h"

namespace ess {

using nlohmann::json;

namespace {

// Our own terms: a URN until the federation registers a permanent IRI (decision 0022).
constexpr const char* kEssVocabulary = "urn:ess-federation:vocab:";

std::string LabelOf(const ReferentialEntry* entry, const std::string& code) {
  return entry && !entry->label.empty() ? entry->label : code;
}

std::string RegionName(const Referential& referential, const std::string& code) {
  return LabelOf(referential.Region(code), code);
}

// The family, the legal form and the activities as French labels, once each, in that order.
std::vector<std::string> CategoryLabels(const PublicRecord& r, const Referential& referential) {
  std::vector<std::string> labels;
  const auto add = [&](std::string label) {
    if (!label.empty() && std::find(labels.begin(), labels.end(), label) == labels.end())
      labels.push_back(std::move(label));
  };
  add(LabelOf(referential.Family(r.family), r.family));
  if (!r.legal_form.empty()) add(LabelOf(referential.LegalForm(r.legal_form), r.legal_form));
  for (const auto& a : r.activities) add(LabelOf(referential.Activity(a), a));
  return labels;
}

bool IsHttpUrl(const std::string& url) {
  return url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
}

}  // namespace

std::optional<SearchParamError> ReadCsvDialect(const QueryLookup& query, CsvDialect& dialect) {
  dialect = CsvDialect::kRfc4180;
  auto d = QueryParam(query, "dialect");
  if (!d) return std::nullopt;
  if (*d == "fr") {
    dialect = CsvDialect::kFrench;
  } else if (*d != "rfc4180") {
    return SearchParamError{"dialect", "invalid_parameter",
                            "« dialect » vaut « rfc4180 » (par défaut) ou « fr » (tableur "
                            "français : « ; », BOM UTF-8, virgule décimale)."};
  }
  return std::nullopt;
}

std::string PublicRecordsCsv(const std::vector<PublicRecord>& records, CsvDialect dialect) {
  const bool french = dialect == CsvDialect::kFrench;
  const char separator = french ? ';' : ',';
  const auto coordinate = [&](double v) {
    std::string text = FormatCoordinate(v);
    if (french) std::replace(text.begin(), text.end(), '.', ',');
    return text;
  };
  std::string out = french ? "\xEF\xBB\xBF" : "";
  out += CsvLine(
      {"region",      "id",          "name",      "family",     "legal_form",     "activities",
       "description", "address",     "postcode",  "commune",    "commune_name",   "department",
       "latitude",    "longitude",   "email",     "phone",      "website",        "siret",
       "employer",    "valid_until", "freshness", "updated_at", "record_version", "log_index"},
      separator);
  for (const auto& r : records) {
    out += CsvLine({r.region,
                    r.record_id,
                    r.name,
                    r.family,
                    r.legal_form,
                    CsvList(r.activities),
                    r.description,
                    r.address,
                    r.postcode,
                    r.commune,
                    r.commune_name,
                    r.department,
                    coordinate(r.latitude),
                    coordinate(r.longitude),
                    r.email.value_or(""),
                    r.phone.value_or(""),
                    r.website.value_or(""),
                    r.siret.value_or(""),
                    CsvYesNo(r.employer),
                    r.valid_until.value_or(""),
                    r.to_confirm ? "to_confirm" : "fresh",
                    r.updated_at.value_or(""),
                    std::to_string(r.record_version),
                    r.log_index ? std::to_string(*r.log_index) : ""},
                   separator);
  }
  return out;
}

json JsonLdContext() {
  const auto id = [](const char* iri) { return json{{"@id", iri}, {"@type", "@id"}}; };
  const auto ids = [](const char* iri) {
    return json{{"@id", iri}, {"@type", "@id"}, {"@container", "@set"}};
  };
  const auto set = [](const char* iri) { return json{{"@id", iri}, {"@container", "@set"}}; };
  const auto typed = [](const char* iri, const char* type) {
    return json{{"@id", iri}, {"@type", type}};
  };
  return {{"@context",
           {{"@version", 1.1},
            {"schema", "https://schema.org/"},
            {"essglobal", "http://purl.org/essglobal/vocab/"},
            {"ess", kEssVocabulary},
            {"xsd", "http://www.w3.org/2001/XMLSchema#"},
            {"DataFeed", "schema:DataFeed"},
            {"Organization", "schema:Organization"},
            {"SSEInitiative", "essglobal:SSEInitiative"},
            {"Place", "schema:Place"},
            {"PostalAddress", "schema:PostalAddress"},
            {"GeoCoordinates", "schema:GeoCoordinates"},
            {"dataFeedElement", set("schema:dataFeedElement")},
            {"totalItems", typed("ess:totalItems", "xsd:integer")},
            {"page", typed("ess:page", "xsd:integer")},
            {"perPage", typed("ess:perPage", "xsd:integer")},
            {"name", "schema:name"},
            {"description", "schema:description"},
            {"url", id("schema:url")},
            {"mainEntityOfPage", id("schema:mainEntityOfPage")},
            {"email", "schema:email"},
            {"telephone", "schema:telephone"},
            {"dateModified", typed("schema:dateModified", "xsd:dateTime")},
            {"address", "schema:address"},
            {"streetAddress", "schema:streetAddress"},
            {"postalCode", "schema:postalCode"},
            {"addressLocality", "schema:addressLocality"},
            {"addressRegion", "schema:addressRegion"},
            {"addressCountry", "schema:addressCountry"},
            {"location", "schema:location"},
            {"geo", "schema:geo"},
            {"latitude", typed("schema:latitude", "xsd:double")},
            {"longitude", typed("schema:longitude", "xsd:double")},
            {"legalForm", id("essglobal:legalForm")},
            {"economicSector", ids("essglobal:economicSector")},
            {"family", "ess:family"},
            {"legalFormCode", "ess:legalForm"},
            {"activityCode", set("ess:activity")},
            {"siret", "ess:siret"},
            {"employer", typed("ess:employer", "xsd:boolean")},
            {"communeCode", "ess:commune"},
            {"departmentCode", "ess:department"},
            {"locationPrecision", "ess:locationPrecision"},
            {"validUntil", typed("ess:validUntil", "xsd:dateTime")},
            {"freshness", "ess:freshness"},
            {"provenance", "ess:provenance"},
            {"region", "ess:region"},
            {"logIndex", typed("ess:logIndex", "xsd:integer")},
            {"recordVersion", typed("ess:recordVersion", "xsd:integer")},
            {"proof", id("ess:proof")}}}};
}

json JsonLdFeed(const std::vector<PublicRecord>& records, const FeedPage& page,
                const Referential& referential, const std::string& context_url) {
  json items = json::array();
  for (const auto& r : records) {
    json item = {{"@id", "urn:uuid:" + r.record_id},
                 {"@type", {"Organization", "SSEInitiative"}},
                 {"name", r.name},
                 {"description", r.description},
                 {"mainEntityOfPage", r.page_url},
                 {"family", r.family},
                 {"activityCode", r.activities},
                 {"communeCode", r.commune},
                 {"departmentCode", r.department},
                 {"locationPrecision", r.location_precision},
                 {"freshness", r.to_confirm ? "to_confirm" : "fresh"}};
    json address = {{"@type", "PostalAddress"},
                    {"addressLocality", r.commune_name},
                    {"addressRegion", RegionName(referential, r.region)},
                    {"addressCountry", "FR"}};
    if (!r.address.empty()) address["streetAddress"] = r.address;
    if (!r.postcode.empty()) address["postalCode"] = r.postcode;
    item["address"] = std::move(address);
    item["location"] = {
        {"@type", "Place"},
        {"geo",
         {{"@type", "GeoCoordinates"}, {"latitude", r.latitude}, {"longitude", r.longitude}}}};
    if (!r.legal_form.empty()) {
      item["legalFormCode"] = r.legal_form;
      if (const auto* form = referential.LegalForm(r.legal_form); form && !form->essglobal.empty())
        item["legalForm"] = form->essglobal;
    }
    json sectors = json::array();
    for (const auto& a : r.activities) {
      const auto* activity = referential.Activity(a);
      if (activity && !activity->essglobal.empty() &&
          std::find(sectors.begin(), sectors.end(), activity->essglobal) == sectors.end())
        sectors.push_back(activity->essglobal);
    }
    if (!sectors.empty()) item["economicSector"] = std::move(sectors);
    if (r.website) item["url"] = *r.website;
    if (r.email) item["email"] = *r.email;
    if (r.phone) item["telephone"] = *r.phone;
    if (r.siret) item["siret"] = *r.siret;
    if (r.employer) item["employer"] = *r.employer;
    if (r.valid_until) item["validUntil"] = *r.valid_until;
    if (r.updated_at) item["dateModified"] = *r.updated_at;
    json provenance = {{"region", r.region}, {"recordVersion", r.record_version}};
    if (r.log_index) provenance["logIndex"] = *r.log_index;
    if (!r.proof_url.empty()) provenance["proof"] = r.proof_url;
    item["provenance"] = std::move(provenance);
    items.push_back(std::move(item));
  }
  return {{"@context", context_url},       {"@type", "DataFeed"},
          {"totalItems", page.total},      {"page", page.page.page},
          {"perPage", page.page.per_page}, {"dataFeedElement", std::move(items)}};
}

json GoGoCartoFeed(const std::vector<PublicRecord>& records, const Referential& referential) {
  json data = json::array();
  for (const auto& r : records) {
    json item = {{"id", r.region + "-" + r.record_id},
                 {"name", r.name},
                 {"description", r.description},
                 {"geo", {{"latitude", r.latitude}, {"longitude", r.longitude}}},
                 {"address",
                  {{"streetAddress", r.address},
                   {"addressLocality", r.commune_name},
                   {"postalCode", r.postcode},
                   {"addressCountry", "FR"}}},
                 {"categories", CategoryLabels(r, referential)},
                 {"source", RegionName(referential, r.region)},
                 // custom fields: GoGoCarto keeps any other key as it is
                 {"fiche", r.page_url},
                 {"region", r.region},
                 {"departement", r.department},
                 {"commune_insee", r.commune},
                 {"fraicheur", r.to_confirm ? "à confirmer" : "à jour"},
                 {"version_fiche", r.record_version}};
    if (r.email) item["email"] = *r.email;
    if (r.phone) item["telephone"] = *r.phone;
    if (r.website) item["website"] = *r.website;
    if (r.siret) item["siret"] = *r.siret;
    if (r.updated_at) item["updatedAt"] = *r.updated_at;
    if (!r.proof_url.empty()) item["preuve"] = r.proof_url;
    data.push_back(std::move(item));
  }
  return {{"data", std::move(data)}};
}

json MurmurationsProfile(const PublicRecord& r, const Referential& referential) {
  json profile = {{"linked_schemas", {kMurmurationsSchema}},
                  {"name", r.name},
                  {"tags", CategoryLabels(r, referential)},
                  {"description", r.description},
                  {"country_iso_3166", "FR"},
                  {"region", RegionName(referential, r.region)},
                  {"locality", r.commune_name},
                  {"geolocation", {{"lat", r.latitude}, {"lon", r.longitude}}},
                  {"unique_id", r.region + "-" + r.record_id}};
  std::string full_address = r.address;
  const std::string locality = (r.postcode.empty() ? "" : r.postcode + " ") + r.commune_name;
  full_address += (full_address.empty() ? "" : ", ") + locality + ", France";
  profile["full_address"] = full_address;
  // primary_url: the initiative's own site, else its page on the map (an http(s) URL only).
  if (r.website && IsHttpUrl(*r.website)) {
    profile["primary_url"] = *r.website;
  } else if (IsHttpUrl(r.page_url)) {
    profile["primary_url"] = r.page_url;
  }
  if (IsHttpUrl(r.page_url))
    profile["urls"] = {{{"name", "Fiche sur la carte"}, {"url", r.page_url}}};
  if (r.email) profile["contact_details"] = {{"email", *r.email}};
  if (r.phone) profile["telephone"] = *r.phone;
  return profile;
}

json MurmurationsIndex(const std::vector<PublicRecord>& records, const FeedPage& page) {
  json profiles = json::array();
  for (const auto& r : records) {
    profiles.push_back({{"profile_url", r.profile_url}, {"name", r.name}});
  }
  return {{"profiles", std::move(profiles)},
          {"linked_schemas", {kMurmurationsSchema}},
          {"total", page.total},
          {"page", page.page.page},
          {"per_page", page.page.per_page}};
}

}  // namespace ess
