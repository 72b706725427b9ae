#include "node/service/records_service.h"

#include <set>
#include <sstream>

#include "core/csv.h"
#include "core/field_rules.h"
#include "core/search_query.h"
#include "node/domain/entered_text.h"
#include "node/service/journal.h"
#include "node/service/region_rules_service.h"
#include "node/store/committee_store.h"

namespace ess::node {

namespace {

const Failure kNotFound =
    Failure::Of(FailureKind::kNotFound, "not_found", "Initiative introuvable.");
const Failure kErased =
    Failure::Of(FailureKind::kGone, "erased", "Cette initiative a été effacée.");

Failure BadParameter(const std::string& field, const std::string& message) {
  return Failure::Invalid("invalid_parameter", message, field);
}

// The parameters the list reads; any other is refused (a typo would silently filter nothing).
const std::set<std::string, std::less<>> kListParameters = {
    "q",          "status",   "freshness",      "department",   "commune",      "family",
    "activity",   "source",   "submitted_from", "submitted_to", "updated_from", "updated_to",
    "valid_from", "valid_to", "sort",           "order",        "page",         "per_page"};

// YYYY-MM-DD (UTC) as the Unix second the day starts at.
std::optional<UnixSeconds> ParseDay(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  return ParseRfc3339(text + "T00:00:00Z");
}

// A date range: `from` the day's start, `to` the end of its day (the next day's start).
std::optional<Failure> ReadRange(const QueryLookup& lookup, const std::string& name,
                                 const std::string& label, std::optional<UnixSeconds>& from,
                                 std::optional<UnixSeconds>& to) {
  for (const auto& [suffix, out] :
       {std::pair<std::string, std::optional<UnixSeconds>*>{"_from", &from}, {"_to", &to}}) {
    auto value = QueryParam(lookup, name + suffix);
    if (!value) continue;
    auto day = ParseDay(*value);
    if (!day) {
      return BadParameter(name + suffix, "Date invalide pour « " + name + suffix +
                                             " » : attendue sous la forme AAAA-MM-JJ (" + label +
                                             ").");
    }
    *out = suffix == "_to" ? *day + kSecondsPerDay : *day;
  }
  if (from && to && *to <= *from) {
    return BadParameter(name + "_to", "La fin de la période (" + label +
                                          ") précède son début : « " + name +
                                          "_to » doit suivre « " + name + "_from ».");
  }
  return std::nullopt;
}

std::optional<Failure> CheckSelection(const std::vector<std::string>& ids) {
  if (ids.empty() || ids.size() > kMaxRecordsSelection) {
    return Failure::Invalid(
        "invalid_selection",
        "Sélectionnez de 1 à " + std::to_string(kMaxRecordsSelection) + " fiches.", "ids");
  }
  for (const auto& id : ids) {
    if (!IsUuidText(id)) {
      return Failure::Invalid("invalid_selection",
                              "Identifiant de fiche invalide : « " + id.substr(0, 40) + " ».",
                              "ids");
    }
  }
  return std::nullopt;
}

RecordItem ItemOf(RecordRow row, const FreshnessPolicy& policy, UnixSeconds now) {
  const Initiative& i = row.initiative;
  const bool in_workflow =
      i.status != InitiativeStatus::kRejected && i.status != InitiativeStatus::kWithdrawn;
  RecordItem item{std::move(row.initiative), FreshnessAt(i, now), false, std::move(row.source),
                  row.reminders};
  item.reminder_due =
      in_workflow && ReminderDue(item.initiative, policy, now, row.reminder_sent_for);
  return item;
}

std::string Day(std::optional<UnixSeconds> t) { return t ? FormatRfc3339(*t).substr(0, 10) : ""; }

}  // namespace

Result<RecordsQuery> ReadRecordsQuery(const QueryMap& query) {
  for (const auto& [name, value] : query) {
    if (!kListParameters.contains(name)) {
      return BadParameter(name.substr(0, 40), "Paramètre inconnu : « " + name.substr(0, 40) +
                                                  " ». Filtres possibles : q, status, "
                                                  "freshness, department, commune, family, "
                                                  "activity, source, submitted_from/_to, "
                                                  "updated_from/_to, valid_from/_to, sort, "
                                                  "order, page, per_page.");
    }
  }
  const QueryLookup lookup = LookupIn(query);
  RecordsQuery out;
  // core's reader for the words and the codes, with the back office's freshness values.
  const SearchParamsRules rules{
      .region_and_legal_form = false,
      .freshness_values = {"fresh", "reminder_due", "to_confirm", "hidden"}};
  SearchFilters filters;
  if (auto error = ReadSearchFilters(lookup, rules, filters)) {
    return Failure::Invalid(error->code, error->message, error->field);
  }
  out.text = filters.text;
  out.freshness = filters.freshness;
  out.department = filters.department;
  out.commune = filters.commune;
  out.family = filters.family;
  out.activity = filters.activity;
  if (auto status = QueryParam(lookup, "status")) {
    std::stringstream names(*status);
    std::string name;
    while (std::getline(names, name, ',')) {
      auto parsed = InitiativeStatusFromName(name);
      if (!parsed) {
        return BadParameter("status", "Statut inconnu : « " + name.substr(0, 40) +
                                          " ». Statuts possibles : pending, changes_requested, "
                                          "admitted, rejected, suspended, withdrawn.");
      }
      out.statuses.push_back(*parsed);
    }
  }
  if (auto source = QueryParam(lookup, "source")) {
    if (*source != "form" && *source != "import") {
      return BadParameter("source", "Origine inconnue : « " + source->substr(0, 40) +
                                        " ». Origines possibles : form (formulaire), import.");
    }
    out.source = *source;
  }
  if (auto bad =
          ReadRange(lookup, "submitted", "date de dépôt", out.submitted_from, out.submitted_to)) {
    return *bad;
  }
  if (auto bad =
          ReadRange(lookup, "updated", "dernière modification", out.updated_from, out.updated_to)) {
    return *bad;
  }
  if (auto bad = ReadRange(lookup, "valid", "validité", out.valid_from, out.valid_to)) return *bad;
  if (auto sort = QueryParam(lookup, "sort")) {
    auto parsed = RecordsSortFromName(*sort);
    if (!parsed) {
      return BadParameter("sort", "Tri inconnu : « " + sort->substr(0, 40) +
                                      " ». Tris possibles : name, status, department, family, "
                                      "submitted, updated, valid_until.");
    }
    out.sort = *parsed;
  }
  if (auto order = QueryParam(lookup, "order")) {
    if (*order != "asc" && *order != "desc") {
      return BadParameter("order", "Ordre inconnu : « " + order->substr(0, 40) +
                                       " ». Ordres possibles : asc, desc.");
    }
    out.descending = *order == "desc";
  }
  if (auto error = ReadPageRequest(lookup, kMaxRecordsPerPage, kDefaultRecordsPerPage, out.page)) {
    return Failure::Invalid(error->code, error->message, error->field);
  }
  return out;
}

Result<RecordsPage> RecordsService::List(const RecordsQuery& query) {
  auto referential = context_.referential.Get();
  if (query.family && referential && !referential->Family(*query.family)) {
    return BadParameter("family", "Famille inconnue du référentiel : « " + *query.family + " ».");
  }
  RecordsFilter filter;
  if (query.text) {
    filter.tsquery = PrefixTsQuery(
        *query.text, referential ? referential->synonyms() : std::span<const SynonymGroup>{});
  }
  for (auto status : query.statuses) {
    filter.statuses.emplace_back(InitiativeStatusName(status));
  }
  filter.freshness = query.freshness;
  filter.department = query.department;
  filter.commune = query.commune;
  filter.family = query.family;
  filter.activity = query.activity;
  filter.source = query.source;
  filter.submitted_from = query.submitted_from;
  filter.submitted_until = query.submitted_to;
  filter.updated_from = query.updated_from;
  filter.updated_until = query.updated_to;
  filter.valid_from = query.valid_from;
  filter.valid_until = query.valid_to;
  filter.sort = query.sort;
  filter.descending = query.descending;
  const UnixMillis now_millis = context_.clock.NowMillis();
  const UnixSeconds now = now_millis / 1000;
  return context_.pool.WithTransaction([&](pqxx::work& txn) -> Result<RecordsPage> {
    const FreshnessPolicy policy = CurrentRules(txn, context_.rules)->rules.freshness;
    filter.reminder_days = policy.reminder_days;
    auto rows =
        RecordsStore(txn).List(filter, now_millis, query.page.per_page, query.page.offset());
    RecordsPage page{rows.total, query.page, {}};
    for (auto& row : rows.rows) page.items.push_back(ItemOf(std::move(row), policy, now));
    return page;
  });
}

Result<RecordDetail> RecordsService::Get(const std::string& id) {
  auto view = initiatives_.GetFull(id);
  if (!view.ok()) return view.failure();
  const UnixSeconds now = NowSeconds(context_.clock);
  return context_.pool.WithTransaction([&](pqxx::work& txn) -> Result<RecordDetail> {
    RecordsStore records(txn);
    auto row = records.Row(id);
    if (!row) return InitiativeStore(txn).IsErased(id) ? kErased : kNotFound;
    const FreshnessPolicy policy = CurrentRules(txn, context_.rules)->rules.freshness;
    return RecordDetail{view.value(), ItemOf(std::move(*row), policy, now),
                        InitiativeStore(txn).Events(id),
                        records.Revisions(context_.settings.region, id), records.Reminders(id)};
  });
}

Result<EditOutcome> RecordsService::EditOnBehalf(const Principal& admin, const std::string& id,
                                                 const InitiativeDraft& draft,
                                                 const std::optional<std::string>& reason) {
  static const std::string kLabel = "Motif de la modification";
  if (!reason) {
    return Failure::Invalid("required",
                            "Le champ « " + kLabel +
                                " » est obligatoire : dites au porteur pourquoi vous modifiez sa "
                                "fiche.",
                            "reason");
  }
  std::string said;
  if (auto bad = ReadEnteredText(*reason, TextKind::kMultiLine, "reason", kLabel, said)) {
    return *bad;
  }
  const auto length = Utf8Length(said).value_or(0);
  if (length < 3 || length > kMaxOnBehalfReason) {
    return Failure::Invalid("invalid_text",
                            "Le champ « " + kLabel + " » doit compter de 3 à " +
                                std::to_string(kMaxOnBehalfReason) + " caractères.",
                            "reason");
  }
  const std::string editor =
      admin.account.display_name.empty() ? admin.account.email : admin.account.display_name;
  return initiatives_.Edit(id, draft, admin.Actor(), OnBehalf{editor, said});
}

Result<IssuedEditLink> RecordsService::ReissueLink(const Principal& admin, const std::string& id) {
  return initiatives_.IssueEditLink(id, admin.Actor());
}

Result<bool> RecordsService::RemindNow(const Principal& admin, const std::string& id) {
  return initiatives_.RemindNow(id, admin.Actor());
}

Result<std::vector<SelectionOutcome>> RecordsService::RemindSelection(
    const Principal& admin, const std::vector<std::string>& ids) {
  if (auto bad = CheckSelection(ids)) return *bad;
  std::vector<SelectionOutcome> out;
  for (const auto& id : ids) {
    auto reminded = initiatives_.RemindNow(id, admin.Actor());
    out.push_back({id, reminded.ok() ? std::nullopt : std::optional(reminded.failure())});
  }
  return out;
}

Result<std::string> RecordsService::ExportSelection(const std::vector<std::string>& ids) {
  if (auto bad = CheckSelection(ids)) return *bad;
  const UnixSeconds now = NowSeconds(context_.clock);
  return context_.pool.WithTransaction([&](pqxx::work& txn) -> Result<std::string> {
    const FreshnessPolicy policy = CurrentRules(txn, context_.rules)->rules.freshness;
    constexpr char kSeparator = ';';
    std::string out = "\xEF\xBB\xBF";  // the BOM: French spreadsheets then read UTF-8
    out += CsvLine({"id",
                    "nom",
                    "statut",
                    "fraicheur",
                    "rappel_du",
                    "origine",
                    "famille",
                    "forme_juridique",
                    "commune",
                    "nom_commune",
                    "departement",
                    "courriel",
                    "telephone",
                    "site_web",
                    "siret",
                    "contact_nom",
                    "contact_courriel",
                    "contact_telephone",
                    "depose_le",
                    "modifie_le",
                    "confirme_le",
                    "valable_jusqu_au",
                    "rappels_envoyes",
                    "dernier_rappel_etat"},
                   kSeparator);
    for (auto& row : RecordsStore(txn).Selection(ids)) {
      const RecordItem item = ItemOf(std::move(row), policy, now);
      const Initiative& i = item.initiative;
      const auto& f = i.fields;
      const auto& p = i.private_fields;
      out += CsvLine({i.id,
                      f.name,
                      std::string(InitiativeStatusName(i.status)),
                      std::string(FreshnessName(item.freshness)),
                      item.reminder_due ? "oui" : "non",
                      item.source,
                      f.family,
                      f.legal_form,
                      f.commune,
                      i.commune_name,
                      f.department,
                      f.email.value_or(""),
                      f.phone.value_or(""),
                      f.website.value_or(""),
                      f.siret.value_or(""),
                      p.contact_name.value_or(""),
                      p.contact_email.value_or(""),
                      p.contact_phone.value_or(""),
                      Day(i.created_at),
                      Day(i.updated_at),
                      Day(i.confirmed_at),
                      Day(i.valid_until),
                      std::to_string(item.reminders.count),
                      item.reminders.last_state.value_or("")},
                     kSeparator);
    }
    return out;
  });
}

}  // namespace ess::node
