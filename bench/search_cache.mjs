// The HTTP client of bench/search_cache.sh: per query kind, N varied requests sent one at a time
// on a keep-alive connection (Node's fetch), each made unique with a parameter the hub ignores
// (`_`) so that the response cache never answers (the queries' own cost), then the same N
// requests again (the cache answers). Writes {kind: {uncached: {n, p50_ms, p99_ms}, cached: ...}}.
//   node bench/search_cache.mjs --hub URL --queries N --psql DBURL --out FILE
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const args = Object.fromEntries(process.argv.slice(2).reduce((out, a, i, all) =>
  (a.startsWith('--') ? [...out, [a.slice(2), all[i + 1]]] : out), []));
const n = Number(args.queries);
let seed = 42;
const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const pick = (list) => list[Math.floor(random() * list.length)];
const words = ['epicerie', 'recyclerie', 'cafe', 'atelier', 'jardin', 'velo', 'cooperative', 'musique', 'lyon', 'brest'];
const families = ['commerce', 'culture', 'social', 'environnement'];
const ids = execFileSync('psql', ['-qAtX', args.psql, '-c',
  `SELECT region || '/' || record_id FROM national_initiative ORDER BY hashtext(record_id::text) LIMIT ${n}`])
  .toString().trim().split('\n');
const Box = (lon, lat, half) => [lon - half, lat - half * 0.7, lon + half, lat + half * 0.7].map((v) => v.toFixed(4)).join(',');
const kinds = {
  default_view: () => '/api/initiatives?page=1&per_page=20',
  keyword: () => `/api/initiatives?q=${pick(words)}&page=1&per_page=20`,
  keyword_bbox_filters: () => `/api/initiatives?q=${pick(words)}&bbox=${Box(-4 + random() * 12, 42.5 + random() * 7, 0.1 + random() * 0.9)}&family=${pick(families)}&per_page=20`,
  record: (i) => `/api/initiatives/${ids[i % ids.length]}`,
  clusters_france: () => `/api/map/clusters?bbox=-5.3,41.2,9.7,51.2&zoom=${5 + Math.floor(random() * 2)}`,
  indicators: () => '/api/indicators',
};
const Percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))];
const Stats = (times) => {
  const s = [...times].sort((a, b) => a - b);
  return { n: s.length, p50_ms: Number(Percentile(s, 0.5).toFixed(2)), p99_ms: Number(Percentile(s, 0.99).toFixed(2)) };
};
const Time = async (path) => {
  const start = process.hrtime.bigint();
  const res = await fetch(args.hub + path);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
};
const out = {};
let unique = 0;
for (const [kind, make] of Object.entries(kinds)) {
  const paths = Array.from({ length: n }, (_, i) => make(i));
  const uncached = [];
  for (const p of paths) uncached.push(await Time(`${p}${p.includes('?') ? '&' : '?'}_=${++unique}`));
  const cached = [];
  for (const p of paths) cached.push(await Time(p));  // first time fills the cache
  for (const p of paths) cached.push(await Time(p));
  out[kind] = { uncached: Stats(uncached), cached: Stats(cached.slice(n)) };
  console.error(`search_cache.mjs: ${kind}: uncached ${JSON.stringify(out[kind].uncached)}, cached ${JSON.stringify(out[kind].cached)}`);
}
writeFileSync(args.out, JSON.stringify(out));
