// Renders the figures of one bench/run.sh run into docs/benchmarks.md, between the markers
// `<!-- bench:begin -->` and `<!-- bench:end -->` (the rest of the file is left as it is).
//
//   node bench/report.mjs --results bench/results/2026-12-02.jsonl --machine machine.json \
//        [--doc docs/benchmarks.md] [--print]
//
// The results file holds the JSON lines the bench scripts print (docs/benchmarks.md, "Bench
// output contract"), one per measured figure and run:
//   {"bench":"catch_up","case":"one_node_200k","run":1,"ours":{"value":6200,"unit":"entries/s"},
//    "peer":{"name":"logical replication","value":2900,"unit":"rows/s"},
//    "target":">= 5x peer","met":false,"command":"bench/replication.sh 200000"}
// ("peer" may be a list or absent), and the lines bench/run.sh adds for a bench that did not
// run: {"bench":"overload","not_measured":"bench/overload.sh is missing"}. Lines that are not
// JSON objects are ignored. Per bench and case the report gives the median and the spread
// (min–max) of ours and of each peer over the runs, the ratio of the medians, the target and
// whether it was met (in every run, in some, in none). The machine file is what bench/run.sh
// recorded (CPU, cores, RAM, disk, Debian, PostgreSQL, load before and after).
// --print writes the section on stdout instead of into the document.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const kBegin = '<!-- bench:begin -->';
export const kEnd = '<!-- bench:end -->';

// The six targets of issue 12, in the order the report gives them; a bench with no line at
// all is shown as not measured.
export const kBenches = [
  { bench: 'catch_up', title: 'Catch-up of an empty hub', script: 'bench/replication.sh' },
  { bench: 'replication_lag', title: 'Replication lag at 500 writes/s', script: 'bench/replication_lag.sh' },
  { bench: 'national_reads', title: 'National reads', script: 'bench/national_reads.sh' },
  { bench: 'node_writes', title: 'Node writes (registrations through the HTTP API)', script: 'bench/node_writes.sh' },
  { bench: 'memory', title: 'Memory (peak RSS)', script: 'bench/run.sh (/usr/bin/time -v)' },
  { bench: 'overload', title: 'Overload', script: 'bench/overload.sh' },
  { bench: 'core', title: 'Signed-record core (Google Benchmark, no target)', script: 'build/release/bench/core_bench' },
];

export function ParseLines(text) {
  const out = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t.startsWith('{')) continue;
    try {
      const j = JSON.parse(t);
      if (j && typeof j === 'object' && typeof j.bench === 'string') out.push(j);
    } catch {
      // a human line that happens to start with a brace: not a figure
    }
  }
  return out;
}

export function Median(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

// {median, min, max, n, unit} of a list of {value, unit}.
export function Stats(figures) {
  const values = figures.map((f) => f?.value).filter((x) => typeof x === 'number' && Number.isFinite(x));
  if (!values.length) return null;
  return {
    median: Median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    n: values.length,
    unit: figures.find((f) => f?.unit)?.unit ?? '',
  };
}

const Peers = (line) => (Array.isArray(line.peer) ? line.peer : line.peer ? [line.peer] : []);

// Groups the lines by bench and case: [{bench, case, ours, peers: [{name, stats}], target,
// met: {yes, of}, command, note}], cases in the order they first appear.
export function Summarise(lines) {
  const groups = new Map();
  for (const line of lines) {
    if (line.not_measured !== undefined) continue;
    const key = `${line.bench}\u0000${line.case ?? ''}`;
    if (!groups.has(key)) groups.set(key, { bench: line.bench, case: line.case ?? '', lines: [] });
    groups.get(key).lines.push(line);
  }
  return [...groups.values()].map(({ bench, case: c, lines: ls }) => {
    const peerNames = [];
    for (const l of ls) for (const p of Peers(l)) if (!peerNames.includes(p.name ?? 'peer')) peerNames.push(p.name ?? 'peer');
    const judged = ls.filter((l) => typeof l.met === 'boolean');
    return {
      bench,
      case: c,
      ours: Stats(ls.map((l) => l.ours)),
      peers: peerNames.map((name) => ({
        name,
        stats: Stats(ls.flatMap((l) => Peers(l).filter((p) => (p.name ?? 'peer') === name))),
      })),
      target: ls.find((l) => l.target)?.target ?? '',
      met: { yes: judged.filter((l) => l.met).length, of: judged.length },
      command: ls.find((l) => l.command)?.command ?? '',
      note: ls.find((l) => l.note)?.note ?? '',
    };
  });
}

// The reasons given for benches that did not run, by bench.
export function NotMeasured(lines) {
  const out = new Map();
  for (const l of lines) if (l.not_measured !== undefined && !out.has(l.bench)) out.set(l.bench, String(l.not_measured));
  return out;
}

export function FormatNumber(x) {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  const digits = Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : Math.abs(x) >= 1 ? 2 : 3;
  const fixed = x.toFixed(digits);
  const [int, frac] = fixed.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac ? `${grouped}.${frac}` : grouped;
}

export function FormatStats(s) {
  if (!s) return '–';
  const unit = s.unit ? ` ${s.unit}` : '';
  if (s.n === 1 || s.min === s.max) return `${FormatNumber(s.median)}${unit}`;
  return `${FormatNumber(s.median)}${unit} (${FormatNumber(s.min)}–${FormatNumber(s.max)})`;
}

export function FormatMet({ yes, of }) {
  if (!of) return '–';
  if (yes === of) return of === 1 ? '**met**' : `**met** (${of}/${of} runs)`;
  if (yes === 0) return of === 1 ? '**not met**' : `**not met** (0/${of} runs)`;
  return `met in ${yes}/${of} runs`;
}

// The ratio ours/peer of the medians, when both exist and the peer is not zero.
export function Ratio(ours, peer) {
  if (!ours || !peer || !peer.median) return null;
  return ours.median / peer.median;
}

const Cell = (text) => String(text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function RenderMachine(machine) {
  const rows = [
    ['date (UTC)', machine.date],
    ['CPU', machine.cpu],
    ['cores', machine.cores],
    ['RAM', machine.ram],
    ['disk', machine.disk],
    ['system', machine.system],
    ['compiler', machine.compiler],
    ['PostgreSQL', machine.postgresql],
    ['commit', machine.commit],
    ['load (uptime) before', machine.load_before],
    ['load (uptime) after', machine.load_after],
    ['mode', machine.mode],
    ['runs per bench', machine.runs],
  ].filter(([, v]) => v !== undefined && v !== '');
  return ['| machine | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${Cell(v)} |`)].join('\n');
}

export function RenderSection({ machine = {}, lines, resultsFile = '' }) {
  const summary = Summarise(lines);
  const missing = NotMeasured(lines);
  const out = [];
  out.push('## Figures of the last `bench/run.sh` run');
  out.push('');
  out.push(`Generated by \`bench/report.mjs\` from \`${resultsFile}\` (${lines.length} lines); do not edit by hand. ` +
    'Each figure is the median over the runs, with the spread (min–max) in brackets; ours and the peer were measured ' +
    'in the same run, on the same machine and PostgreSQL. The ratio is ours / peer (medians). A target is met when ' +
    'every run met it.');
  out.push('');
  out.push(RenderMachine(machine));
  out.push('');
  const known = new Set(kBenches.map((b) => b.bench));
  const benches = [...kBenches, ...[...new Set(summary.map((s) => s.bench))].filter((b) => !known.has(b))
    .map((b) => ({ bench: b, title: b, script: '' }))];
  const verdicts = [];
  for (const b of benches) {
    const cases = summary.filter((s) => s.bench === b.bench);
    out.push(`### ${b.title} — \`${b.bench}\``);
    out.push('');
    if (!cases.length) {
      const why = missing.get(b.bench) ?? `${b.script} printed no figure`;
      out.push(`**Not measured**: ${why}.`);
      out.push('');
      verdicts.push({ bench: b, state: 'not measured' });
      continue;
    }
    out.push('| case | ours | peer | ours / peer | target | result |');
    out.push('|---|---|---|---|---|---|');
    for (const c of cases) {
      const peer = c.peers.length
        ? c.peers.map((p) => `${Cell(p.name)}: ${FormatStats(p.stats)}`).join('<br>')
        : '–';
      const ratios = c.peers.map((p) => Ratio(c.ours, p.stats)).filter((r) => r !== null);
      const ratio = ratios.length ? ratios.map((r) => `${FormatNumber(r)}x`).join('<br>') : '–';
      out.push(`| ${Cell(c.case)} | ${FormatStats(c.ours)} | ${peer} | ${ratio} | ${Cell(c.target) || '–'} | ${FormatMet(c.met)} |`);
    }
    out.push('');
    const commands = [...new Set(cases.map((c) => c.command).filter(Boolean))];
    if (commands.length) out.push(`Commands: ${commands.map((c) => `\`${c}\``).join(', ')}.`);
    const notes = [...new Set(cases.map((c) => c.note).filter(Boolean))];
    for (const n of notes) out.push(`Note: ${n}`);
    if (commands.length || notes.length) out.push('');
    const judged = cases.filter((c) => c.met.of);
    const state = !judged.length ? 'no target' : judged.every((c) => c.met.yes === c.met.of) ? 'met'
      : 'not met';
    verdicts.push({ bench: b, state, judged, cases });
  }
  out.push('### Targets at a glance');
  out.push('');
  out.push('| bench | result |');
  out.push('|---|---|');
  for (const v of verdicts) {
    let text = v.state;
    if (v.state === 'not met') {
      const failed = v.judged.filter((c) => c.met.yes !== c.met.of).map((c) => c.case);
      text = `**not met** (${failed.length} of ${v.judged.length} cases: ${failed.join(', ')})`;
    } else if (v.state === 'met') {
      text = `**met** (${v.judged.length} cases)`;
    }
    out.push(`| ${Cell(v.bench.title)} (\`${v.bench.bench}\`) | ${text} |`);
  }
  return out.join('\n');
}

// `doc` with the text between the markers replaced by `section` (markers kept); the markers
// are appended at the end when the document has none.
export function ReplaceSection(doc, section) {
  const begin = doc.indexOf(kBegin);
  const end = doc.indexOf(kEnd);
  const block = `${kBegin}\n${section}\n${kEnd}`;
  if (begin < 0 || end < begin) return `${doc.replace(/\n*$/, '\n\n')}${block}\n`;
  return doc.slice(0, begin) + block + doc.slice(end + kEnd.length);
}

function ParseArgs(argv) {
  const args = { doc: 'docs/benchmarks.md' };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    if (a === '--print') args.print = true;
    else if (['--results', '--machine', '--doc'].includes(a)) args[a.slice(2)] = argv[++i];
    else throw new Error(`unexpected argument: ${a}`);
  }
  if (!args.results) throw new Error('--results FILE is required');
  return args;
}

function Main(argv) {
  const args = ParseArgs(argv);
  const lines = ParseLines(readFileSync(args.results, 'utf8'));
  const machine = args.machine ? JSON.parse(readFileSync(args.machine, 'utf8')) : {};
  const section = RenderSection({ machine, lines, resultsFile: args.results });
  if (args.print) {
    process.stdout.write(`${section}\n`);
    return;
  }
  writeFileSync(args.doc, ReplaceSection(readFileSync(args.doc, 'utf8'), section));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    Main(process.argv.slice(2));
  } catch (e) {
    console.error(`report.mjs: ${e.message}`);
    process.exit(2);
  }
}
