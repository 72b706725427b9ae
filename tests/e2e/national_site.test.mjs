// The national site in a browser (issue 14, point 6), on a desktop and on a 390×844 phone:
// the region filter lists exactly the 18 regions (no collectivité d'outre-mer) and the
// department filter their departments; over a dense seeded region the cluster markers never
// overlap, at the first view of France and zoomed in; a national listing links to the record
// on its region's site ("Voir la fiche sur le site de la région"), and the link opens it; the
// region's own map does not overlap its markers either.
// Every page state checked with axe-core (pages.mjs). No network: no tiles.
//
// The region's site is the node behind a small reverse proxy of the test's own: the node's
// --public-url must be known before the node starts (and so before its port 0 is chosen), as a
// region's public address is known before its node runs behind it.
//   node tests/e2e/national_site.test.mjs BUILD_DIR
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { join } from 'node:path';
import { Artefacts, LaunchBrowser, NewPage } from '../../web/tests/browser.mjs';
import { ApiClient, Federation, WaitFor, kRoot, kPhone } from './federation.mjs';
import { CheckPage, WaitReady } from './pages.mjs';
import { PrepareCommittee } from './seed.mjs';

const build = process.argv[2] ?? process.env.ESS_BUILD_DIR ?? join(kRoot, 'build');
const artefacts = new Artefacts(join(build, 'e2e-artifacts'));
const kDesktop = {};

// France's 18 regions (core/regions.h): what the filters list, and nothing else.
const kRegions = {
  '01': 'Guadeloupe', '02': 'Martinique', '03': 'Guyane', '04': 'La Réunion', '06': 'Mayotte',
  11: 'Île-de-France', 24: 'Centre-Val de Loire', 27: 'Bourgogne-Franche-Comté', 28: 'Normandie',
  32: 'Hauts-de-France', 44: 'Grand Est', 52: 'Pays de la Loire', 53: 'Bretagne', 75: 'Nouvelle-Aquitaine',
  76: 'Occitanie', 84: 'Auvergne-Rhône-Alpes', 93: 'Provence-Alpes-Côte d\'Azur', 94: 'Corse',
};
const kListed = 'Épicerie solidaire du Panier';

// A dense region: one admitted initiative at each of `count` communes of
// Provence-Alpes-Côte d'Azur with an exact position (every other one of the referential's),
// the listed one in Marseille.
function DenseCsv(count) {
  const referential = JSON.parse(readFileSync(join(build, 'referential.json'), 'utf8'));
  const communes = referential.communes
    .filter((c) => c.region === '93' && !c.approximate && c.latitude != null && c.code !== '13055')
    .filter((_, i) => i % 2 === 0).slice(0, count - 1);
  const rows = [`${kListed};association;association_loi_1901;alimentation;13055;43.29650;5.36980;contact@panier.example`];
  communes.forEach((c, i) => rows.push(
    `Initiative ${i + 1} de ${c.name};association;association_loi_1901;alimentation;${c.code};${c.latitude};${c.longitude};i${i}@initiatives.example`));
  return { csv: `name;family;legal_form;activities;commune;latitude;longitude;email\n${rows.join('\n')}\n`, count: rows.length };
}

// The page boxes of the map's markers (clusters and points), and the first two that overlap.
async function MarkerBoxes(page) {
  return page.locator('.leaflet-marker-pane .leaflet-marker-icon').evaluateAll((els) => els.map((e) => {
    const r = e.getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, what: `${e.className} «${e.title}»` };
  }));
}
function Overlap(boxes) {
  for (let i = 0; i < boxes.length; ++i) {
    for (let j = i + 1; j < boxes.length; ++j) {
      const a = boxes[i]; const b = boxes[j];
      if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) return [a, b];
    }
  }
  return null;
}

// Waits until the map has drawn the clusters of its current view (the count it shows no
// longer changes), then checks that no two markers overlap. Returns the boxes.
async function CheckNoOverlap(page, what) {
  let previous = '';
  const boxes = await WaitFor(`${what}: the clusters drawn`, async () => {
    const now = await MarkerBoxes(page);
    const key = JSON.stringify(now);
    const stable = now.length > 0 && key === previous;
    previous = key;
    return stable ? now : null;
  }, { timeoutMs: 15000, intervalMs: 300 });
  const overlap = Overlap(boxes);
  assert.equal(overlap, null, `${what}: overlapping markers ${JSON.stringify(overlap)}`);
  return boxes;
}

describe('the national site: regions, clusters on a phone, the region\'s site', { concurrency: false }, () => {
  let federation;
  let browser;
  let proxy;
  let siteUrl;
  let node;
  let hub;
  let seeded;
  const stopOnSignal = async () => { await browser?.close().catch(() => {}); proxy?.close(); await federation?.Stop(); process.exit(1); };

  before(async () => {
    process.once('SIGTERM', stopOnSignal);
    process.once('SIGINT', stopOnSignal);
    // The region's public address: a reverse proxy to the node, once the node has its port.
    proxy = createServer((req, res) => {
      if (!node) { res.writeHead(503); res.end(); return; }
      const upstream = request({ host: '127.0.0.1', port: node.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => { res.writeHead(answer.statusCode, answer.headers); answer.pipe(res); });
      upstream.on('error', () => { res.writeHead(502); res.end(); });
      req.pipe(upstream);
    });
    await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${proxy.address().port}`;
    federation = new Federation({
      build, regions: ['93'],
      nodeArgs: ['--public-url', `${siteUrl}/`, '--security.login-rate-per-minute', '1000'],
    });
    await federation.StartPrepared(async () => {
      node = federation.nodes['93'];
      hub = federation.hub;
      const { admin } = await PrepareCommittee(node, federation.admin, { members: [] });
      seeded = DenseCsv(240);
      await admin.Call('POST', '/api/admin/import', { csv: seeded.csv, separator: ';', status: 'admitted' });
      const national = new ApiClient(hub.url);
      await WaitFor('the hub holds every record',
        async () => (await national.Call('GET', '/api/indicators')).on_map === seeded.count, { timeoutMs: 90000, intervalMs: 200 });
    }).catch((e) => { proxy.close(); throw e; });
    browser = await LaunchBrowser();
  });

  after(async () => {
    await browser?.close();
    await federation?.Finish();
    proxy?.close();
  });

  it('the hub\'s APIs know only the 18 regions, and the region\'s site', async () => {
    const national = new ApiClient(hub.url);
    const referential = await national.Call('GET', '/api/referential?without=communes');
    assert.deepEqual(Object.fromEntries(referential.regions.map((r) => [r.code, r.name])), kRegions);
    assert.equal(referential.departments.length, 101);
    for (const d of referential.departments) assert.ok(kRegions[d.region], `department ${d.code} of region ${d.region}`);
    const indicators = await national.Call('GET', '/api/indicators');
    assert.deepEqual(indicators.by_region.map((r) => r.code), ['93']);
    for (const d of indicators.by_department) assert.ok(['04', '05', '06', '13', '83', '84'].includes(d.code), d.code);
    const { regions } = await national.Call('GET', '/api/regions');
    assert.deepEqual(regions.map((r) => [r.region, r.site_url]), [['93', siteUrl]]);
    const outlines = JSON.parse(readFileSync(join(kRoot, 'web', 'generated', 'regions.geojson'), 'utf8'));
    for (const f of outlines.features) assert.ok(kRegions[f.properties.code], `outline ${f.properties.code}`);
  });

  for (const [device, options] of [['desktop', kDesktop], ['phone', kPhone]]) {
    it(`on a ${device}: the 18 regions in the filter, clusters apart, the record on its region's site`, async () => {
      const name = (step) => `national-site-${device}-${step}`;
      const page = await NewPage(browser, options);
      await page.goto(`${hub.url}/`);
      await WaitReady(page);

      // The filters: the 18 regions, then the departments of the one chosen.
      const regionOptions = await page.locator('#region option').evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
      assert.deepEqual(Object.fromEntries(regionOptions.filter(([v]) => v)), kRegions);
      assert.equal(regionOptions.filter(([v]) => !v).length, 1, 'one "any region" choice');
      const departments = await page.locator('#department option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
      assert.equal(departments.length, 101);
      assert.ok(!departments.some((d) => /^9(75|77|78|84|8[6-9])$/.test(d)), departments.join(' '));

      // Clusters over France, then zoomed in twice on the fullest: never two markers overlapping.
      const france = await CheckNoOverlap(page, `${device}, France`);
      await CheckPage(page, artefacts, 'hub', name('france'));
      let boxes = france;
      for (const step of ['zoom-1', 'zoom-2']) {
        const cluster = page.locator('.leaflet-marker-icon.cluster').first();
        if (!(await cluster.count())) break;
        await cluster.click();
        await WaitFor('the map zoomed in', async () => JSON.stringify(await MarkerBoxes(page)) !== JSON.stringify(boxes), { timeoutMs: 10000 });
        boxes = await CheckNoOverlap(page, `${device}, ${step}`);
      }
      await CheckPage(page, artefacts, 'hub', name('zoomed'));

      // The national listing links to the record's page on its region's site, which opens it.
      const listed = (await new ApiClient(hub.url).Call('GET', '/api/initiatives?q=panier')).items[0];
      assert.equal(listed.region_site_url, `${siteUrl}/initiative.html?id=${listed.id}`);
      await page.goto(`${hub.url}/initiative.html?region=93&id=${encodeURIComponent(listed.id)}`);
      await WaitReady(page);
      const link = page.getByRole('link', { name: 'Voir la fiche sur le site de la région' });
      assert.equal(await link.getAttribute('href'), listed.region_site_url);
      await CheckPage(page, artefacts, 'hub', name('listing'));
      await link.click();
      await page.waitForURL(listed.region_site_url);
      await WaitReady(page);
      assert.equal(await page.locator('h1').innerText(), kListed);
      await CheckPage(page, artefacts, 'node', name('region-site'));

      // The region's own map clusters the same way: no two markers overlap there either.
      await page.goto(`${node.url}/`);
      await WaitReady(page);
      await CheckNoOverlap(page, `${device}, the region's map`);
      await CheckPage(page, artefacts, 'node', name('region-map'));
      await page.context().close();
    });
  }
});
