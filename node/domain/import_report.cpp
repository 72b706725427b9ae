#include "node/domain/import_report.h"

namespace ess::node {

using nlohmann::json;

json ImportReportJson(const ImportReport& report) {
  json errors = json::array();
  for (const auto& e : report.errors) {
    errors.push_back({{"row", e.row},
                      {"line", e.line},
                      {"field", e.field},
                      {"column", e.column},
                      {"code", e.code},
                      {"message", e.message}});
  }
  json out = {{"dry_run", report.dry_run},
              {"rows", report.rows},
              {"valid", report.valid},
              {"errors", errors},
              {"error_count", report.error_count},
              {"rejected_lines", report.rejected_lines},
              {"imported", report.ids.size()},
              {"ids", report.ids},
              {"imported_lines", report.imported_lines}};
  if (!report.source.empty()) {
    out["source"] = report.source;
    out["source_ids"] = report.source_ids;
  }
  return out;
}

ImportReport ImportReportFromJson(const json& j) {
  ImportReport report;
  report.dry_run = j.value("dry_run", false);
  report.rows = j.value("rows", std::size_t{0});
  report.valid = j.value("valid", std::size_t{0});
  for (const auto& e : j.value("errors", json::array())) {
    report.errors.push_back({e.value("row", std::size_t{0}), e.value("line", std::size_t{0}),
                             e.value("field", ""), e.value("column", ""), e.value("code", ""),
                             e.value("message", "")});
  }
  report.error_count = j.value("error_count", std::size_t{0});
  report.rejected_lines = j.value("rejected_lines", std::vector<std::size_t>{});
  report.ids = j.value("ids", std::vector<std::string>{});
  report.imported_lines = j.value("imported_lines", std::vector<std::size_t>{});
  report.source = j.value("source", "");
  report.source_ids = j.value("source_ids", std::vector<std::string>{});
  return report;
}

}  // namespace ess::node
