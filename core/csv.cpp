#include "core/csv.h"

namespace ess {

CsvTable ParseCsv(std::string_view text, char separator) {
  CsvTable out;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  CsvRow row;
  std::string field;
  bool in_quotes = false, field_started = false, row_has_content = false;
  std::size_t line = 1, quote_line = 0;
  auto end_field = [&] {
    row.push_back(std::move(field));
    field.clear();
    field_started = false;
  };
  auto end_row = [&] {
    end_field();
    bool blank = !row_has_content && row.size() == 1 && row[0].empty();
    if (!blank) out.rows.push_back(std::move(row));
    row.clear();
    row_has_content = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    if (c == '"' && !field_started) {
      in_quotes = true;
      field_started = true;
      row_has_content = true;
      quote_line = line;
    } else if (c == separator) {
      end_field();
      row_has_content = true;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      // CRLF: the \n ends the row.
    } else if (c == '\n') {
      end_row();
      ++line;
    } else {
      field.push_back(c);
      field_started = true;
      row_has_content = true;
    }
  }
  if (in_quotes) {
    out.error = "guillemet non fermé";
    out.error_line = quote_line;
    return out;
  }
  if (field_started || !row.empty() || row_has_content) end_row();
  return out;
}

std::string CsvField(std::string_view value, char separator) {
  std::string v(value);
  bool numeric = !v.empty() && v.find_first_not_of("0123456789.-") == std::string::npos &&
                 v.find('-', 1) == std::string::npos;
  if (!v.empty() && !numeric && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) {
    v.insert(0, "'");
  }
  bool quote = v.find_first_of(std::string("\"\r\n,;") + separator) != std::string::npos;
  if (!quote) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

std::string CsvLine(std::span<const std::string> fields, char separator) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out.push_back(separator);
    out += CsvField(fields[i], separator);
  }
  return out + "\r\n";
}

std::string CsvList(std::span<const std::string> values, char separator) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out.push_back(separator);
    out += values[i];
  }
  return out;
}

std::string CsvYesNo(std::optional<bool> value) {
  if (!value) return "";
  return *value ? "oui" : "non";
}

}  // namespace ess
