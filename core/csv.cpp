#include "core/csv.h"

namespace ess {

CsvTable ParseCsv(std::string_view text, char separator) {
  CsvTable out;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  CsvRow row;
  std::string field;
  bool in_quotes = false, field_started = false, row_has_content = false;
  std::size_t line = 1, quote_line = 0, row_line = 1;
  auto end_field = [&] {
    row.push_back(std::move(field));
    field.clear();
    field_started = false;
  };
  auto end_row = [&] {
    end_field();
    bool blank = !row_has_content && row.size() == 1 && row[0].empty();
    if (!blank) {
      out.rows.push_back(std::move(row));
      out.lines.push_back(row_line);
    }
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
      row_line = ++line;
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

char DetectCsvSeparator(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::size_t commas = 0, semicolons = 0, tabs = 0;
  bool in_quotes = false;
  for (char c : text) {
    if (c == '"') {
      in_quotes = !in_quotes;  // a doubled quote toggles twice
    } else if (in_quotes) {
      continue;
    } else if (c == '\n' || c == '\r') {
      break;
    } else if (c == ',') {
      ++commas;
    } else if (c == ';') {
      ++semicolons;
    } else if (c == '\t') {
      ++tabs;
    }
  }
  if (semicolons > commas && semicolons >= tabs) return ';';
  if (tabs > commas && tabs > semicolons) return '\t';
  return ',';
}

bool IsValidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t extra;
    char32_t cp, min;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3, cp = c & 0x07, min = 0x10000;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto b = static_cast<unsigned char>(text[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

namespace {

// Windows-1252's 0x80..0x9F (U+FFFD for its five undefined bytes); the rest is Latin-1.
constexpr char32_t kWindows1252High[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace

DecodedText DecodeSpreadsheetText(std::string_view bytes) {
  if (IsValidUtf8(bytes)) {
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") {
      return {std::string(bytes.substr(3)), "utf-8-bom"};
    }
    return {std::string(bytes), "utf-8"};
  }
  DecodedText out{{}, "windows-1252"};
  out.text.reserve(bytes.size() + bytes.size() / 8);
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    AppendUtf8(out.text, c >= 0x80 && c < 0xA0 ? kWindows1252High[c - 0x80] : char32_t{c});
  }
  return out;
}

std::string CsvField(std::string_view value, char separator) {
  std::string v(value);
  bool numeric = !v.empty() && v.find_first_not_of("0123456789.,-") == std::string::npos &&
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
