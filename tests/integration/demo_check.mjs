// Checks a running demo federation through the HTTP APIs of its hub and nodes (used by
// demo_test.sh and demo_resume_test.sh):
//   node demo_check.mjs --hub URL --node 93=URL [--node 76=URL ...] [--suspended-erased]
// - each node's public map (GET /api/initiatives) is not empty;
// - the hub holds each region's whole log: replication status tree_size == the size of the node's
//   latest checkpoint, nothing refused, region active;
// - the hub's national counts equal the regions' admitted initiatives: per region
//   (GET /api/initiatives?region=R and the indicators' by_region) and in total (on_map);
// - the hub flags as "to confirm" exactly the records each node flags (freshness);
// - with --suspended-erased: the hub knows exactly one suspended and one erased initiative
//   per region (the seeding's report-then-suspend and erasure went through replication),
//   and some records to confirm (the seeding's import of the former regional database).
// Prints one summary line, "93:admitted=N,log=M 76:...", to compare two runs; exit 1 with
// the reasons on any mismatch.
const args = process.argv.slice(2);
const nodes = [];
let hub = null;
let suspendedErased = false;
for (let i = 0; i < args.length; ++i) {
  if (args[i] === '--hub') hub = args[++i].replace(/\/+$/, '');
  else if (args[i] === '--node') {
    const [region, url] = args[++i].split(/=(.*)/s, 2);
    nodes.push({ region, url: url.replace(/\/+$/, '') });
  } else if (args[i] === '--suspended-erased') suspendedErased = true;
  else { console.error(`demo_check: unknown argument ${args[i]}`); process.exit(2); }
}
if (!hub || !nodes.length) { console.error('usage: demo_check.mjs --hub URL --node CODE=URL...'); process.exit(2); }

async function get(url, text = false) {
  const res = await fetch(url, { signal: AbortSignal.timeout(20000) });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`GET ${url} -> ${res.status} ${body.slice(0, 300)}`);
  return text ? body : JSON.parse(body);
}

const problems = [];
const expect = (ok, message) => { if (!ok) problems.push(message); };
const summary = [];
let sum = 0;
const status = new Map((await get(`${hub}/api/regions`)).regions.map((r) => [r.region, r]));
const indicators = await get(`${hub}/api/indicators`);
const byRegion = new Map((indicators.by_region ?? []).map((c) => [c.code, c.count]));
for (const { region, url } of nodes) {
  const admitted = (await get(`${url}/api/initiatives?per_page=1`)).total;
  const logSize = Number((await get(`${url}/api/log/checkpoint`, true)).split('\n')[1]);
  const national = (await get(`${hub}/api/initiatives?region=${region}&per_page=1`)).total;
  const s = status.get(region);
  sum += admitted;
  expect(admitted > 0, `region ${region}: the node's public map is empty`);
  expect(s !== undefined, `region ${region}: not enrolled at the hub`);
  if (s) {
    expect(s.status === 'active', `region ${region}: status ${s.status} (${s.status_reason ?? ''})`);
    expect(s.tree_size === logSize, `region ${region}: hub holds ${s.tree_size} entries, node log has ${logSize}`);
    expect(s.rejected_count === 0, `region ${region}: ${s.rejected_count} refusals: ${JSON.stringify(s.latest_rejections)}`);
  }
  expect(national === admitted, `region ${region}: national search counts ${national}, node admitted ${admitted}`);
  expect((byRegion.get(region) ?? 0) === admitted,
    `region ${region}: indicators.by_region counts ${byRegion.get(region) ?? 0}, node admitted ${admitted}`);
  const stale = (await get(`${url}/api/initiatives?freshness=to_confirm&per_page=1`)).total;
  const nationalStale = (await get(`${hub}/api/initiatives?region=${region}&freshness=to_confirm&per_page=1`)).total;
  expect(nationalStale === stale, `region ${region}: hub flags ${nationalStale} to confirm, node ${stale}`);
  if (suspendedErased) expect(stale > 0, `region ${region}: no record to confirm after seeding`);
  summary.push(`${region}:admitted=${admitted},log=${logSize},to_confirm=${stale}`);
}
expect(indicators.on_map === sum, `indicators.on_map = ${indicators.on_map}, sum of the regions' admitted = ${sum}`);
if (suspendedErased) {
  const byStatus = new Map((indicators.by_status ?? []).map((c) => [c.status, c.count]));
  for (const s of ['suspended', 'erased']) {
    expect(byStatus.get(s) === nodes.length, `indicators.by_status ${s} = ${byStatus.get(s)}, expected ${nodes.length}`);
  }
}
if (problems.length) {
  console.error(`demo_check: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(summary.join(' '));
