// bench/report.mjs on a fixture results file: medians and spreads per bench and case, the
// ratio to the peer, "met" only when every run met it, missing benches "not measured", and
// the section replaced between the markers of docs/benchmarks.md and nowhere else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  FormatMet, kBegin, kEnd, Median, NotMeasured, ParseLines, RenderSection, ReplaceSection, Summarise,
} from '../../bench/report.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const lines = ParseLines(readFileSync(join(here, 'report_fixture.jsonl'), 'utf8'));

test('only JSON objects naming a bench are read', () => {
  assert.equal(lines.length, 7);
});

test('median of odd and even counts, ignoring what is not a number', () => {
  assert.equal(Median([3, 1, 2]), 2);
  assert.equal(Median([4, 1, 3, 2]), 2.5);
  assert.equal(Median([null, 5, 'x']), 5);
  assert.equal(Median([]), null);
});

test('per bench and case: median, spread, peers, runs met', () => {
  const s = Summarise(lines);
  const catchUp = s.find((c) => c.bench === 'catch_up');
  assert.deepEqual(catchUp.ours, { median: 6200, min: 6000, max: 6400, n: 3, unit: 'entries/s' });
  assert.equal(catchUp.peers.length, 1);
  assert.equal(catchUp.peers[0].name, 'logical replication, indexed');
  assert.equal(catchUp.peers[0].stats.median, 3000);
  assert.deepEqual(catchUp.met, { yes: 0, of: 3 });
  const reads = s.find((c) => c.bench === 'national_reads');
  assert.equal(reads.ours.median, 50);
  assert.deepEqual(reads.met, { yes: 1, of: 2 });
  assert.equal(s.find((c) => c.bench === 'memory').peers.length, 0);
  assert.equal(s.some((c) => c.bench === 'overload'), false);
});

test('met only when every run met it', () => {
  assert.equal(FormatMet({ yes: 3, of: 3 }), '**met** (3/3 runs)');
  assert.equal(FormatMet({ yes: 0, of: 3 }), '**not met** (0/3 runs)');
  assert.equal(FormatMet({ yes: 1, of: 2 }), 'met in 1/2 runs');
  assert.equal(FormatMet({ yes: 0, of: 0 }), '–');
});

test('the rendered section: machine, figures, ratio, missing benches not measured', () => {
  assert.equal(NotMeasured(lines).get('overload'), 'bench/overload.sh is missing');
  const section = RenderSection({ machine: { cpu: 'Test CPU', cores: 2, load_before: '0.50' }, lines, resultsFile: 'x.jsonl' });
  assert.match(section, /\| CPU \| Test CPU \|/);
  assert.match(section, /\| one_node_200k \| 6,200 entries\/s \(6,000–6,400\) \| logical replication, indexed: 3,000 rows\/s \(2,900–3,100\) \| 2.07x \| >= 5x peer \| \*\*not met\*\* \(0\/3 runs\) \|/);
  assert.match(section, /\| hub_peak_rss \| 250 MB \| – \| – \| <= 300 MB \| \*\*met\*\* \|/);
  assert.match(section, /Overload — `overload`\n\n\*\*Not measured\*\*: bench\/overload.sh is missing\./);
  // a bench with neither figure nor reason
  assert.match(section, /Node writes .*\n\n\*\*Not measured\*\*: bench\/node_writes.sh printed no figure\./);
  assert.match(section, /\| Memory \(peak RSS\) \(`memory`\) \| \*\*met\*\* \(1 cases\) \|/);
  assert.match(section, /\| National reads \(`national_reads`\) \| \*\*not met\*\* \(1 of 1 cases: keyword_p99\) \|/);
});

test('the section replaces what lies between the markers, and only that', () => {
  const doc = `# Benchmarks\n\nintro\n\n${kBegin}\nold figures\n${kEnd}\n\n## Profiles\nkept\n`;
  const out = ReplaceSection(doc, 'new figures');
  assert.equal(out, `# Benchmarks\n\nintro\n\n${kBegin}\nnew figures\n${kEnd}\n\n## Profiles\nkept\n`);
  assert.equal(ReplaceSection(out, 'new figures'), out);
  assert.equal(ReplaceSection('# B\n', 'x'), `# B\n\n${kBegin}\nx\n${kEnd}\n`);
});
