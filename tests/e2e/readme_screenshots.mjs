// Takes the README's screenshots from real data: a federation of three regions (real
// processes, PostgreSQL as in the browser tests), initiatives from the demo generator
// (deploy/demo/generate.mjs: real communes and coordinates) submitted through each node's
// API with charter adherence and voted in by its committee, replicated to the hub, plus two
// village initiatives of Haute-Provence (one placed by its registrant, one at its commune's
// approximate point); then, in headless Chromium, the regional map
// (docs/images/regional-map.png), the search by place around a village
// (docs/images/place-search.png), the national indicators dashboard
// (docs/images/national-dashboard.png) and the region's records back office
// (docs/images/back-office.png).
//   node tests/e2e/readme_screenshots.mjs [BUILD_DIR]
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { LaunchBrowser, NewPage } from '../../web/tests/browser.mjs';
import { ApiClient, Federation, WaitFor, kRoot } from './federation.mjs';
import { PrepareCommittee, SubmitAndAdmit } from './seed.mjs';
import { SignIn, WaitReady } from './pages.mjs';

const build = process.argv[2] ?? process.env.ESS_BUILD_DIR ?? join(kRoot, 'build');
const regions = ['93', '76', '52'];
const perRegion = { 93: 40, 76: 30, 52: 24 };
const out = join(kRoot, 'docs', 'images');
// Villages of the Alpes-de-Haute-Provence (about 1,300 and 200 inhabitants).
const kVillages = [
  {
    name: 'Épicerie paysanne de Saint-Michel', family: 'association', legal_form: 'association_loi_1901',
    activities: ['alimentation', 'agriculture'], commune: '04192', department: '04', region: '93', postcode: '04870',
    latitude: 43.9101, longitude: 5.7149, address: 'Place de la Fontaine', email: 'contact@epicerie-saint-michel.example',
    description: 'Une épicerie associative qui vend les produits des fermes du pays de Forcalquier à prix justes.',
    private: { contact_name: 'Claire Roux' },
  },
  {
    name: 'Jardin partagé de Montfuron', family: 'collectif_informel', legal_form: 'collectif',
    activities: ['agriculture', 'lieux_partages'], commune: '04128', department: '04', region: '93', postcode: '04110',
    address: 'Chemin du moulin', email: 'jardin.montfuron@courriel.example',
    description: 'Un jardin cultivé ensemble au pied du moulin, ouvert à tous les habitants du village.',
    private: { contact_name: 'Paul Giraud' },
  },
];
mkdirSync(out, { recursive: true });

const { GenerateInitiatives, LoadReferential } = await import('../../deploy/demo/generate.mjs');
const federation = new Federation({
  build, regions,
  nodeArgs: ['--participation.rate-per-minute', '100000', '--participation.rate-burst', '100000',
    '--security.login-rate-per-minute', '100000'],
});
const stop = async () => { await federation.Stop(); process.exit(1); };
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
let browser;
try {
  await federation.Start();
  const referential = LoadReferential(join(build, 'referential.json'));
  let admitted = 0;
  for (const region of regions) {
    const node = federation.nodes[region];
    const { members } = await PrepareCommittee(node, federation.admin);
    const initiatives = GenerateInitiatives({ referential, region, count: perRegion[region], seed: 2026 });
    const admitCount = Math.round(initiatives.length * 0.85);
    await SubmitAndAdmit(node, members, initiatives, { admitCount });
    if (region === '93') {
      await SubmitAndAdmit(node, members, kVillages);
      admitted += kVillages.length;
    }
    admitted += admitCount;
    console.log(`région ${region} : ${initiatives.length} initiatives, ${admitCount} admises`);
  }
  const hub = new ApiClient(federation.hub.url);
  await WaitFor('the hub holds every admitted initiative',
    async () => (await hub.Call('GET', '/api/indicators')).on_map === admitted, { timeoutMs: 120000, intervalMs: 200 });

  browser = await LaunchBrowser();
  const page = await NewPage(browser, { viewport: { width: 1280, height: 860 } });
  await page.goto(`${federation.nodes['93'].url}/`);
  await WaitReady(page);
  await page.locator('.point-marker, .cluster').first().waitFor();
  await page.screenshot({ path: join(out, 'regional-map.png') });
  // The search by place: a village picked in the place box, the results by distance.
  const search = await NewPage(browser, { viewport: { width: 1280, height: 900 } });
  await search.goto(`${federation.nodes['93'].url}/`);
  await WaitReady(search);
  const box = search.getByRole('combobox', { name: 'Commune, code postal ou département' });
  await box.fill('Saint-Michel-l');
  await search.locator('#place-options').getByRole('option', { name: /^Saint-Michel-l'Observatoire \(04\)/ }).click();
  await search.locator('#results .distance').first().waitFor();
  // Within 10 km: the map closer in, the village's points apart.
  await search.getByLabel('Dans un rayon de').selectOption('10');
  await search.locator('#summary', { hasText: /^\d+ initiative/ }).waitFor();
  await search.locator('#results .distance').first().waitFor();
  await search.locator('.point-marker').first().waitFor();
  await search.screenshot({ path: join(out, 'place-search.png'), fullPage: true });
  const dashboard = await NewPage(browser, { viewport: { width: 1280, height: 900 } });
  await dashboard.goto(`${federation.hub.url}/indicateurs.html`);
  await WaitReady(dashboard);
  await dashboard.screenshot({ path: join(out, 'national-dashboard.png'), fullPage: true });
  // The animator's records back office: the region's records with their status and freshness.
  const records = await NewPage(browser, { viewport: { width: 1280, height: 900 } });
  await SignIn(records, `${federation.nodes['93'].url}/admin/fiches.html`, federation.admin.email, federation.admin.password);
  // The viewport only: the selection's bar sticks to its bottom edge, as a visitor sees it.
  await records.screenshot({ path: join(out, 'back-office.png') });
  const errors = [...page.errors, ...search.errors, ...dashboard.errors, ...records.errors];
  if (errors.length) throw new Error(errors.join('\n'));
  console.log(`captures écrites dans ${out}`);
} catch (e) {
  console.error(e);
  console.error(federation.Logs());
  process.exitCode = 1;
} finally {
  await browser?.close();
  await federation.Stop();
}
