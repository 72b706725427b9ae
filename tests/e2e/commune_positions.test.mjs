// Every commune can be registered without coordinates and is found on both maps (issue 14,
// point 1): 200 communes drawn at random with a fixed seed from each of the 18 regions, most of
// them among those GeoNames lacks (approximated points, docs/decisions/0007-commune-positions.md),
// are imported as admitted records without latitude or longitude by each region's admin (the
// CSV import runs the same validation as the registration form), one node per region on one
// PostgreSQL; each record is then found by /api/initiatives with a small box around its
// commune's point on its node and at the hub, with its location_precision ("approximate" or
// "commune"). No browser.
//   node tests/e2e/commune_positions.test.mjs BUILD_DIR
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient, Federation, WaitFor, kRoot } from './federation.mjs';

const build = process.argv[2] ?? process.env.ESS_BUILD_DIR ?? join(kRoot, 'build');
const kRegions = ['01', '02', '03', '04', '06', '11', '24', '27', '28', '32', '44', '52', '53', '75', '76',
  '84', '93', '94'];
const kSample = 200;
const kSeed = 20260114;
// Of each region's draw, one commune in eleven has an exact point (GeoNames), the others an
// approximated one where the region has enough of them.
const kExactEvery = 11;

// mulberry32: a small deterministic generator, so the draw is the same on every run.
function Random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function Draw(list, count, random) {
  const pool = [...list];
  const out = [];
  while (out.length < count && pool.length) out.push(pool.splice(Math.floor(random() * pool.length), 1)[0]);
  return out;
}

// 200 communes: 11 or 12 per region, mostly approximated ones; each with the record's name.
function Sample(referential) {
  const random = Random(kSeed);
  const out = [];
  kRegions.forEach((region, i) => {
    const count = Math.floor(kSample / kRegions.length) + (i < kSample % kRegions.length ? 1 : 0);
    const communes = referential.communes.filter((c) => c.region === region);
    const approximate = communes.filter((c) => c.approximate);
    const exact = communes.filter((c) => !c.approximate);
    const exactCount = Math.max(Math.ceil(count / kExactEvery), count - approximate.length);
    for (const c of [...Draw(approximate, count - exactCount, random), ...Draw(exact, exactCount, random)]) {
      out.push({ ...c, record: `Initiative de ${c.name} (${c.code})` });
    }
  });
  return out;
}

function Csv(communes) {
  const cell = (s) => `"${s.replaceAll('"', '""')}"`;
  return 'name;family;legal_form;activities;commune\n' + communes.map((c) =>
    [cell(c.record), 'association', 'association_loi_1901', 'alimentation', c.code].join(';')).join('\n') + '\n';
}

// A box of about ±1 km around the commune's point: the record is there, placed at that point.
function Around(c) {
  const d = 0.01;
  return [c.longitude - d, c.latitude - d, c.longitude + d, c.latitude + d].map((v) => v.toFixed(5)).join(',');
}

describe('every commune on both maps', { concurrency: false }, () => {
  let federation;
  const referential = JSON.parse(readFileSync(join(build, 'referential.json'), 'utf8'));
  const sample = Sample(referential);

  before(async () => {
    // 18 nodes on one PostgreSQL: two connections each (the default is 8) keep the whole
    // federation at about 50 connections, within PostgreSQL's default max_connections of 100.
    federation = new Federation({ build, regions: kRegions, nodeArgs: ['--database-pool', '2'] });
    await federation.StartPrepared();
  });

  after(async () => {
    await federation?.Finish();
  });

  it('draws 200 communes from the 18 regions, mostly approximated points', () => {
    assert.equal(sample.length, kSample);
    assert.deepEqual([...new Set(sample.map((c) => c.region))].sort(), [...kRegions].sort());
    const approximate = sample.filter((c) => c.approximate).length;
    // Overseas regions have few (Mayotte none: GeoNames lists its 17 communes).
    assert.ok(approximate >= 150, `${approximate} approximated communes of ${kSample}`);
    assert.equal(new Set(sample.map((c) => c.code)).size, kSample);
  });

  it('imports each region\'s communes without coordinates, and finds each on its node and at the hub', async () => {
    for (const region of kRegions) {
      const admin = new ApiClient(federation.nodes[region].url);
      await admin.Login(federation.admin.email, federation.admin.password);
      const communes = sample.filter((c) => c.region === region);
      const report = await admin.Call('POST', '/api/admin/import',
        { csv: Csv(communes), separator: ';', status: 'admitted' });
      assert.equal(report.error_count ?? 0, 0, `region ${region}: ${JSON.stringify(report.errors)}`);
      assert.equal(report.valid, communes.length, `region ${region}`);
    }
    const national = new ApiClient(federation.hub.url);
    await WaitFor('the hub holds the 200 records',
      async () => (await national.Call('GET', '/api/indicators')).on_map === kSample,
      { timeoutMs: 120000, intervalMs: 250 });

    const missing = [];
    for (const c of sample) {
      const node = new ApiClient(federation.nodes[c.region].url);
      const precision = c.approximate ? 'approximate' : 'commune';
      for (const [site, client] of [['node', node], ['hub', national]]) {
        const found = await client.Call('GET', `/api/initiatives?bbox=${Around(c)}&per_page=100`);
        const item = found.items.find((i) => i.name === c.record);
        if (!item) {
          missing.push(`${site}: ${c.code} ${c.name} (${c.position_source}, ${found.total} in the box)`);
          continue;
        }
        assert.equal(item.commune, c.code);
        assert.equal(item.location_precision, precision, `${site}: ${c.code} ${c.name}`);
        assert.equal(item.latitude, c.latitude, `${site}: ${c.code}`);
        assert.equal(item.longitude, c.longitude, `${site}: ${c.code}`);
      }
    }
    assert.deepEqual(missing, []);
  });
});
