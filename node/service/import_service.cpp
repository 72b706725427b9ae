#include "node/service/import_service.h"

#include <algorithm>
#include <map>

#include "node/domain/csv.h"
#include "node/domain/freshness.h"
#include "node/domain/initiative_validation.h"
#include "node/service/journal.h"
#include "node/store/initiative_store.h"

namespace ess::node {

namespace {

using nlohmann::json;

constexpr const char* kFields[] = {"name", "family", "legal_form", "activities", "description", "address",
                                   "postcode", "commune", "latitude", "longitude", "email", "phone",
                                   "website", "siret", "employer", "contact_name", "contact_email",
                                   "contact_phone", "confirmed_at"};
constexpr std::size_t kMaxErrorsReported = 200;

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

struct RowError {
  std::size_t row;
  std::string field, code, message;
};

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

// One CSV row as the JSON ValidateInitiativeInput reads; a Failure for cells that cannot be
// converted (numbers, booleans).
Result<json> RowToInput(const CsvRow& row, const std::map<std::string, std::size_t>& columns, char list_separator) {
  json input = json::object();
  json priv = json::object();
  for (const auto& [field, index] : columns) {
    std::string cell = index < row.size() ? row[index] : "";
    if (cell.find_first_not_of(" \t") == std::string::npos) continue;
    if (field == "activities") {
      input["activities"] = Split(cell, list_separator);
    } else if (field == "latitude" || field == "longitude") {
      std::replace(cell.begin(), cell.end(), ',', '.');
      try {
        std::size_t used = 0;
        double v = std::stod(cell, &used);
        if (used != cell.size()) throw std::invalid_argument(cell);
        input[field] = v;
      } catch (const std::exception&) {
        return Failure::Invalid("invalid_type", "« " + cell.substr(0, 40) + " » n'est pas un nombre.", field);
      }
    } else if (field == "employer") {
      std::string v = cell;
      std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
      if (v == "oui" || v == "true" || v == "1" || v == "yes" || v == "o") {
        input[field] = true;
      } else if (v == "non" || v == "false" || v == "0" || v == "no" || v == "n") {
        input[field] = false;
      } else {
        return Failure::Invalid("invalid_type", "Employeur : oui ou non.", field);
      }
    } else if (field.rfind("contact_", 0) == 0) {
      priv[field] = cell;
    } else {
      input[field] = cell;
    }
  }
  if (!priv.empty()) input["private"] = priv;
  return input;
}

}  // namespace

Result<ImportService::Outcome> ImportService::Import(const Principal& admin, const json& input) {
  auto referential = context_.referential.Get();
  if (!referential) {
    return Failure::Of(FailureKind::kUnavailable, "no_referential", "Le référentiel commun n'est pas encore chargé sur ce nœud.");
  }
  auto csv = input.find("csv");
  if (csv == input.end() || !csv->is_string()) return Failure::Invalid("required", "Le contenu CSV est obligatoire.", "csv");
  std::string separator = input.value("separator", json(",")).is_string() ? input.value("separator", ",") : "";
  if (separator != "," && separator != ";") return Failure::Invalid("invalid_parameter", "Séparateur : « , » ou « ; ».", "separator");
  std::string list_separator = input.value("list_separator", json("|")).is_string() ? input.value("list_separator", "|") : "";
  if (list_separator.size() != 1 || list_separator[0] == separator[0]) {
    return Failure::Invalid("invalid_parameter", "Séparateur de liste : un caractère différent du séparateur.", "list_separator");
  }
  std::string status_name = input.value("status", json("pending")).is_string() ? input.value("status", "pending") : "";
  if (status_name != "pending" && status_name != "admitted") {
    return Failure::Invalid("invalid_parameter", "Statut d'import : pending ou admitted.", "status");
  }
  auto dry_run_value = input.value("dry_run", json(false));
  if (!dry_run_value.is_boolean()) return Failure::Invalid("invalid_type", "« dry_run » vaut true ou false.", "dry_run");
  const bool dry_run = dry_run_value.get<bool>();

  CsvTable table = ParseCsv(csv->get<std::string>(), separator[0]);
  if (!table.error.empty()) {
    return Failure::Invalid("invalid_csv", "CSV illisible ligne " + std::to_string(table.error_line) + " : " + table.error + ".", "csv");
  }
  if (table.rows.size() < 2) return Failure::Invalid("empty_csv", "Le fichier ne contient aucune ligne de données.", "csv");
  if (table.rows.size() - 1 > context_.settings.import_rows_max) {
    return Failure::Invalid("too_many_rows", "Au plus " + std::to_string(context_.settings.import_rows_max) +
                                                 " lignes par import.", "csv");
  }
  const CsvRow& header = table.rows[0];
  std::map<std::string, std::size_t> columns;
  json mapping = input.value("mapping", json::object());
  if (!mapping.is_object()) return Failure::Invalid("invalid_type", "« mapping » est un objet champ -> colonne.", "mapping");
  if (mapping.empty()) {
    for (const char* field : kFields) mapping[field] = field;
  }
  for (const auto& [field, column] : mapping.items()) {
    if (std::find(std::begin(kFields), std::end(kFields), field) == std::end(kFields)) {
      return Failure::Invalid("unknown_field", "Champ inconnu dans la correspondance : « " + field + " ».", "mapping." + field);
    }
    if (!column.is_string()) return Failure::Invalid("invalid_type", "Une colonne se nomme par un texte.", "mapping." + field);
    auto it = std::find(header.begin(), header.end(), column.get<std::string>());
    if (it == header.end()) {
      if (input.contains("mapping")) {
        return Failure::Invalid("unknown_column", "Colonne absente de l'en-tête : « " + column.get<std::string>() + " ».",
                                "mapping." + field);
      }
      continue;  // default mapping: absent columns are simply not imported
    }
    columns[field] = static_cast<std::size_t>(it - header.begin());
  }

  const UnixSeconds now = NowSeconds(context_.clock);
  std::vector<RowError> errors;
  std::vector<InitiativeInput> valid;
  std::vector<UnixSeconds> confirmed_at;  // per valid row
  const std::size_t rows = table.rows.size() - 1;
  for (std::size_t r = 1; r < table.rows.size(); ++r) {
    auto converted = RowToInput(table.rows[r], columns, list_separator[0]);
    if (!converted.ok()) {
      errors.push_back({r, converted.failure().field, converted.failure().code, converted.failure().message});
      continue;
    }
    json row_input = converted.value();
    UnixSeconds row_confirmed_at = now;
    if (auto cell = row_input.find("confirmed_at"); cell != row_input.end()) {
      auto parsed = ParseConfirmedAt(cell->get<std::string>(), now);
      if (!parsed.ok()) {
        errors.push_back({r, "confirmed_at", parsed.failure().code, parsed.failure().message});
        continue;
      }
      row_confirmed_at = parsed.value();
      row_input.erase(cell);
    }
    auto validated = ValidateInitiativeInput(row_input, *referential, context_.settings.region);
    if (!validated.ok()) {
      const Failure& f = validated.failure();
      std::string field = f.field.rfind("private.", 0) == 0 ? f.field.substr(8) : f.field;
      errors.push_back({r, field, f.code, f.message});
      continue;
    }
    valid.push_back(validated.value());
    confirmed_at.push_back(row_confirmed_at);
  }
  Outcome out;
  json error_list = json::array();
  for (std::size_t i = 0; i < errors.size() && i < kMaxErrorsReported; ++i) {
    const auto& e = errors[i];
    error_list.push_back({{"row", e.row}, {"field", e.field}, {"code", e.code}, {"message", e.message}});
  }
  out.report = {{"dry_run", dry_run}, {"rows", rows}, {"valid", valid.size()}, {"errors", error_list},
                {"error_count", errors.size()}, {"imported", 0}, {"ids", json::array()}};
  if (!errors.empty()) {
    out.rejected = !dry_run;
    return out;
  }
  if (dry_run) return out;

  const bool admitted = status_name == "admitted";
  std::vector<std::string> ids = context_.pool.WithTransaction([&](pqxx::work& txn) {
    std::vector<Initiative> initiatives;
    std::vector<LogChange> changes;
    for (std::size_t k = 0; k < valid.size(); ++k) {
      InitiativeInput& row = valid[k];
      Initiative i;
      i.id = NewRecordIdText();
      i.fields = std::move(row.fields);
      i.private_fields = std::move(row.private_fields);
      i.commune_name = std::move(row.commune_name);
      i.status = admitted ? InitiativeStatus::kAdmitted : InitiativeStatus::kPending;
      i.created_at = i.updated_at = now;
      Confirm(i, context_.settings.freshness, confirmed_at[k]);
      i.under_review = !admitted;
      i.review_reason = admitted ? "" : "import";
      changes.push_back(InitiativeRevision(i));
      initiatives.push_back(std::move(i));
    }
    // One append for the whole file: one checkpoint, versions in file order.
    AppendedRecords appended = context_.journal.Append(txn, changes);
    InitiativeStore store(txn);
    std::vector<std::string> out_ids;
    for (std::size_t k = 0; k < initiatives.size(); ++k) {
      initiatives[k].log_version = appended.records[k].entry.record_version;
      store.Save(initiatives[k], InitiativeSearchText(initiatives[k], context_));
      store.AddEvent(initiatives[k].id, {now, "imported", admin.Actor(), ""});
      out_ids.push_back(initiatives[k].id);
    }
    return out_ids;
  });
  out.report["imported"] = ids.size();
  out.report["ids"] = ids;
  return out;
}

}  // namespace ess::node
