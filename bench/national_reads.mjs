// The client of bench/national_reads.sh: varied national queries against a hub, sent one at a
// time on a keep-alive connection (Node's fetch), and the peer's pgbench scripts made from the
// SQL the hub ran for them.
//
//   node bench/national_reads.mjs measure --hub URL --data DIR --queries N --out FILE.json
//        [--wrk-dir DIR] [--budget-seconds S]
//   node bench/national_reads.mjs capture --hub URL --data DIR --queries N --psql URL
//        [--budget-seconds S]
// A kind stops after S seconds (default 600) even if fewer than N queries were sent, so that
// a slow query kind cannot hold the run for hours; each request gives up after 30 s (an error).
//   node bench/national_reads.mjs scripts --log FILE --out DIR
//
// The queries are drawn (fixed seed) from the generated initiatives in DIR/<region>.jsonl
// (deploy/demo/generate.mjs): keywords from their names and activities, boxes around their
// places, their departments and families. One sample per query kind:
//   keyword               GET /api/initiatives?q=WORD&page=1&per_page=20
//   keyword_bbox_filters  the same with a bbox around an initiative and a family or activity
//   clusters_france       GET /api/map/clusters over all of France (the box a window shows),
//                         zoom 5 or 6, a family filter one time in three
//   clusters_department   GET /api/map/clusters?department=D with the department's box, zoom 8-9
//   record_proof          GET /api/initiatives/R/ID then .../proof (ids from the search answers)
//   indicators            GET /api/indicators, for all, a region or a department
//   default_view          what the national site's first page (web/site/hub/index.js) sends:
//                         /api/indicators, then /api/initiatives?page=1&per_page=20 and the
//                         clusters of France at zoom 5 together (web/common/search.js)
// measure: prints nothing on stdout; writes {kind: {n, errors, p50_ms, p99_ms, mean_ms}} and,
// with --wrk-dir, the paths wrk cycles through (clusters_france.paths, ...).
// capture: the same queries (N per kind), each preceded by a marker statement sent with psql
// (SELECT 'bench-sample:KIND:I'), so that the PostgreSQL log (log_min_duration_statement = 0)
// tells which statements each request ran.
// scripts: reads that log and writes DIR/KIND/NNN.sql, one pgbench script per request with
// the statements it ran, parameters substituted, in order.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Random } from '../deploy/demo/generate.mjs';

export const kKinds = ['keyword', 'keyword_bbox_filters', 'clusters_france', 'clusters_department', 'record_proof',
  'indicators', 'default_view'];
const kFrance = [-5.3, 41.2, 9.7, 51.2];
const kStopWords = new Set(['des', 'les', 'aux', 'pour', 'avec', 'dans', 'une', 'sur', 'scop', 'scic']);

// Up to `per` initiatives from the start of each region's file (its first lines are as
// varied as the rest: the generator draws each line independently).
export function LoadSample(dir, per = 400) {
  const out = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    const text = readFileSync(join(dir, file), 'utf8');
    let start = 0;
    for (let i = 0; i < per; ++i) {
      const end = text.indexOf('\n', start);
      if (end < 0) break;
      out.push(JSON.parse(text.slice(start, end)));
      start = end + 1;
    }
  }
  return out;
}

const Box = (b) => b.map((v) => v.toFixed(5)).join(',');

// The query material: words, places, departments with their boxes, families, activities.
export function Material(sample) {
  const words = new Set();
  const departments = new Map();
  for (const i of sample) {
    for (const w of i.name.toLowerCase().split(/[^a-zà-öø-ÿœ]+/)) if (w.length >= 4 && !kStopWords.has(w)) words.add(w);
    for (const a of i.activities) words.add(a.replace(/_/g, ' '));
    const d = departments.get(i.department) ?? { code: i.department, region: i.region, box: [180, 90, -180, -90] };
    d.box = [Math.min(d.box[0], i.longitude), Math.min(d.box[1], i.latitude), Math.max(d.box[2], i.longitude),
      Math.max(d.box[3], i.latitude)];
    departments.set(i.department, d);
  }
  return {
    sample,
    words: [...words].sort(),
    departments: [...departments.values()].sort((a, b) => a.code.localeCompare(b.code)),
    families: [...new Set(sample.map((i) => i.family))].sort(),
    activities: [...new Set(sample.flatMap((i) => i.activities))].sort(),
    regions: [...new Set(sample.map((i) => i.region))].sort(),
  };
}

// The requests of sample `i` of `kind`: a list of steps, each a list of paths sent together.
export function Requests(kind, i, m, random, ids) {
  const q = (params) => `?${new URLSearchParams(params)}`;
  const word = () => random.pick(m.words);
  switch (kind) {
    case 'keyword':
      return [[`/api/initiatives${q({ q: word(), page: 1, per_page: 20 })}`]];
    case 'keyword_bbox_filters': {
      const at = random.pick(m.sample);
      const half = 0.1 + random.next() * 0.9;
      const filter = i % 2 ? { family: random.pick(m.families) } : { activity: random.pick(m.activities) };
      return [[`/api/initiatives${q({ q: word(), bbox: Box([at.longitude - half, at.latitude - half * 0.7,
        at.longitude + half, at.latitude + half * 0.7]), ...filter, page: 1, per_page: 20 })}`]];
    }
    case 'clusters_france': {
      const j = () => (random.next() - 0.5) * 2;  // windows of other sizes show a little more or less
      const box = [kFrance[0] + j(), kFrance[1] + j() * 0.5, kFrance[2] + j(), kFrance[3] + j() * 0.5];
      const filter = i % 3 === 2 ? { family: random.pick(m.families) } : {};
      return [[`/api/map/clusters${q({ ...filter, bbox: Box(box), zoom: 5 + (i % 2) })}`]];
    }
    case 'clusters_department': {
      const d = random.pick(m.departments);
      const pad = 0.05 + random.next() * 0.2;
      return [[`/api/map/clusters${q({ department: d.code, bbox: Box([d.box[0] - pad, d.box[1] - pad, d.box[2] + pad,
        d.box[3] + pad]), zoom: 8 + (i % 2) })}`]];
    }
    case 'record_proof': {
      const r = ids[random.int(ids.length)];
      const path = `/api/initiatives/${encodeURIComponent(r.region)}/${encodeURIComponent(r.id)}`;
      return [[path], [`${path}/proof`]];
    }
    case 'indicators': {
      const which = i % 4;
      if (which === 0) return [['/api/indicators']];
      if (which === 1) return [[`/api/indicators${q({ region: random.pick(m.regions) })}`]];
      return [[`/api/indicators${q({ department: random.pick(m.departments).code })}`]];
    }
    case 'default_view':
      return [['/api/indicators'], ['/api/initiatives?page=1&per_page=20',
        `/api/map/clusters?bbox=${Box(kFrance)}&zoom=5`]];
    default:
      throw new Error(`unknown kind ${kind}`);
  }
}

export function Percentile(sorted, p) {
  if (!sorted.length) return null;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

async function Fetch(hub, path, statuses) {
  const res = await fetch(hub + path, { signal: AbortSignal.timeout(30_000) });
  const body = await res.text();
  statuses[res.status] = (statuses[res.status] ?? 0) + 1;
  if (res.status !== 200) throw new Error(`${path} -> ${res.status} ${body.slice(0, 200)}`);
  return body;
}

// Record ids for record_proof, from keyword searches (as a visitor finds them).
async function FindIds(hub, m, random, want) {
  const ids = new Map();
  for (let tries = 0; ids.size < want && tries < want * 4; ++tries) {
    const body = JSON.parse(await Fetch(hub, `/api/initiatives?q=${encodeURIComponent(random.pick(m.words))}&page=1&per_page=20`, {}));
    for (const item of body.items ?? []) ids.set(`${item.region}/${item.id}`, { region: item.region, id: item.id });
  }
  if (!ids.size) throw new Error('no initiative found by keyword: is the hub loaded?');
  return [...ids.values()];
}

async function Run({ hub, data, queries, capture, psql, budgetSeconds }) {
  const m = Material(LoadSample(data));
  const random = Random(20261202);
  const ids = await FindIds(hub, m, random, Math.min(queries, 500));
  const out = {};
  const paths = {};
  for (const kind of kKinds) {
    const times = [];
    const statuses = {};
    let errors = 0;
    paths[kind] = [];
    const deadline = Date.now() + budgetSeconds * 1000;
    for (let i = 0; i < queries; ++i) {
      if (Date.now() > deadline) {
        console.error(`national_reads.mjs: ${kind}: stopped after ${i} queries (budget of ${budgetSeconds} s)`);
        break;
      }
      const steps = Requests(kind, i, m, random, ids);
      paths[kind].push(...steps.flat());
      if (capture) execFileSync('psql', ['-qAtX', psql, '-c', `SELECT 'bench-sample:${kind}:${i}'`], { stdio: ['ignore', 'ignore', 'inherit'] });
      const start = process.hrtime.bigint();
      try {
        for (const step of steps) await Promise.all(step.map((p) => Fetch(hub, p, statuses)));
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
      } catch (e) {
        if (++errors <= 3) console.error(`national_reads.mjs: ${kind}: ${e.message}`);
      }
    }
    if (capture) execFileSync('psql', ['-qAtX', psql, '-c', `SELECT 'bench-sample:end:0'`], { stdio: ['ignore', 'ignore', 'inherit'] });
    times.sort((a, b) => a - b);
    out[kind] = {
      n: times.length, errors, statuses, asked: queries,
      p50_ms: Percentile(times, 50), p99_ms: Percentile(times, 99),
      mean_ms: times.length ? times.reduce((a, b) => a + b, 0) / times.length : null,
    };
    console.error(`national_reads.mjs: ${kind}: ${times.length} answers, ${errors} errors, p50 ${out[kind].p50_ms?.toFixed(1)} ms, p99 ${out[kind].p99_ms?.toFixed(1)} ms`);
  }
  return { out, paths };
}

// --- the peer's scripts from the PostgreSQL log -----------------------------------------------

// The log's entries: {pid, kind: 'statement'|'execute', sql, params}.
export function ParseLog(text) {
  const entries = [];
  let last = null;
  const head = /^\S+ \S+ \S+ \[(\d+)\] (LOG|DETAIL|ERROR|STATEMENT|HINT|CONTEXT|WARNING):  (.*)$/;
  for (const line of text.split('\n')) {
    const h = head.exec(line);
    if (!h) {
      if (last && line.startsWith('\t')) last.sql += `\n${line.slice(1)}`;
      continue;
    }
    const [, pid, level, rest] = h;
    if (level === 'LOG') {
      // parse and bind lines (and any other) end the previous entry: their DETAIL is theirs
      last = null;
      const s = /^duration: [\d.]+ ms {2}(statement|execute [^:]*): ([\s\S]*)$/.exec(rest);
      if (s) {
        last = { pid, kind: s[1] === 'statement' ? 'statement' : 'execute', sql: s[2], params: null };
        entries.push(last);
      }
    } else if (level === 'DETAIL' && last && last.pid === pid) {
      const p = /^parameters: (.*)$/.exec(rest);
      if (p) last.params = ParseParameters(p[1]);
      last = null;
    } else {
      last = null;
    }
  }
  return entries;
}

export function ParseParameters(text) {
  const out = {};
  const re = /\$(\d+) = (NULL|'(?:[^']|'')*')/g;
  for (let m; (m = re.exec(text));) out[m[1]] = m[2];
  return out;
}

// The statement with its parameters as literals (outside quoted strings).
export function Substitute(sql, params) {
  if (!params) return sql;
  let out = '';
  let quoted = false;
  for (let i = 0; i < sql.length; ++i) {
    const c = sql[i];
    if (!quoted && c === '-' && sql[i + 1] === '-') {  // a comment, to the end of its line
      const end = sql.indexOf('\n', i);
      out += end < 0 ? sql.slice(i) : sql.slice(i, end + 1);
      if (end < 0) break;
      i = end;
      continue;
    }
    if (c === '\'') quoted = !quoted;
    if (!quoted && c === '$' && /\d/.test(sql[i + 1] ?? '')) {
      let j = i + 1;
      while (/\d/.test(sql[j] ?? '')) ++j;
      const n = sql.slice(i + 1, j);
      if (params[n] !== undefined) {
        out += params[n];
        i = j - 1;
        continue;
      }
    }
    out += c;
  }
  return out;
}

// {kind: [[sql, ...] per request]} from the log's entries between the markers.
export function RequestsOfLog(entries) {
  const out = {};
  let current = null;
  let markerPid = null;
  for (const e of entries) {
    const marker = /^SELECT 'bench-sample:([a-z_]+):(\d+)'$/.exec(e.sql.trim());
    if (marker) {
      markerPid = e.pid;
      current = marker[1] === 'end' ? null : [];
      if (current) (out[marker[1]] ??= []).push(current);
      continue;
    }
    if (!current || e.pid === markerPid) continue;
    current.push(Substitute(e.sql, e.params).trim().replace(/;+$/, ''));
  }
  return out;
}

function Scripts(logFile, dir) {
  const requests = RequestsOfLog(ParseLog(readFileSync(logFile, 'utf8')));
  const counts = {};
  for (const [kind, list] of Object.entries(requests)) {
    mkdirSync(join(dir, kind), { recursive: true });
    let n = 0;
    for (const statements of list) {
      if (!statements.length) continue;  // answered from the hub's cache: no SQL
      writeFileSync(join(dir, kind, `${String(++n).padStart(3, '0')}.sql`), `${statements.map((s) => `${s};`).join('\n')}\n`);
    }
    counts[kind] = { requests: list.length, with_sql: n };
  }
  process.stdout.write(`${JSON.stringify(counts)}\n`);
}

function Args(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) args[argv[i].replace(/^--/, '')] = argv[i + 1];
  return args;
}

async function Main([command, ...rest]) {
  const args = Args(rest);
  if (command === 'scripts') return Scripts(args.log, args.out);
  if (command !== 'measure' && command !== 'capture') throw new Error('measure | capture | scripts');
  const { out, paths } = await Run({
    hub: args.hub, data: args.data, queries: Number(args.queries ?? 1000), capture: command === 'capture', psql: args.psql,
    budgetSeconds: Number(args['budget-seconds'] ?? 600),
  });
  if (command === 'measure') {
    writeFileSync(args.out, JSON.stringify(out, null, 1));
    if (args['wrk-dir']) {
      mkdirSync(args['wrk-dir'], { recursive: true });
      for (const [kind, list] of Object.entries(paths)) writeFileSync(join(args['wrk-dir'], `${kind}.paths`), `${list.join('\n')}\n`);
    }
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  Main(process.argv.slice(2)).catch((e) => {
    console.error(`national_reads.mjs: ${e.stack ?? e.message}`);
    process.exit(1);
  });
}
