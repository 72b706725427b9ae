#include "node/service/import_service.h"

#include <algorithm>
#include <map>

#include "core/csv.h"
#include "core/parse_number.h"
#include "node/domain/freshness.h"
#include "node/domain/initiative_validation.h"
#include "node/service/journal.h"
#include "node/service/region_rules_service.h"
#include "node/store/initiative_store.h"

namespace ess::node {

namespace {

constexpr const char* kFields[] = {"name",          "family",        "legal_form",  "activities",
                                   "description",   "address",       "postcode",    "commune",
                                   "latitude",      "longitude",     "email",       "phone",
                                   "website",       "siret",         "employer",    "contact_name",
                                   "contact_email", "contact_phone", "confirmed_at"};

// When the regional database being imported last confirmed a record: "YYYY-MM-DD" or
// RFC 3339. Freshness starts from it, so a record confirmed long ago arrives "to confirm"
// (or hidden) exactly as if it had aged here. Never in the future.
Result<UnixSeconds> ParseConfirmedAt(const std::string& cell, UnixSeconds now) {
  auto parsed = ParseRfc3339(cell.size() == 10 ? cell + "T00:00:00Z" : cell);
  if (!parsed) {
    return Failure::Invalid("invalid_date", "Date de confirmation « " + cell.substr(0, 40) +
                                                " » : attendu AAAA-MM-JJ.", "confirmed_at");
  }
  if (*parsed > now) {
    return Failure::Invalid("invalid_date", "La date de confirmation ne peut pas être dans le futur.",
                            "confirmed_at");
  }
  return *parsed;
}

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::string item;
  for (char c : text) {
    if (c == separator) {
      out.push_back(item);
      item.clear();
    } else {
      item.push_back(c);
    }
  }
  out.push_back(item);
  for (auto& s : out) {
    s.erase(0, s.find_first_not_of(' '));
    s.erase(s.find_last_not_of(' ') + 1);
  }
  std::erase_if(out, [](const std::string& s) { return s.empty(); });
  return out;
}

// One CSV row as entered, and its confirmed_at cell if any; a Failure for cells that
// cannot be converted (numbers, booleans). Blank cells are absent.
struct RowDraft {
  InitiativeDraft draft;
  std::optional<std::string> confirmed_at;
};

Result<RowDraft> RowToDraft(const CsvRow& row, const std::map<std::string, std::size_t>& columns,
                            char list_separator) {
  RowDraft out;
  InitiativeDraft& d = out.draft;
  const std::map<std::string, std::optional<std::string>*> texts = {
      {"name", &d.name},
      {"family", &d.family},
      {"legal_form", &d.legal_form},
      {"description", &d.description},
      {"address", &d.address},
      {"postcode", &d.postcode},
      {"commune", &d.commune},
      {"email", &d.email},
      {"phone", &d.phone},
      {"website", &d.website},
      {"siret", &d.siret},
      {"contact_name", &d.private_fields.contact_name},
      {"contact_email", &d.private_fields.contact_email},
      {"contact_phone", &d.private_fields.contact_phone},
      {"confirmed_at", &out.confirmed_at}};
  for (const auto& [field, index] : columns) {
    std::string cell = index < row.size() ? row[index] : "";
    if (cell.find_first_not_of(" \t") == std::string::npos) continue;
    if (field == "activities") {
      d.activities = Split(cell, list_separator);
    } else if (field == "latitude" || field == "longitude") {
      std::replace(cell.begin(), cell.end(), ',', '.');  // a French spreadsheet's decimal comma
      auto first = cell.find_first_not_of(" \t"), last = cell.find_last_not_of(" \t");
      auto v = ParseNumber<double>(std::string_view(cell).substr(first, last - first + 1));
      if (!v)
        return Failure::Invalid("invalid_type",
                                "« " + cell.substr(0, 40) + " » n'est pas un nombre.", field);
      (field == "latitude" ? d.latitude : d.longitude) = *v;
    } else if (field == "employer") {
      std::string v = cell;
      std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
      if (v == "oui" || v == "true" || v == "1" || v == "yes" || v == "o") {
        d.employer = true;
      } else if (v == "non" || v == "false" || v == "0" || v == "no" || v == "n") {
        d.employer = false;
      } else {
        return Failure::Invalid("invalid_type", "Employeur : oui ou non.", field);
      }
    } else {
      *texts.at(field) = cell;
    }
  }
  return out;
}

}  // namespace

Result<ImportRequest> ImportService::Prepare(const ImportSettings& settings) {
  auto referential = context_.referential.Get();
  if (!referential) {
    return Failure::Of(FailureKind::kUnavailable, "no_referential", "Le référentiel commun n'est pas encore chargé sur ce nœud.");
  }
  if (!settings.csv) return Failure::Invalid("required", "Le contenu CSV est obligatoire.", "csv");
  const std::string& separator = settings.separator;
  if (separator != "," && separator != ";") return Failure::Invalid("invalid_parameter", "Séparateur : « , » ou « ; ».", "separator");
  const std::string& list_separator = settings.list_separator;
  if (list_separator.size() != 1 || list_separator[0] == separator[0]) {
    return Failure::Invalid("invalid_parameter", "Séparateur de liste : un caractère différent du séparateur.", "list_separator");
  }
  if (settings.status != "pending" && settings.status != "admitted") {
    return Failure::Invalid("invalid_parameter", "Statut d'import : pending ou admitted.", "status");
  }

  ImportRequest request;
  request.list_separator = list_separator[0];
  request.admitted = settings.status == "admitted";
  request.dry_run = settings.dry_run;
  request.table = ParseCsv(*settings.csv, separator[0]);
  const CsvTable& table = request.table;
  if (!table.error.empty()) {
    return Failure::Invalid("invalid_csv", "CSV illisible ligne " + std::to_string(table.error_line) + " : " + table.error + ".", "csv");
  }
  if (table.rows.size() < 2) return Failure::Invalid("empty_csv", "Le fichier ne contient aucune ligne de données.", "csv");
  if (table.rows.size() - 1 > context_.settings.import_rows_max) {
    return Failure::Invalid("too_many_rows", "Au plus " + std::to_string(context_.settings.import_rows_max) +
                                                 " lignes par import.", "csv");
  }
  const CsvRow& header = table.rows[0];
  std::map<std::string, std::string> mapping =
      settings.mapping.value_or(std::map<std::string, std::string>{});
  if (mapping.empty()) {
    for (const char* field : kFields) mapping[field] = field;
  }
  for (const auto& [field, column] : mapping) {
    if (std::find(std::begin(kFields), std::end(kFields), field) == std::end(kFields)) {
      return Failure::Invalid("unknown_field", "Champ inconnu dans la correspondance : « " + field + " ».", "mapping." + field);
    }
    auto it = std::find(header.begin(), header.end(), column);
    if (it == header.end()) {
      if (settings.mapping) {
        return Failure::Invalid("unknown_column",
                                "Colonne absente de l'en-tête : « " + column + " ».",
                                "mapping." + field);
      }
      continue;  // default mapping: absent columns are simply not imported
    }
    request.columns[field] = static_cast<std::size_t>(it - header.begin());
  }
  return request;
}

ImportValidation ImportService::Validate(const ImportRequest& request,
                                         const std::function<void(std::size_t)>& on_checked) {
  auto referential = context_.referential.Get();
  if (!referential) throw std::runtime_error("aucun référentiel chargé");
  const UnixSeconds now = NowSeconds(context_.clock);
  const auto& rows = request.table.rows;
  ImportValidation out;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    auto checked = [&] {
      if (on_checked) on_checked(r);
    };
    auto converted = RowToDraft(rows[r], request.columns, request.list_separator);
    if (!converted.ok()) {
      out.errors.push_back({r, converted.failure().field, converted.failure().code, converted.failure().message});
      checked();
      continue;
    }
    const RowDraft& row = converted.value();
    UnixSeconds row_confirmed_at = now;
    if (row.confirmed_at) {
      auto parsed = ParseConfirmedAt(*row.confirmed_at, now);
      if (!parsed.ok()) {
        out.errors.push_back({r, "confirmed_at", parsed.failure().code, parsed.failure().message});
        checked();
        continue;
      }
      row_confirmed_at = parsed.value();
    }
    auto validated = ValidateInitiativeInput(row.draft, *referential, context_.settings.region);
    if (!validated.ok()) {
      const Failure& f = validated.failure();
      std::string field = f.field.rfind("private.", 0) == 0 ? f.field.substr(8) : f.field;
      out.errors.push_back({r, field, f.code, f.message});
      checked();
      continue;
    }
    out.valid.push_back(std::move(validated.value()));
    out.confirmed_at.push_back(row_confirmed_at);
    checked();
  }
  return out;
}

ImportReport ImportService::Report(const ImportRequest& request, const ImportValidation& validation,
                                   const std::vector<std::string>& ids) {
  ImportReport report;
  report.dry_run = request.dry_run;
  report.rows = request.rows();
  report.valid = validation.valid.size();
  const std::size_t shown = std::min(validation.errors.size(), kImportErrorsReported);
  report.errors.assign(validation.errors.begin(), validation.errors.begin() + shown);
  report.error_count = validation.errors.size();
  report.ids = ids;
  return report;
}

Result<std::vector<std::string>> ImportService::Commit(
    const ImportRequest& request, const ImportValidation& validation, const std::string& actor,
    const std::function<void(std::size_t)>& on_saved,
    const std::function<void(pqxx::transaction_base&, const std::vector<std::string>&)>&
        before_commit) {
  if (!validation.errors.empty()) throw std::logic_error("import commit with invalid rows");
  return context_.RunJournalling([&](pqxx::work& txn) -> Result<std::vector<std::string>> {
    const UnixSeconds now = NowSeconds(context_.clock);
    const FreshnessPolicy freshness = CurrentRules(txn, context_.rules)->rules.freshness;
    std::vector<Initiative> initiatives;
    for (std::size_t k = 0; k < validation.valid.size(); ++k) {
      // Copies, not moves: a retried transaction (broken connection) starts again from them.
      const InitiativeInput& row = validation.valid[k];
      Initiative i;
      i.id = NewRecordIdText();
      i.fields = row.fields;
      i.private_fields = row.private_fields;
      i.commune_name = row.commune_name;
      i.status = request.admitted ? InitiativeStatus::kAdmitted : InitiativeStatus::kPending;
      i.created_at = i.updated_at = now;
      Confirm(i, freshness, validation.confirmed_at[k]);
      if (!request.admitted) {
        i.review_round = 0;
        StartReviewRound(i, ReviewReason::kImport);  // round 1
      }
      initiatives.push_back(std::move(i));
    }
    // One append for the whole file: one checkpoint, versions in file order.
    InitiativeStore store(txn);
    std::vector<std::string> ids;
    JournalInitiatives(txn, context_, initiatives, {}, [&](std::size_t saved) {
      const Initiative& i = initiatives[saved - 1];
      store.AddEvent(i.id, {now, "imported", actor, ""});
      ids.push_back(i.id);
      if (on_saved) on_saved(saved);
    });
    if (before_commit) before_commit(txn, ids);
    return ids;
  });
}

Result<ImportService::Outcome> ImportService::Import(const Principal& admin,
                                                     const ImportSettings& settings) {
  auto request = Prepare(settings);
  if (!request.ok()) return request.failure();
  ImportValidation validation = Validate(request.value());
  Outcome out;
  if (!validation.errors.empty() || request.value().dry_run) {
    out.report = Report(request.value(), validation);
    out.rejected = !validation.errors.empty() && !request.value().dry_run;
    return out;
  }
  auto ids = Commit(request.value(), validation, admin.Actor());
  if (!ids.ok()) return ids.failure();
  out.report = Report(request.value(), validation, ids.value());
  return out;
}

}  // namespace ess::node
