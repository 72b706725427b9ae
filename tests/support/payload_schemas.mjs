// The published payload schemas (docs/schemas/, JSON Schema 2020-12), compiled with ajv from
// web/node_modules, and how a journalled entry picks its schema. Shared by
// tests/e2e/payload_schema_ajv.test.mjs (test vectors, node workflow tests, mutated cases) and
// tests/integration/demo_payloads_check.mjs (every payload a seeded demo journalled).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

export const kRoot = new URL('../..', import.meta.url).pathname;
export const kSchemasDir = join(kRoot, 'docs', 'schemas');
const require = createRequire(join(kRoot, 'web', 'package.json'));
const Ajv2020 = require('ajv/dist/2020').default;

export const ajv = new Ajv2020({ strict: true, allErrors: true });
// Schema id ("initiative-put", "erase", "referential"...) -> compiled validator.
export const validators = {};
for (const file of readdirSync(kSchemasDir).filter((f) => f.endsWith('.schema.json'))) {
  validators[file.replace('.schema.json', '')] = ajv.compile(JSON.parse(readFileSync(join(kSchemasDir, file), 'utf8')));
}

// The schemas of journalled payloads the node workflows produce (key_rotation-put aside: only
// a key rotation journals one).
export const kWorkflowSchemas = ['initiative-put', 'committee_decision-put', 'charter_version-put',
  'committee_membership-put', 'erase'];
// Every status an initiative revision may have (the schema's enum).
export const kInitiativeStatuses = JSON.parse(
  readFileSync(join(kSchemasDir, 'initiative-put.schema.json'), 'utf8')).properties.status.enum;

// The schema of an entry's payload, from its operation and kind (docs/schemas/README.md):
// an erase of any kind is a tombstone; a put has its kind's schema.
export function SchemaOf(operation, kind) {
  return operation === 'erase' ? 'erase' : `${kind}-${operation}`;
}

export function Explain(validate) {
  return ajv.errorsText(validate.errors);
}

// Validates journalled entries, each {where, operation, kind, payload}: payload is the JSON
// text, or null for an erased entry (counted in `erased`, nothing to validate). Returns
// {invalid: [messages naming where, kind and the ajv errors], seen: Map schema id -> number of
// payloads valid for it, statuses: Set of the initiative revisions' statuses, erased}.
export function ValidateJournalled(entries) {
  const invalid = [];
  const seen = new Map();
  const statuses = new Set();
  let erased = 0;
  for (const { where, operation, kind, payload: text } of entries) {
    if (text === null) { ++erased; continue; }
    const id = SchemaOf(operation, kind);
    const what = `${where}, kind ${kind}, operation ${operation} (schema ${id})`;
    const validate = validators[id];
    if (!validate || id === 'referential') { invalid.push(`${what}: no published schema for this kind`); continue; }
    let payload;
    try {
      payload = JSON.parse(text);
    } catch (error) {
      invalid.push(`${what}: payload is not JSON (${error.message}): ${text.slice(0, 300)}`);
      continue;
    }
    if (!validate(payload)) {
      invalid.push(`${what}: ${Explain(validate)}: ${text.slice(0, 500)}`);
      continue;
    }
    seen.set(id, (seen.get(id) ?? 0) + 1);
    if (id === 'initiative-put') statuses.add(payload.status);
  }
  return { invalid, seen, statuses, erased };
}
