// Routes for anyone: health, referential and communes, charter, submission, search and views,
// reports and endorsements, map clusters, exports, the journal's checkpoint.
#include "node/api/node_api.h"

#include <algorithm>
#include <cctype>

#include "http/json_body.h"
#include "node/api/api_json.h"
#include "node/api/initiative_json_input.h"
#include "node/api/search_request.h"

namespace ess::node {

using nlohmann::json;

namespace {

// A signal not counted (one per visitor per period): the same words whoever sent the
// earlier one, nothing about other visitors.
constexpr const char* kReportNotCounted =
    "Un seul signalement par initiative et par visiteur est pris en compte sur une période : "
    "celui-ci n'a pas été compté.";
constexpr const char* kEndorsementNotCounted =
    "Un seul soutien par initiative et par visiteur est pris en compte sur une période : "
    "celui-ci n'a pas été compté.";

HttpResponse NoReferential() {
  return HttpResponse::Error(503, "no_referential",
                             "Le référentiel commun n'est pas encore chargé sur ce nœud.");
}

// 201 with the count when the signal was counted; 200 with the same count, counted false and
// `not_counted` as message when it was not.
HttpResponse SignalResponse(const Result<SignalOutcome>& outcome, const char* count_name,
                            const char* not_counted) {
  if (!outcome.ok()) return FailureResponse(outcome.failure());
  const SignalOutcome& signal = outcome.value();
  json body{{count_name, signal.count}, {"counted", signal.counted}};
  if (!signal.counted) body["message"] = not_counted;
  return JsonResponse(signal.counted ? 201 : 200, body);
}

}  // namespace

void NodeApi::AddPublicRoutes() {
  const std::size_t limit = context_.settings.json_body_limit;
  router_.Add("GET", "/healthz", [](const HttpRequest&, const PathParams&) {
    return HttpResponse::Json(200, R"({"status":"ok"})");
  });
  // The referential, whole or without its 35,000 communes (?without=communes), with an ETag.
  router_.Add("GET", "/api/referential", [this](const HttpRequest& req, const PathParams&) {
    auto without = QueryParam(LookupIn(req.query), "without");  // empty = absent, as at the hub
    if (without && *without != "communes") {
      return HttpResponse::Error(422, "invalid_parameter",
                                 "« without » ne peut valoir que « communes ».", "without");
    }
    auto views = Views();
    if (!views) {
      return NoReferential();
    }
    return CachedDocument(req, without ? views->without_communes : views->full);
  });
  // The region's communes as one types (registration form): ?q=<start of a name, a code or
  // a postcode>&limit=1..50, or ?code=<INSEE> for one.
  router_.Add("GET", "/api/communes", [this](const HttpRequest& req, const PathParams&) {
    auto views = Views();
    if (!views) {
      return NoReferential();
    }
    std::vector<const CommuneSummary*> found;
    if (auto code = req.Query("code")) {
      if (const CommuneSummary* c = views->communes.Find(*code)) found.push_back(c);
    } else {
      auto q = req.Query("q").value_or("");
      if (q.empty() || q.size() > 100) {
        return HttpResponse::Error(422, "invalid_parameter",
                                   "Tapez de 1 à 100 caractères du nom de la commune.", "q");
      }
      std::size_t count = 20;
      if (auto text = req.Query("limit")) {
        if (text->empty() || text->size() > 2 ||
            !std::all_of(text->begin(), text->end(), ::isdigit) || std::stoul(*text) < 1 ||
            std::stoul(*text) > 50) {
          return HttpResponse::Error(422, "invalid_parameter", "« limit » : de 1 à 50.", "limit");
        }
        count = std::stoul(*text);
      }
      found = views->communes.Search(q, count);
    }
    json items = json::array();
    auto referential = context_.referential.Get();
    for (const CommuneSummary* c : found) {
      json item{{"code", c->code},
                {"name", c->name},
                {"department", c->department},
                {"postcodes", c->postcodes}};
      // Its reference point, where the record goes without a pin (contract 1: approximate).
      const Commune* commune = referential ? referential->FindCommune(c->code) : nullptr;
      if (commune && commune->latitude && commune->longitude) {
        item["latitude"] = *commune->latitude;
        item["longitude"] = *commune->longitude;
        item["approximate"] = commune->approximate;
      }
      items.push_back(std::move(item));
    }
    auto res = HttpResponse::Json(200, json{{"communes", items}}.dump());
    res.headers.emplace_back("Cache-Control", "public, max-age=300");
    return res;
  });
  // The search by place (core/place_finder.h): the region's communes, departments and the
  // region itself for ?q=<a name, a postcode, a code>&limit=1..20.
  router_.Add("GET", "/api/places", [this](const HttpRequest& req, const PathParams&) {
    PlaceQuery query;
    if (auto error = ReadPlaceQuery(LookupIn(req.query), query)) {
      return HttpResponse::Error(422, error->code, error->message, error->field);
    }
    auto views = Views();
    if (!views) {
      return NoReferential();
    }
    auto res = HttpResponse::Json(200, PlacesJson(views->places.Find(query.text, query.limit)));
    res.headers.emplace_back("Cache-Control", "public, max-age=300");
    return res;
  });
  router_.Add("GET", "/api/charter", [this](const HttpRequest&, const PathParams&) {
    return Respond(charter_.Current(), 200, CharterJson);
  });
  router_.Add("GET", "/api/charter/versions", [this](const HttpRequest&, const PathParams&) {
    return Respond(charter_.Versions(), 200, [](const std::vector<CharterVersion>& versions) {
      json out = json::array();
      for (const auto& c : versions) out.push_back(CharterJson(c));
      return json{{"versions", out}};
    });
  });
  router_.Add("POST", "/api/initiatives", [this, limit](const HttpRequest& req, const PathParams&) {
    if (auto refused = Throttle(public_limiter_, req)) return *refused;
    auto body = ParseJsonBody(req, limit);
    if (body.error) return *body.error;
    auto submission = InitiativeSubmissionFromJson(*body.value);
    if (!submission.ok()) return FailureResponse(submission.failure());
    auto submitted = initiatives_.Submit(submission.value());
    return Respond(submitted, 201, [this](const SubmittedInitiative& s) {
      return json{{"initiative", InitiativeJson(s.initiative, context_.clock)},
                  {"edit_token", s.edit_token},
                  {"message",
                   "Initiative transmise au comité d'éthique. Gardez le jeton : il permet de tenir "
                   "la fiche à jour."}};
    });
  });
  router_.Add("GET", "/api/initiatives", [this](const HttpRequest& req, const PathParams&) {
    bool staff = false;
    if (auto principal = guard_.Optional(req))
      staff = principal->IsAdmin() || principal->IsActiveMember();
    auto read = ReadSearchRequest(req.query);
    if (!read.ok()) return FailureResponse(read.failure());
    const SearchRequest& r = read.value();
    return Respond(search_.Search(r.query, r.page, staff), 200, SearchResultsJson);
  });
  router_.Add("GET", "/api/initiatives/{id}", [this](const HttpRequest& req, const PathParams& p) {
    auto principal = guard_.Optional(req);
    bool staff = principal && (principal->IsAdmin() || principal->IsActiveMember());
    auto view = staff ? initiatives_.GetFull(p.at("id")) : initiatives_.GetPublic(p.at("id"));
    return Respond(view, 200, [staff](const InitiativeView& v) { return ViewJson(v, staff); });
  });
  // The region's change feed (docs/interop.md), as the hub's: a region other than this
  // node's has no change here.
  router_.Add("GET", "/api/changes", [this](const HttpRequest& req, const PathParams&) {
    ChangeFeedRequest read;
    if (auto error = ReadChangeFeedRequest(LookupIn(req.query), kMaxChangesPage, read)) {
      return FailureResponse(Failure::Invalid(error->code, error->message, error->field));
    }
    const std::string& region = context_.settings.region;
    json changes = json::array();
    if (read.region && *read.region != region) {
      return HttpResponse::Json(200, ChangesPageJson(std::move(changes), read.after, false).dump());
    }
    PublicChanges page = search_.Changes(read.after, read.limit);
    for (const PublicChange& c : page.changes) {
      changes.push_back(
          ChangeJson({region, c.record_id, c.record_version, c.log_index, c.status,
                      FormatRfc3339(c.journalled_at),
                      c.item ? std::optional(SearchItemJson(*c.item)) : std::nullopt}));
    }
    return HttpResponse::Json(200,
                              ChangesPageJson(std::move(changes), page.next, page.more).dump());
  });
  router_.Add("POST", "/api/initiatives/{id}/reports",
              [this, limit](const HttpRequest& req, const PathParams& p) {
                if (auto refused = Throttle(public_limiter_, req)) return *refused;
                auto body = ParseJsonBody(req, limit);
                if (body.error) return *body.error;
                auto outcome =
                    initiatives_.Report(p.at("id"),
                                        {JsonString(*body.value, "reason", nullptr),
                                         JsonString(*body.value, "comment", nullptr).value_or("")},
                                        req.client_address);
                return SignalResponse(outcome, "open_reports", kReportNotCounted);
              });
  router_.Add("POST", "/api/initiatives/{id}/endorsements",
              [this, limit](const HttpRequest& req, const PathParams& p) {
                if (auto refused = Throttle(public_limiter_, req)) return *refused;
                auto body = ParseJsonBody(req, limit, /*empty_is_object=*/true);
                if (body.error) return *body.error;
                auto outcome = initiatives_.Endorse(
                    p.at("id"), JsonString(*body.value, "comment", nullptr).value_or(""),
                    req.client_address);
                return SignalResponse(outcome, "endorsements", kEndorsementNotCounted);
              });
  router_.Add("GET", "/api/map/clusters", [this](const HttpRequest& req, const PathParams&) {
    auto read = ReadClusterRequest(req.query);
    if (!read.ok()) return FailureResponse(read.failure());
    return Respond(search_.Clusters(read.value().query, read.value().zoom), 200, ClusterListJson);
  });
  // Exports and feeds (core/public_feeds.h, docs/interop.md): the public search's filters,
  // by pages of up to kMaxExportRows.
  router_.Add(
      "GET", "/api/export/initiatives.csv", [this](const HttpRequest& req, const PathParams&) {
        CsvDialect dialect;
        if (auto error = ReadCsvDialect(LookupIn(req.query), dialect)) {
          return FailureResponse(Failure::Invalid(error->code, error->message, error->field));
        }
        return Exported(req, [&](const FeedResults&, const std::vector<PublicRecord>& records,
                                 const Referential&) {
          auto res = HttpResponse::Text(200, PublicRecordsCsv(records, dialect),
                                        "text/csv; charset=utf-8");
          res.headers.emplace_back("Content-Disposition",
                                   "attachment; filename=\"initiatives.csv\"");
          return res;
        });
      });
  router_.Add(
      "GET", "/api/export/initiatives.geojson", [this](const HttpRequest& req, const PathParams&) {
        return Exported(
            req, [](const FeedResults& feed, const std::vector<PublicRecord>&, const Referential&) {
              return HttpResponse::Text(200, SearchItemsGeoJson(feed.results.items).dump(),
                                        "application/geo+json; charset=utf-8");
            });
      });
  router_.Add("GET", kJsonLdContextPath, [](const HttpRequest&, const PathParams&) {
    auto res =
        HttpResponse::Text(200, JsonLdContext().dump(), "application/ld+json; charset=utf-8");
    res.headers.emplace_back("Cache-Control", "public, max-age=3600");
    return res;
  });
  router_.Add(
      "GET", "/api/feeds/initiatives.jsonld", [this](const HttpRequest& req, const PathParams&) {
        return Exported(req, [&](const FeedResults& feed, const std::vector<PublicRecord>& records,
                                 const Referential& referential) {
          const FeedPage page{static_cast<std::uint64_t>(feed.results.total), feed.results.page};
          return HttpResponse::Text(200,
                                    JsonLdFeed(records, page, referential,
                                               context_.settings.public_url + kJsonLdContextPath)
                                        .dump(),
                                    "application/ld+json; charset=utf-8");
        });
      });
  router_.Add(
      "GET", "/api/feeds/gogocarto.json", [this](const HttpRequest& req, const PathParams&) {
        return Exported(req, [&](const FeedResults&, const std::vector<PublicRecord>& records,
                                 const Referential& referential) {
          return HttpResponse::Json(200, GoGoCartoFeed(records, referential).dump());
        });
      });
  router_.Add("GET", "/api/feeds/murmurations", [this](const HttpRequest& req, const PathParams&) {
    return Exported(req, [&](const FeedResults& feed, const std::vector<PublicRecord>& records,
                             const Referential&) {
      const FeedPage page{static_cast<std::uint64_t>(feed.results.total), feed.results.page};
      return HttpResponse::Json(200, MurmurationsIndex(records, page).dump());
    });
  });
  // One profile; 404 once off the map, which is how the Murmurations index learns of it.
  router_.Add(
      "GET", "/api/feeds/murmurations/{id}", [this](const HttpRequest&, const PathParams& p) {
        const auto referential = context_.referential.Get();
        if (!referential) return NoReferential();
        auto view = initiatives_.GetPublic(p.at("id"));
        if (!view.ok()) return FailureResponse(view.failure());
        const SearchItem item{view.value().initiative, view.value().freshness, std::nullopt};
        const auto log_index = search_.LatestLogIndexes({item.initiative.id});
        return HttpResponse::Json(
            200, MurmurationsProfile(PublicRecordOf(item, log_index), *referential).dump());
      });
  // The key that signs the region's log, published on the region's own site so that anyone
  // can compare it, out of band, with the fingerprint the hub shows (decision 0010).
  router_.Add("GET", "/api/log/key", [this](const HttpRequest&, const PathParams&) {
    const RegionLogWriter& log = context_.log_writer;
    json body = {{"origin", log.origin()},
                 {"verifier_key", FormatVerifierKey(log.origin(), log.public_key())},
                 {"fingerprint", KeyFingerprint(log.public_key())}};
    return HttpResponse::Json(200, body.dump());
  });
  router_.Add("GET", "/api/log/checkpoint", [this](const HttpRequest&, const PathParams&) {
    auto note = journal_status_.LatestCheckpointNote();
    if (!note) return HttpResponse::Error(404, "empty_log", "Le journal est encore vide.");
    return HttpResponse::Text(200, *note, "text/plain; charset=utf-8");
  });
}

HttpResponse NodeApi::Exported(const HttpRequest& request, const FeedWriter& write) {
  auto read = ReadExportRequest(request.query);
  if (!read.ok()) return FailureResponse(read.failure());
  const auto referential = context_.referential.Get();
  if (!referential) return NoReferential();
  auto feed = search_.Feed(read.value().query, read.value().page);
  if (!feed.ok()) return FailureResponse(feed.failure());
  std::vector<PublicRecord> records;
  records.reserve(feed.value().results.items.size());
  for (const auto& item : feed.value().results.items)
    records.push_back(PublicRecordOf(item, feed.value().log_index));
  HttpResponse res = write(feed.value(), records, *referential);
  res.headers.emplace_back("X-Total-Count", std::to_string(feed.value().results.total));
  return res;
}

PublicRecord NodeApi::PublicRecordOf(const SearchItem& item,
                                     const std::map<std::string, std::uint64_t>& log_index) const {
  const Initiative& i = item.initiative;
  const InitiativeFields& f = i.fields;
  const NodeSettings& settings = context_.settings;
  PublicRecord r{.region = settings.region,
                 .record_id = i.id,
                 .record_version = i.record_version,
                 .log_index = std::nullopt,
                 .name = f.name,
                 .family = f.family,
                 .legal_form = f.legal_form,
                 .activities = f.activities,
                 .description = f.description,
                 .address = f.address,
                 .postcode = f.postcode,
                 .commune = f.commune,
                 .commune_name = i.commune_name,
                 .department = f.department,
                 .latitude = f.latitude,
                 .longitude = f.longitude,
                 .location_precision = f.location_precision,
                 .email = f.email,
                 .phone = f.phone,
                 .website = f.website,
                 .siret = f.siret,
                 .employer = f.employer,
                 .valid_until = FormatRfc3339(i.valid_until),
                 .updated_at = FormatRfc3339(i.updated_at),
                 .to_confirm = item.freshness == Freshness::kToConfirm,
                 .page_url = settings.public_url + "/initiative.html?id=" + i.id,
                 // the proof is served by the hub only
                 .proof_url = settings.hub_public_url.empty()
                                  ? ""
                                  : settings.hub_public_url + "/api/initiatives/" +
                                        settings.region + "/" + i.id + "/proof",
                 .profile_url = settings.public_url + "/api/feeds/murmurations/" + i.id};
  if (auto found = log_index.find(i.id); found != log_index.end()) r.log_index = found->second;
  return r;
}

}  // namespace ess::node
