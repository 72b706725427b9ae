// Takes the README's screenshots from real data: a federation of three regions (real
// processes, PostgreSQL as in the browser tests), initiatives from the demo generator
// (deploy/demo/generate.mjs: real communes and coordinates) submitted through each node's
// API with charter adherence and voted in by its committee, replicated to the hub; then the
// regional map (docs/images/regional-map.png) and the national indicators dashboard
// (docs/images/national-dashboard.png) in headless Chromium.
//   node tests/e2e/readme_screenshots.mjs [BUILD_DIR]
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { LaunchBrowser, NewPage } from '../../web/tests/browser.mjs';
import { ApiClient, Federation, WaitFor, kRoot } from './federation.mjs';
import { PrepareCommittee, SubmitAndAdmit } from './seed.mjs';
import { WaitReady } from './pages.mjs';

const build = process.argv[2] ?? process.env.ESS_BUILD_DIR ?? join(kRoot, 'build');
const regions = ['93', '76', '52'];
const perRegion = { 93: 40, 76: 30, 52: 24 };
const out = join(kRoot, 'docs', 'images');
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
  const dashboard = await NewPage(browser, { viewport: { width: 1280, height: 900 } });
  await dashboard.goto(`${federation.hub.url}/indicateurs.html`);
  await WaitReady(dashboard);
  await dashboard.screenshot({ path: join(out, 'national-dashboard.png'), fullPage: true });
  if (page.errors.length || dashboard.errors.length) throw new Error([...page.errors, ...dashboard.errors].join('\n'));
  console.log(`captures écrites dans ${out}`);
} catch (e) {
  console.error(e);
  console.error(federation.Logs());
  process.exitCode = 1;
} finally {
  await browser?.close();
  await federation.Stop();
}
