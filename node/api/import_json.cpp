#include "node/api/import_json.h"

#include "core/bytes.h"
#include "node/domain/import_columns.h"

namespace ess::node {

using nlohmann::json;

namespace {

// A text setting: its default when absent, "" when of another type (null included).
std::string TextSetting(const json& body, const char* key, const char* fallback) {
  auto it = body.find(key);
  if (it == body.end()) return fallback;
  return it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

Result<ImportSettings> ImportSettingsFromJson(const json& body) {
  if (!body.is_object()) {
    return Failure::Invalid("invalid_type", "La demande d'import est un objet JSON.");
  }
  ImportSettings settings;
  if (auto csv = body.find("csv"); csv != body.end() && csv->is_string()) {
    settings.csv = csv->get<std::string>();
  }
  if (auto bytes = body.find("csv_base64"); bytes != body.end()) {
    auto decoded = bytes->is_string() ? FromBase64(bytes->get<std::string>()) : std::nullopt;
    if (!decoded) {
      return Failure::Invalid("invalid_type", "« csv_base64 » : le fichier en base64.", "csv");
    }
    settings.csv = std::string(decoded->begin(), decoded->end());
  }
  settings.format = TextSetting(body, "format", "csv");
  // Another map's document: its text, or the JSON itself.
  if (auto document = body.find("document"); document != body.end()) {
    if (document->is_string()) {
      settings.document = document->get<std::string>();
    } else if (document->is_object() || document->is_array()) {
      settings.document = document->dump();
    } else {
      return Failure::Invalid("invalid_type", "« document » : le document JSON, ou son texte.",
                              "document");
    }
  }
  if (auto categories = body.find("categories"); categories != body.end()) {
    if (!categories->is_object()) {
      return Failure::Invalid("invalid_type", "« categories » est un objet catégorie -> code.",
                              "categories");
    }
    for (const auto& [label, code] : categories->items()) {
      if (!code.is_string()) {
        return Failure::Invalid("invalid_type", "Un code du référentiel est un texte.",
                                "categories." + label);
      }
      settings.categories[label] = code.get<std::string>();
    }
  }
  settings.separator = TextSetting(body, "separator", "auto");
  settings.list_separator = TextSetting(body, "list_separator", "|");
  settings.status = TextSetting(body, "status", "pending");
  if (auto dry_run = body.find("dry_run"); dry_run != body.end()) {
    if (!dry_run->is_boolean()) {
      return Failure::Invalid("invalid_type", "« dry_run » vaut true ou false.", "dry_run");
    }
    settings.dry_run = dry_run->get<bool>();
  }
  if (auto mapping = body.find("mapping"); mapping != body.end()) {
    if (!mapping->is_object()) {
      return Failure::Invalid("invalid_type", "« mapping » est un objet champ -> colonne.",
                              "mapping");
    }
    settings.mapping.emplace();
    for (const auto& [field, column] : mapping->items()) {
      if (!column.is_string()) {
        return Failure::Invalid("invalid_type", "Une colonne se nomme par un texte.",
                                "mapping." + field);
      }
      (*settings.mapping)[field] = column.get<std::string>();
    }
  }
  return settings;
}

json ImportColumnsJson(const ImportRequest& request) {
  json fields = json::array();
  for (const ImportField& f : ImportFields()) {
    fields.push_back({{"field", f.key}, {"label_fr", f.label_fr}, {"label_en", f.label_en}});
  }
  return {{"encoding", request.encoding},
          {"separator", std::string(1, request.separator)},
          {"headers", request.table.rows[0]},
          {"rows", request.rows()},
          {"signature", request.signature},
          {"mapping", request.mapping},
          {"mapping_source", request.mapping_source},
          {"fields", fields}};
}

json ImportJobJson(const ImportJobView& view) {
  const ImportJobRecord& job = view.job;
  json error = nullptr;
  if (job.error_code) {
    error = {{"code", *job.error_code}, {"message", job.error_message.value_or("")}};
  }
  return {{"id", job.job_id},
          {"state", job.state},
          {"status", job.target_status},
          {"rows", job.rows},
          {"checked", job.checked},
          {"saved", job.saved},
          {"percent", view.percent},
          {"created_at", FormatRfc3339(job.created_at)},
          {"created_by", job.created_by},
          {"finished_at", job.finished_at ? json(FormatRfc3339(*job.finished_at)) : json(nullptr)},
          {"report", job.report ? ImportReportJson(*job.report) : json(nullptr)},
          {"error", error}};
}

}  // namespace ess::node
