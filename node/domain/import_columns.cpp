#include "node/domain/import_columns.h"

#include <algorithm>

#include "core/text_fold.h"

namespace ess::node {

namespace {

// A header folded, less a trailing "(privé)" / "(private)" or "*" that labels add.
std::string FoldHeader(std::string_view header) {
  std::string folded = FoldForSearch(header);
  for (std::string_view suffix : {" prive", " private", " obligatoire", " required"}) {
    if (folded.size() > suffix.size() && folded.ends_with(suffix)) {
      folded.erase(folded.size() - suffix.size());
    }
  }
  return folded;
}

std::string Trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

}  // namespace

const std::vector<ImportField>& ImportFields() {
  static const std::vector<ImportField> kFields = {
      {"name",
       "Nom",
       "Name",
       {"raison sociale", "nom de la structure", "nom de l initiative", "denomination", "structure",
        "initiative"}},
      {"family",
       "Famille de l'ESS",
       "SSE family",
       {"famille", "famille ess", "famille de l economie sociale et solidaire", "family"}},
      {"legal_form",
       "Forme juridique",
       "Legal form",
       {"statut", "statut juridique", "forme", "legal status"}},
      {"activities",
       "Activités",
       "Activities",
       {"activite", "secteur", "secteurs", "secteur d activite", "secteurs d activite",
        "activity"}},
      {"description", "Description", "Description", {"presentation", "objet"}},
      {"address", "Adresse", "Address", {"adresse postale", "rue", "street address"}},
      {"postcode", "Code postal", "Postcode", {"cp", "postal code", "zip", "zip code"}},
      {"commune",
       "Commune",
       "Municipality",
       {"ville", "localite", "code insee", "insee", "code commune", "city", "town"}},
      {"department",
       "Département",
       "Department",
       {"dept", "dep", "code departement", "n departement", "no departement"}},
      {"latitude", "Latitude", "Latitude", {"lat"}},
      {"longitude", "Longitude", "Longitude", {"lon", "lng", "long"}},
      {"email",
       "Courriel",
       "Email",
       {"e mail", "mail", "adresse electronique", "adresse mail", "courriel public"}},
      {"phone",
       "Téléphone",
       "Phone",
       {"tel", "telephone fixe", "telephone public", "phone number"}},
      {"website",
       "Site web",
       "Website",
       {"site", "site internet", "url", "web", "adresse du site", "site web url"}},
      {"siret", "SIRET", "SIRET", {"n siret", "numero siret", "no siret", "siret number"}},
      {"employer",
       "Employeur",
       "Employer",
       {"emploie des salaries", "salaries", "employeur oui non", "has employees"}},
      {"contact_name",
       "Nom du contact",
       "Contact name",
       {"contact", "responsable", "nom du responsable", "personne a contacter"}},
      {"contact_email",
       "Courriel du contact",
       "Contact email",
       {"email du contact", "mail du contact", "courriel du responsable", "email du responsable"}},
      {"contact_phone",
       "Téléphone du contact",
       "Contact phone",
       {"tel du contact", "telephone du responsable", "tel du responsable"}},
      {"confirmed_at",
       "Dernière confirmation",
       "Last confirmed",
       {"date de confirmation", "confirme le", "date de mise a jour", "mis a jour le",
        "confirmed at"}},
  };
  return kFields;
}

const ImportField* FindImportField(std::string_view key) {
  for (const ImportField& f : ImportFields()) {
    if (f.key == key) return &f;
  }
  return nullptr;
}

const ImportField* ImportFieldOfHeader(std::string_view header) {
  const std::string folded = FoldHeader(header);
  if (folded.empty()) return nullptr;
  for (const ImportField& f : ImportFields()) {
    if (folded == FoldForSearch(f.key) || folded == FoldForSearch(f.label_fr) ||
        folded == FoldForSearch(f.label_en) ||
        std::find(f.synonyms.begin(), f.synonyms.end(), folded) != f.synonyms.end()) {
      return &f;
    }
  }
  return nullptr;
}

std::map<std::string, std::string> ProposeImportMapping(const std::vector<std::string>& header) {
  std::map<std::string, std::string> out;
  for (const std::string& cell : header) {
    if (const ImportField* f = ImportFieldOfHeader(cell)) out.emplace(std::string(f->key), cell);
  }
  return out;
}

std::string ImportHeaderSignature(const std::vector<std::string>& header) {
  std::string out;
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (i) out.push_back('|');
    out += FoldForSearch(header[i]);
  }
  return out;
}

std::optional<std::string> MatchReferentialCode(const std::vector<ReferentialEntry>& list,
                                                std::string_view cell) {
  const std::string folded = FoldForSearch(cell);
  if (folded.empty()) return std::nullopt;
  // Exact codes and labels first, then the shorter forms (which two entries may share).
  for (const ReferentialEntry& e : list) {
    if (folded == FoldForSearch(e.code) || folded == FoldForSearch(e.label)) return e.code;
  }
  std::optional<std::string> found;
  for (const ReferentialEntry& e : list) {
    const auto open = e.label.find('(');
    const auto close = e.label.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close < open) continue;
    if (folded == FoldForSearch(e.label.substr(0, open)) ||
        folded == FoldForSearch(e.label.substr(open + 1, close - open - 1))) {
      if (found) return std::nullopt;
      found = e.code;
    }
  }
  return found;
}

std::optional<bool> ReadYesNo(std::string_view cell) {
  const std::string v = FoldForSearch(cell);
  for (std::string_view yes : {"oui", "o", "vrai", "x", "1", "yes", "y", "true"}) {
    if (v == yes) return true;
  }
  for (std::string_view no : {"non", "n", "faux", "0", "no", "false"}) {
    if (v == no) return false;
  }
  return std::nullopt;
}

Result<std::optional<std::string>> MatchCommune(const PlaceFinder& places,
                                                const Referential& referential,
                                                std::string_view cell, std::string_view postcode,
                                                std::string_view department_cell) {
  const std::string name = Trimmed(cell);
  const std::string code = Trimmed(postcode);
  auto communes_of = [&](std::string_view query) {
    std::vector<Place> out;
    for (Place& p : places.Find(query, kMaxPlaces)) {
      if (p.kind == PlaceKind::kCommune) out.push_back(std::move(p));
    }
    return out;
  };
  if (name.empty()) {
    if (code.size() != 5) return std::optional<std::string>{};
    std::vector<Place> found = communes_of(code);
    std::erase_if(found, [&](const Place& p) {
      return std::find(p.postcodes.begin(), p.postcodes.end(), code) == p.postcodes.end();
    });
    if (found.size() == 1) return std::optional<std::string>(found[0].code);
    return std::optional<std::string>{};
  }
  if (referential.FindCommune(name)) return std::optional<std::string>(name);
  // "Saint-Rémy (13)": a department in parentheses tells homonyms apart.
  std::string wanted = name, department = Trimmed(department_cell);
  if (department.size() == 1 && department[0] >= '1' && department[0] <= '9') {
    department.insert(0, "0");  // a spreadsheet drops the leading zero of "04"
  }
  if (const auto open = name.rfind('('); open != std::string::npos && name.back() == ')') {
    department = Trimmed(std::string_view(name).substr(open + 1, name.size() - open - 2));
    wanted = Trimmed(std::string_view(name).substr(0, open));
  }
  const std::string folded = FoldForSearch(wanted);
  std::vector<Place> found = communes_of(wanted);
  std::erase_if(found, [&](const Place& p) { return FoldForSearch(p.name) != folded; });
  const std::string shown = "« " + name.substr(0, 80) + " »";
  if (found.empty()) {
    return Failure::Invalid("unknown_commune",
                            "Commune " + shown +
                                " inconnue dans la région : écrivez son nom comme l'INSEE ou son "
                                "code INSEE.",
                            "commune");
  }
  if (!department.empty()) {
    std::erase_if(found, [&](const Place& p) { return p.department != department; });
    if (found.empty()) {
      return Failure::Invalid("unknown_commune",
                              "Aucune commune " + shown + " dans le département indiqué.",
                              "commune");
    }
  }
  if (found.size() > 1 && code.size() == 5) {
    std::erase_if(found, [&](const Place& p) {
      return std::find(p.postcodes.begin(), p.postcodes.end(), code) == p.postcodes.end();
    });
    if (found.empty()) {
      return Failure::Invalid("unknown_commune",
                              "Aucune commune " + shown + " n'a le code postal " + code + ".",
                              "commune");
    }
  }
  if (found.size() > 1) {
    return Failure::Invalid("ambiguous_commune",
                            "Plusieurs communes s'appellent " + shown +
                                " : indiquez le code postal ou le département, « " + wanted + " (" +
                                found[0].department + ") ».",
                            "commune");
  }
  return std::optional<std::string>(found[0].code);
}

}  // namespace ess::node
