// The published payload schemas (docs/schemas/, generated from core/payload_schema.cpp) agree
// with the code that checks payloads, as seen by an independent JSON Schema validator (ajv,
// draft 2020-12):
//   - every test-vector payload and every mutated payload the code accepts, the schema accepts;
//   - every mutated payload the code refuses, the schema refuses too, except the rules
//     docs/schemas/README.md lists as checked by the code only (referential, Luhn, calendar),
//     which the schema must then accept (so that list is exact);
//   - every payload the node journalled in the node workflow tests (initiatives of every
//     status, decisions, charter versions, memberships, erasures), recorded by the test node
//     fixture under ESS_JOURNAL_PAYLOADS, is valid for its kind;
//   - the common referential (build/referential.json) is valid for referential.schema.json.
// Usage: node --test payload_schema_ajv.test.mjs <build dir>
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { kRoot, validators, Explain, ValidateJournalled, kWorkflowSchemas }
  from '../support/payload_schemas.mjs';

const kBuild = process.argv[2] ?? join(kRoot, 'build');
const kJournalled = join(kBuild, 'journal-payloads');

describe('published payload schemas and the code agree', () => {
  const run = spawnSync(join(kBuild, 'tests', 'payload_schema_cases'), { encoding: 'utf8', maxBuffer: 1 << 26 });
  it('the C++ cases program ran and every verdict of the code is the expected one', () => {
    assert.equal(run.status, 0, run.stderr);
  });
  const cases = run.status === 0 ? JSON.parse(run.stdout) : [];

  it('covers every schema with accepted and refused payloads', () => {
    for (const id of Object.keys(validators).filter((k) => k !== 'referential')) {
      assert.ok(cases.some((c) => c.schema === id && c.code_accepts), `${id}: no accepted case`);
      assert.ok(cases.some((c) => c.schema === id && !c.code_accepts), `${id}: no refused case`);
    }
  });

  it('the schema accepts what the code accepts and refuses what it can tell', () => {
    const disagreements = [];
    for (const c of cases) {
      const validate = validators[c.schema];
      const schema_accepts = validate(c.payload);
      const expected = c.code_accepts || !c.schema_can_tell;
      if (schema_accepts !== expected) {
        disagreements.push(`${c.schema} / ${c.name}: code ${c.code_accepts ? 'accepts' : `refuses (${c.code_reason})`}, ` +
                           `schema ${schema_accepts ? 'accepts' : `refuses (${Explain(validate)})`}`);
      }
    }
    assert.deepEqual(disagreements, []);
  });

  it('every payload the node journalled in the workflow tests is valid for its kind', () => {
    const files = existsSync(kJournalled) ? readdirSync(kJournalled).filter((f) => f.endsWith('.jsonl')) : [];
    assert.ok(files.length > 0, `no journalled payloads in ${kJournalled} (run the node workflow tests first)`);
    const entries = [];
    for (const file of files) {
      for (const line of readFileSync(join(kJournalled, file), 'utf8').split('\n').filter(Boolean)) {
        const record = JSON.parse(line);
        entries.push({ where: `${file}, region ${record.region}`, ...record });
      }
    }
    const { invalid, seen, statuses } = ValidateJournalled(entries);
    assert.deepEqual(invalid, []);
    for (const id of kWorkflowSchemas) assert.ok(seen.has(id), `no journalled ${id} payload`);
    for (const status of ['pending', 'changes_requested', 'admitted', 'suspended', 'withdrawn']) {
      assert.ok(statuses.has(status), `no journalled initiative with status ${status}`);
    }
  });

  it('the common referential is valid for referential.schema.json', () => {
    const file = join(kBuild, 'referential.json');
    const validate = validators.referential;
    assert.ok(validate(JSON.parse(readFileSync(file, 'utf8'))), Explain(validate));
  });
});
