// Validates, with ajv and the published schemas (docs/schemas/, through
// tests/support/payload_schemas.mjs), every payload a demo federation journalled, read with
// psql from the databases' log_entry tables (used by demo_test.sh once the hub caught up):
//   node demo_payloads_check.mjs --database hub=URL --database region_93=URL ...
// - every payload still held (not erased) of every region in every database given is valid for
//   the schema of its (kind, operation), as payload_schema_ajv.test.mjs picks it;
// - so that an empty or partial read cannot pass: each region's log is read whole (indices
//   0..n-1, n > 0), each region has at least one valid payload of every kind the node
//   workflows journal (initiatives, committee decisions, charter versions, committee
//   memberships, erase tombstones), and each database has initiative revisions of every status
//   the schema allows (the demo seeds all of them from ESS_DEMO_COUNT 8 up).
// Prints one summary line per database; exit 1 naming database, region, index, kind and the
// ajv errors of each invalid payload.
import { spawnSync } from 'node:child_process';
import { ValidateJournalled, kWorkflowSchemas, kInitiativeStatuses } from '../support/payload_schemas.mjs';

const databases = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; ++i) {
  if (args[i] === '--database' && i + 1 < args.length) {
    const [label, url] = args[++i].split(/=(.*)/s, 2);
    databases.push({ label, url });
  } else { console.error(`demo_payloads_check: unknown argument ${args[i]}`); process.exit(2); }
}
if (!databases.length || databases.some((d) => !d.label || !d.url)) {
  console.error('usage: demo_payloads_check.mjs --database LABEL=URL...');
  process.exit(2);
}

// One line per entry: region, index, kind, operation, payload in hex ("-" once erased).
const kQuery = "SELECT region, log_index, kind, operation, " +
  "CASE WHEN payload IS NULL THEN '-' ELSE encode(payload, 'hex') END FROM log_entry ORDER BY region, log_index";

const problems = [];
const summary = [];
for (const { label, url } of databases) {
  const run = spawnSync('psql', ['-X', '-q', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', kQuery],
    { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (run.error || run.status !== 0) {
    problems.push(`${label}: psql failed: ${run.error?.message ?? run.stderr.trim()}`);
    continue;
  }
  const byRegion = new Map();
  for (const line of run.stdout.split('\n').filter(Boolean)) {
    const [region, index, kind, operation, hex] = line.split('\t');
    if (!byRegion.has(region)) byRegion.set(region, []);
    byRegion.get(region).push({
      index: Number(index),
      where: `${label}: region ${region}, index ${index}`, kind, operation,
      payload: hex === '-' ? null : Buffer.from(hex, 'hex').toString('utf8'),
    });
  }
  if (!byRegion.size) problems.push(`${label}: log_entry is empty`);
  const statuses = new Set();
  const parts = [];
  for (const [region, entries] of byRegion) {
    const gaps = entries.filter((e, i) => e.index !== i);
    if (gaps.length) problems.push(`${label}: region ${region}: log read with gaps (index ${gaps[0].index} at row ${entries.indexOf(gaps[0])})`);
    const result = ValidateJournalled(entries);
    problems.push(...result.invalid);
    for (const id of kWorkflowSchemas) {
      if (!result.seen.has(id)) problems.push(`${label}: region ${region}: no valid ${id} payload among its ${entries.length} entries`);
    }
    for (const s of result.statuses) statuses.add(s);
    const valid = [...result.seen.values()].reduce((a, b) => a + b, 0);
    parts.push(`${region}: ${valid} valid (${[...result.seen].map(([id, n]) => `${id} ${n}`).join(', ')}), ${result.erased} erased`);
  }
  for (const status of kInitiativeStatuses) {
    if (!statuses.has(status)) problems.push(`${label}: no valid initiative revision with status ${status}`);
  }
  summary.push(`${label}: ${parts.join('; ')}`);
}
if (problems.length) {
  console.error(`demo_payloads_check: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(summary.join('\n'));
