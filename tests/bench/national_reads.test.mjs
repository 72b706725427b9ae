// bench/national_reads.mjs's peer side: the PostgreSQL log of a capture pass becomes one
// pgbench script per request (statements in order, parameters as literals, the marker
// session's own statements left out), and its percentiles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseLog, ParseParameters, Percentile, RequestsOfLog, Substitute } from '../../bench/national_reads.mjs';

test('parameters become literals, outside quoted strings and comments', () => {
  assert.deepEqual(ParseParameters(`$1 = 'a', $2 = NULL, $10 = 'it''s'`), { 1: `'a'`, 2: 'NULL', 10: `'it''s'` });
  assert.equal(Substitute(`SELECT $1, '$2' -- l'index $1\nWHERE y = $10 AND z = $2`, { 1: `'a'`, 2: 'NULL', 10: `'b'` }),
    `SELECT 'a', '$2' -- l'index $1\nWHERE y = 'b' AND z = NULL`);
  assert.equal(Substitute('SELECT 1', null), 'SELECT 1');
});

test('the statements of each request, between the markers', () => {
  const log = [
    `2026-12-02 02:10:00.123 UTC [11] LOG:  duration: 0.050 ms  statement: SELECT 'bench-sample:keyword:0'`,
    `2026-12-02 02:10:00.124 UTC [12] LOG:  duration: 0.010 ms  statement: BEGIN`,
    `2026-12-02 02:10:00.124 UTC [12] LOG:  duration: 0.010 ms  parse s1: SELECT * FROM t WHERE a = $1`,
    `2026-12-02 02:10:00.124 UTC [12] LOG:  duration: 0.010 ms  bind s1: SELECT * FROM t WHERE a = $1`,
    `2026-12-02 02:10:00.124 UTC [12] DETAIL:  parameters: $1 = 'the bind line''s'`,
    `2026-12-02 02:10:00.125 UTC [12] LOG:  duration: 1.234 ms  execute s1: SELECT *`,
    `\tFROM t WHERE a = $1`,
    `2026-12-02 02:10:00.125 UTC [12] DETAIL:  parameters: $1 = 'x''y'`,
    `2026-12-02 02:10:00.126 UTC [12] LOG:  duration: 0.010 ms  statement: COMMIT`,
    `2026-12-02 02:10:00.127 UTC [11] LOG:  duration: 0.050 ms  statement: SELECT 'bench-sample:keyword:1'`,
    `2026-12-02 02:10:00.128 UTC [11] LOG:  duration: 0.050 ms  statement: SELECT 'bench-sample:indicators:0'`,
    `2026-12-02 02:10:00.129 UTC [13] LOG:  duration: 2.000 ms  execute <unnamed>: SELECT count(*) FROM t;`,
    `2026-12-02 02:10:00.130 UTC [11] LOG:  duration: 0.050 ms  statement: SELECT 'bench-sample:end:0'`,
    `2026-12-02 02:10:00.131 UTC [12] LOG:  duration: 0.010 ms  statement: SELECT 'after the end'`,
  ].join('\n');
  assert.deepEqual(RequestsOfLog(ParseLog(log)), {
    keyword: [['BEGIN', `SELECT *\nFROM t WHERE a = 'x''y'`, 'COMMIT'], []],
    indicators: [['SELECT count(*) FROM t']],
  });
});

test('percentiles by rank', () => {
  const v = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(Percentile(v, 50), 50);
  assert.equal(Percentile(v, 99), 99);
  assert.equal(Percentile([7], 99), 7);
  assert.equal(Percentile([], 50), null);
});
