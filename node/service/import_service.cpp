#include "node/service/import_service.h"

#include <algorithm>
#include <map>

#include "core/csv.h"
#include "core/parse_number.h"
#include "core/text_fold.h"
#include "node/domain/freshness.h"
#include "node/domain/import_columns.h"
#include "node/domain/initiative_validation.h"
#include "node/service/journal.h"
#include "node/service/region_rules_service.h"
#include "node/store/import_mapping_store.h"
#include "node/store/initiative_store.h"

namespace ess::node {

namespace {

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

// One CSV row as entered, its confirmed_at cell if any, and the cells that could not be
// converted (numbers, yes/no, communes): each an error of its field, that field then absent
// from the draft. Blank cells are absent. Families, legal forms and activities given by
// label become their codes; a value that matches none is kept as entered, for the
// validation to refuse it in its own words.
struct RowDraft {
  InitiativeDraft draft;
  std::optional<std::string> confirmed_at;
  std::vector<FieldError> errors;
};

RowDraft RowToDraft(const CsvRow& row, const std::map<std::string, std::size_t>& columns,
                    char list_separator, const Referential& referential,
                    const PlaceFinder& places) {
  RowDraft out;
  InitiativeDraft& d = out.draft;
  const std::map<std::string, std::optional<std::string>*> texts = {
      {"name", &d.name},
      {"description", &d.description},
      {"address", &d.address},
      {"postcode", &d.postcode},
      {"email", &d.email},
      {"phone", &d.phone},
      {"website", &d.website},
      {"siret", &d.siret},
      {"contact_name", &d.private_fields.contact_name},
      {"contact_email", &d.private_fields.contact_email},
      {"contact_phone", &d.private_fields.contact_phone},
      {"confirmed_at", &out.confirmed_at}};
  auto cell_of = [&](const std::string& field) -> std::string {
    auto it = columns.find(field);
    if (it == columns.end() || it->second >= row.size()) return "";
    const std::string& cell = row[it->second];
    return cell.find_first_not_of(" \t") == std::string::npos ? "" : cell;
  };
  auto code_or_cell = [](const std::vector<ReferentialEntry>& list, const std::string& cell) {
    return MatchReferentialCode(list, cell).value_or(cell);
  };
  for (const auto& [field, index] : columns) {
    std::string cell = cell_of(field);
    if (cell.empty() || field == "commune" || field == "department") continue;
    if (field == "family") {
      d.family = code_or_cell(referential.families(), cell);
    } else if (field == "legal_form") {
      d.legal_form = code_or_cell(referential.legal_forms(), cell);
    } else if (field == "activities") {
      std::vector<std::string> activities;
      for (const std::string& item : Split(cell, list_separator)) {
        activities.push_back(code_or_cell(referential.activities(), item));
      }
      d.activities = std::move(activities);
    } else if (field == "latitude" || field == "longitude") {
      std::replace(cell.begin(), cell.end(), ',', '.');  // a French spreadsheet's decimal comma
      auto first = cell.find_first_not_of(" \t"), last = cell.find_last_not_of(" \t");
      auto v = ParseNumber<double>(std::string_view(cell).substr(first, last - first + 1));
      if (!v) {
        out.errors.push_back(
            {"invalid_type", "« " + cell.substr(0, 40) + " » n'est pas un nombre.", field});
        continue;
      }
      (field == "latitude" ? d.latitude : d.longitude) = *v;
    } else if (field == "employer") {
      auto yes = ReadYesNo(cell);
      if (!yes) {
        out.errors.push_back({"invalid_type",
                              "Employeur : « " + cell.substr(0, 40) +
                                  " » n'est ni oui ni non (oui, non, o, n, vrai, faux, x, 1, 0).",
                              field});
        continue;
      }
      d.employer = *yes;
    } else {
      *texts.at(field) = cell;
    }
  }
  // A legal form tells its family when the file has no family column or leaves it blank.
  if (!d.family && d.legal_form) {
    if (const ReferentialEntry* form = referential.LegalForm(*d.legal_form))
      d.family = form->parent;
  }
  if (columns.count("commune") || columns.count("postcode")) {
    auto commune = MatchCommune(places, referential, cell_of("commune"), cell_of("postcode"),
                                cell_of("department"));
    if (!commune.ok()) {
      out.errors.push_back(
          {commune.failure().code, commune.failure().message, commune.failure().field});
    } else if (commune.value()) {
      d.commune = *commune.value();
    }
  }
  return out;
}

// The mapping's field of a validation error's field: "activities[2]" -> "activities",
// "private.contact_name" -> "contact_name".
std::string MappedField(const std::string& field) {
  std::string out = field.rfind("private.", 0) == 0 ? field.substr(8) : field;
  if (auto bracket = out.find('['); bracket != std::string::npos) out.erase(bracket);
  if (auto dot = out.find('.'); dot != std::string::npos) out.erase(dot);
  return out;
}

}  // namespace

Result<ImportRequest> ImportService::Prepare(const ImportSettings& settings) {
  auto referential = context_.referential.Get();
  if (!referential) {
    return Failure::Of(FailureKind::kUnavailable, "no_referential",
                       "Le référentiel commun n'est pas encore chargé sur ce nœud.");
  }
  const auto format = ParseImportFormat(settings.format);
  if (!format) {
    return Failure::Invalid("invalid_parameter",
                            "Format d'import : csv, gogocarto, geojson ou jsonld.", "format");
  }
  if (settings.status != "pending" && settings.status != "admitted") {
    return Failure::Invalid("invalid_parameter", "Statut d'import : pending ou admitted.", "status");
  }
  ImportRequest request;
  request.format = *format;
  request.admitted = settings.status == "admitted";
  request.dry_run = settings.dry_run;
  const std::string& list_separator = settings.list_separator;
  if (*format != ImportFormat::kCsv) {
    // Another map's document (node/domain/map_import.h): its items as the rows of a table.
    if (!settings.document) {
      return Failure::Invalid("required", "Le document à importer est obligatoire.", "document");
    }
    if (list_separator.size() != 1) {
      return Failure::Invalid("invalid_parameter", "Séparateur de liste : un caractère.",
                              "list_separator");
    }
    request.list_separator = list_separator[0];
    auto document =
        MapDocumentToTable(*settings.document, *format, *referential, settings.categories,
                           request.list_separator, context_.settings.import_rows_max);
    if (!document.ok()) return document.failure();
    request.encoding = "UTF-8";
    request.table = std::move(document.value().table);
    request.source_ids = std::move(document.value().source_ids);
  } else {
    if (!settings.csv) {
      return Failure::Invalid("required", "Le contenu CSV est obligatoire.", "csv");
    }
    const std::string& separator = settings.separator;
    if (separator != "," && separator != ";" && separator != "\t" && separator != "auto") {
      return Failure::Invalid("invalid_parameter",
                              "Séparateur : « , », « ; », une tabulation ou « auto ».",
                              "separator");
    }
    DecodedText decoded = DecodeSpreadsheetText(*settings.csv);
    request.encoding = decoded.encoding;
    request.separator = separator == "auto" ? DetectCsvSeparator(decoded.text) : separator[0];
    if (list_separator.size() != 1 || list_separator[0] == request.separator) {
      return Failure::Invalid("invalid_parameter",
                              "Séparateur de liste : un caractère différent du séparateur.",
                              "list_separator");
    }
    request.list_separator = list_separator[0];
    request.table = ParseCsv(decoded.text, request.separator);
    const CsvTable& table = request.table;
    if (!table.error.empty()) {
      return Failure::Invalid(
          "invalid_csv",
          "CSV illisible ligne " + std::to_string(table.error_line) + " : " + table.error + ".",
          "csv");
    }
    if (table.rows.size() < 2) {
      return Failure::Invalid("empty_csv", "Le fichier ne contient aucune ligne de données.",
                              "csv");
    }
    if (table.rows.size() - 1 > context_.settings.import_rows_max) {
      return Failure::Invalid(
          "too_many_rows",
          "Au plus " + std::to_string(context_.settings.import_rows_max) + " lignes par import.",
          "csv");
    }
  }
  const CsvTable& table = request.table;
  CsvRow header = table.rows[0];
  for (std::string& cell : header) {  // spreadsheets pad headers; the mapping names them trimmed
    cell.erase(0, cell.find_first_not_of(" \t"));
    cell.erase(cell.find_last_not_of(" \t") + 1);
  }
  request.table.rows[0] = header;
  request.signature = ImportHeaderSignature(header);
  const bool chosen = settings.mapping && !settings.mapping->empty();
  std::map<std::string, std::string> mapping;
  if (chosen) {
    mapping = *settings.mapping;
    request.mapping_source = "chosen";
  } else {
    auto remembered = context_.pool.WithTransaction(
        [&](pqxx::work& txn) { return ImportMappingStore(txn).Load(request.signature); });
    request.mapping_source = remembered ? "remembered" : "proposed";
    mapping = remembered ? *remembered : ProposeImportMapping(header);
  }
  for (const auto& [field, column] : mapping) {
    if (!FindImportField(field)) {
      return Failure::Invalid("unknown_field",
                              "Champ inconnu dans la correspondance : « " + field + " ».",
                              "mapping." + field);
    }
    if (column.empty()) continue;  // "(aucune)": the field is not imported
    auto it = std::find(header.begin(), header.end(), column);
    if (it == header.end() && !chosen) {  // the same header, typed otherwise
      it = std::find_if(header.begin(), header.end(), [&](const std::string& cell) {
        return FoldForSearch(cell) == FoldForSearch(column);
      });
    }
    if (it == header.end()) {
      if (chosen) {
        return Failure::Invalid("unknown_column",
                                "Colonne absente de l'en-tête : « " + column + " ».",
                                "mapping." + field);
      }
      continue;
    }
    request.columns[field] = static_cast<std::size_t>(it - header.begin());
    request.mapping[field] = *it;
  }
  return request;
}

void ImportService::RememberMapping(const ImportRequest& request, const std::string& actor) {
  if (request.mapping_source != "chosen") return;
  context_.pool.WithTransaction([&](pqxx::work& txn) {
    ImportMappingStore(txn).Save(request.signature, request.mapping, actor,
                                 NowSeconds(context_.clock));
  });
}

std::shared_ptr<const PlaceFinder> ImportService::Places(
    const std::shared_ptr<const Referential>& referential) {
  std::lock_guard lock(places_mutex_);
  if (places_source_ != referential) {
    places_ = std::make_shared<const PlaceFinder>(
        PlaceFinder::Of(*referential, context_.settings.region));
    places_source_ = referential;
  }
  return places_;
}

ImportValidation ImportService::Validate(const ImportRequest& request,
                                         const std::function<void(std::size_t)>& on_checked) {
  auto referential = context_.referential.Get();
  if (!referential) throw std::runtime_error("aucun référentiel chargé");
  const auto places = Places(referential);
  const UnixSeconds now = NowSeconds(context_.clock);
  const auto& rows = request.table.rows;
  const CsvRow& header = rows[0];
  auto column_of = [&](const std::string& field) -> std::string {
    auto it = request.columns.find(field);
    return it == request.columns.end() ? "" : header[it->second];
  };
  ImportValidation out;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const std::size_t line = request.table.lines[r];
    RowDraft row =
        RowToDraft(rows[r], request.columns, request.list_separator, *referential, *places);
    std::vector<FieldError> errors = std::move(row.errors);
    UnixSeconds row_confirmed_at = now;
    if (row.confirmed_at) {
      auto parsed = ParseConfirmedAt(*row.confirmed_at, now);
      if (!parsed.ok()) {
        errors.push_back({parsed.failure().code, parsed.failure().message, "confirmed_at"});
      } else {
        row_confirmed_at = parsed.value();
      }
    }
    auto validated = ValidateInitiativeInput(row.draft, *referential, context_.settings.region);
    if (!validated.ok()) {
      const Failure& f = validated.failure();
      std::vector<FieldError> checked =
          f.errors.empty() ? std::vector<FieldError>{{f.code, f.message, f.field}} : f.errors;
      const std::vector<FieldError> converted = errors;
      for (FieldError& e : checked) {
        // A cell refused while converting is absent from the draft: its "required" is the same
        // error said twice.
        const std::string field = MappedField(e.field);
        if (std::any_of(converted.begin(), converted.end(),
                        [&](const FieldError& c) { return MappedField(c.field) == field; })) {
          continue;
        }
        errors.push_back(std::move(e));
      }
    }
    if (!errors.empty()) {
      for (FieldError& e : errors) {
        std::string field = e.field.rfind("private.", 0) == 0 ? e.field.substr(8) : e.field;
        const std::string column = column_of(MappedField(field));
        out.errors.push_back(
            {r, line, std::move(field), column, std::move(e.code), std::move(e.message)});
      }
      out.rejected_lines.push_back(line);
    } else {
      out.valid.push_back(std::move(validated.value()));
      out.confirmed_at.push_back(row_confirmed_at);
      out.lines.push_back(line);
      out.data_rows.push_back(r);
    }
    if (on_checked) on_checked(r);
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
  report.error_count = validation.rejected_lines.size();
  report.rejected_lines = validation.rejected_lines;
  report.ids = ids;
  if (!ids.empty()) report.imported_lines = validation.lines;
  if (!ids.empty() && !request.source_ids.empty()) {
    report.source = std::string(ImportFormatName(request.format));
    for (std::size_t row : validation.data_rows) {
      report.source_ids.push_back(request.source_ids[row - 1]);
    }
  }
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
      // Where it came from, in its history: the other map's format and the item's id there.
      std::string source;
      if (!request.source_ids.empty()) {
        source = std::string(ImportFormatName(request.format)) + " " +
                 request.source_ids[validation.data_rows[saved - 1] - 1];
      }
      store.AddEvent(i.id, {now, "imported", actor, source});
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
  RememberMapping(request.value(), admin.Actor());
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
