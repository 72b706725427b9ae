#pragma once
// The payload of every record kind (docs/protocol.md section 8) as one field table per kind:
// what the node checks before journalling a payload, what the hub checks before accepting
// one, and what tools/payload_schemas publishes as JSON Schema in docs/schemas/. Node and hub
// use the same tables and the same checking code, so a payload one side writes the other
// accepts.
//
// A payload is a UTF-8 JSON object of at most kMaxPayloadSize bytes. Fields the table does
// not name are allowed and ignored (forward compatibility). A field the table names must
// have its type when present (null is not "absent": it is refused), and a required one must
// be present. Pure logic, no database.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/field_rules.h"
#include "core/log_entry.h"
#include "core/referential.h"
#include "core/verdict.h"

namespace ess {

enum class JsonType { kString, kInteger, kNumber, kBoolean, kArray, kObject };

// A syntax a string must have. Each has one checking function in core (field_rules.h,
// log_entry.h, ed25519.h) and one published regular expression (TextSyntaxPattern); where
// the expression cannot say everything the function checks, PayloadSchema::code_only_rules
// and docs/schemas/README.md say what is left to the code.
enum class TextSyntax {
  kNone,
  kDate,   // RFC 3339 date-time or full-date, a real calendar date
  kUuid,   // record id, canonical lower-case text form
  kSiret,  // 14 digits (the Luhn key is left to the code)
  kEmail,
  kUrl,
  kPhone,
  kPostcode,
  kVerifierKey,  // signed-note verifier key (docs/protocol.md section 4)
  kCode,         // a referential code: lower-case letters, digits, underscores
  kInseeCode,    // an INSEE territory code: digits, Corsica's 2A/2B
};

// The referential list a code belongs to (checked by PayloadChecker, not by the schemas).
enum class CodeList { kNone, kFamily, kLegalForm, kActivity, kCommune, kDepartment, kRegion };

// Integer fields lie within ±(2^53 - 1), JSON's safe integers: a double holds them exactly and
// every reader can convert them to int64 (1e22 is an integer to JSON Schema, not to a reader).
inline constexpr double kMaxPayloadInteger = 9007199254740991.0;

struct FieldSpec {
  std::string name;
  JsonType type = JsonType::kString;
  bool required = false;
  std::string description;  // English, published in the schema
  // Strings: Unicode code points; arrays: items.
  std::size_t min_length = 0;
  std::optional<std::size_t> max_length;
  std::vector<std::string> values;  // strings: the only values allowed, if any
  TextSyntax syntax = TextSyntax::kNone;
  // Strings: the text rule they follow (CheckText, core/field_rules.h); every string is
  // single-line unless the table says multi-line.
  TextKind text = TextKind::kSingleLine;
  CodeList codes = CodeList::kNone;
  std::optional<double> minimum;  // numbers: inclusive bounds
  std::optional<double> maximum;
  std::optional<double> exclusive_maximum;
  bool unique_items = false;      // arrays
  std::vector<FieldSpec> item;    // arrays: the spec of every item (one element)
  std::vector<FieldSpec> fields;  // objects: their fields (others ignored)
};

struct PayloadSchema {
  std::string id;  // "initiative-put": docs/schemas/<id>.schema.json
  std::string title;
  std::string description;
  Operation operation = Operation::kPut;
  std::optional<RecordKind> kind;  // nullopt: erase, any kind
  std::vector<FieldSpec> fields;
  // latitude and longitude inside one of FranceZoneBoxes() (core/field_rules.h).
  bool inside_france = false;
  // Rules the checking code applies that the published JSON Schema cannot express (they
  // need the referential, the log, or arithmetic): English, one sentence each.
  std::vector<std::string> code_only_rules;
};

// Every schema: initiative, committee_decision, charter_version, committee_membership and
// key_rotation puts, then erase.
const std::vector<PayloadSchema>& PayloadSchemas();
// The schema of an entry's payload.
const PayloadSchema& PayloadSchemaFor(Operation operation, RecordKind kind);
// The ECMA-262 regular expression published for a syntax ("" for kNone).
std::string_view TextSyntaxPattern(TextSyntax syntax);

// A payload after its check: the verdict, and the parsed object when it is ok, so that
// whoever checked it (the hub's verifier) can hand it on instead of parsing it again.
struct ParsedPayload {
  Verdict verdict;
  nlohmann::json json;  // the payload's object when verdict.ok(), else null
};

// The table's checks only (JSON types, required fields, lengths, values, syntax, the text
// rule of every string, numeric bounds, the France boxes), without the referential. Ok, or
// kPayloadInvalid with the first broken rule (in French, naming the field).
Verdict CheckPayloadFields(const PayloadSchema& schema, const nlohmann::json& payload);

class PayloadChecker {
 public:
  // `referential` must outlive the checker.
  explicit PayloadChecker(const Referential& referential) : referential_(referential) {}

  // The whole check of a payload of an entry of `log_region`'s log: size, UTF-8 JSON object,
  // CheckPayloadFields, then the rules that need the referential or the log (codes known
  // to their lists, legal_form of the family, the commune's department and region, region
  // of the log, the position within the commune radius of the commune's coordinates when
  // the referential has them: DistanceBeyondCommune). Ok with the parsed object, or kPayloadInvalid
  // with the reason in French.
  ParsedPayload Check(Operation operation, RecordKind kind, std::string_view log_region,
                      std::string_view payload) const;

 private:
  const Referential& referential_;
};

}  // namespace ess
