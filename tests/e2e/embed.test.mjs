// The embeddable map (issue 18, point 3) on the regional and the national site: a page of
// another origin (a second loopback port, served here) frames /embed with filters in its
// address; the frame loads (its policy lets any site frame it), the list holds only what the
// filters match, a result opens the record's page in a new tab, not in the frame; the home
// page framed the same way is refused (frame-ancestors 'none'); the headers of /embed and /;
// the generator page's filters and size give the <iframe> code, which works pasted as is into
// the other origin's page. /embed and the generator pass axe-core (pages.mjs).
//   node tests/e2e/embed.test.mjs BUILD_DIR
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { Artefacts, LaunchBrowser, NewPage } from '../../web/tests/browser.mjs';
import { ApiClient, Federation, WaitFor, kRoot } from './federation.mjs';
import { CheckPage, WaitReady } from './pages.mjs';
import { PrepareCommittee, SubmitAndAdmit } from './seed.mjs';

const build = process.argv[2] ?? process.env.ESS_BUILD_DIR ?? join(kRoot, 'build');
const artefacts = new Artefacts(join(build, 'e2e-artifacts'));

const kAssociation = 'Épicerie solidaire du Panier';
const kCooperative = 'Coopérative des Paniers du Var';

// Another origin: /frame?src= frames that address; /paste serves the code last pasted.
class OtherSite {
  constructor() {
    this.pasted = '';
    this.server = createServer((req, res) => {
      const url = new URL(req.url, 'http://localhost');
      if (url.pathname !== '/paste' && !url.searchParams.get('src')) {
        res.writeHead(404);
        res.end();
        return;
      }
      const body = url.pathname === '/paste'
        ? this.pasted
        : `<iframe src="${url.searchParams.get('src').replace(/"/g, '&quot;')}" width="900" height="600" title="Carte"></iframe>`;
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Un autre site</title></head><body><h1>Un autre site</h1>${body}</body></html>`);
    });
  }
  async Start() {
    await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${this.server.address().port}`;
    return this;
  }
  Stop() {
    return new Promise((resolve) => this.server.close(resolve));
  }
}

// The frame of `page` showing `path` of the site, once it says it rendered its data.
async function ReadyFrame(page, path) {
  const frame = await WaitFor(`a frame of ${path}`, () => page.frames().find((f) => new URL(f.url()).pathname === path),
    { timeoutMs: 20000 });
  await frame.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
  return frame;
}

// The names the frame's list shows, once its count says `count`.
async function ListedNames(frame, count) {
  await WaitFor(`the frame's count says ${count}`, async () => (await frame.locator('#summary').innerText()) === count,
    { timeoutMs: 15000 });
  return frame.locator('#results li a').evaluateAll((links) => links.map((a) => a.firstChild.textContent));
}

describe('the embeddable map', { concurrency: false }, () => {
  let federation;
  let browser;
  let node;
  let hub;
  let other;
  const stopOnSignal = async () => { await browser?.close().catch(() => {}); await federation?.Stop(); process.exit(1); };

  before(async () => {
    process.once('SIGTERM', stopOnSignal);
    process.once('SIGINT', stopOnSignal);
    federation = new Federation({ build, regions: ['93'], nodeArgs: ['--security.login-rate-per-minute', '1000'] });
    await federation.StartPrepared(async () => {
      node = federation.nodes['93'];
      hub = federation.hub;
      const { members } = await PrepareCommittee(node, federation.admin);
      await SubmitAndAdmit(node, members, [{
        name: kAssociation, family: 'association', legal_form: 'association_loi_1901', activities: ['alimentation'],
        description: 'Produits frais et locaux à prix adaptés.', address: '12 rue du Panier', postcode: '13002',
        commune: '13055', latitude: 43.2965, longitude: 5.3698, email: 'contact@epicerie-panier.example',
        private: { contact_name: 'Alex Dupont', contact_email: 'alex.dupont@courriel.example' },
      }, {
        name: kCooperative, family: 'cooperative', legal_form: 'scic', activities: ['alimentation'],
        description: 'Paniers de légumes des fermes voisines.', address: '3 place de la Liberté', postcode: '83000',
        commune: '83137', latitude: 43.1242, longitude: 5.928, email: 'bonjour@paniers-var.example',
        private: { contact_name: 'Camille Martin', contact_email: 'camille.martin@courriel.example' },
      }]);
      const national = new ApiClient(hub.url);
      await WaitFor('the hub holds both records',
        async () => (await national.Call('GET', '/api/indicators')).on_map === 2, { timeoutMs: 60000, intervalMs: 100 });
    });
    other = await new OtherSite().Start();
    browser = await LaunchBrowser();
  });

  after(async () => {
    await browser?.close();
    await other?.Stop();
    await federation?.Finish();
  });

  it('/embed alone may be framed: its headers against the home page\'s', async () => {
    for (const base of [node.url, hub.url]) {
      const embed = await fetch(`${base}/embed?family=association`);
      assert.equal(embed.status, 200);
      assert.match(embed.headers.get('content-security-policy'), /; frame-ancestors \*$/);
      assert.match(embed.headers.get('content-security-policy'), /script-src 'self';/);
      assert.equal(embed.headers.get('x-frame-options'), null);
      for (const path of ['/', '/integrer.html', '/api/initiatives']) {
        const res = await fetch(`${base}${path}`);
        assert.match(res.headers.get('content-security-policy'), /frame-ancestors 'none'$/, path);
        assert.equal(res.headers.get('x-frame-options'), 'DENY', path);
      }
    }
  });

  for (const site of ['node', 'hub']) {
    it(`${site}: framed from another origin, filtered from the URL, a result opens in a new tab`, async () => {
      const base = site === 'node' ? node.url : hub.url;
      const [family, shown, hidden] = site === 'node'
        ? ['association', kAssociation, kCooperative] : ['cooperative', kCooperative, kAssociation];
      const search = site === 'node' ? `family=${family}&department=` : `region=93&family=${family}`;
      const page = await NewPage(browser);
      await page.goto(`${other.url}/frame?src=${encodeURIComponent(`${base}/embed?${search}`)}`);
      const frame = await ReadyFrame(page, '/embed');
      assert.deepEqual(await ListedNames(frame, '1 initiative(s)'), [shown]);
      assert.equal(await frame.locator('#results').getByText(hidden).count(), 0);
      assert.match(await frame.locator('#embed-filters').innerText(), /^Recherche : .*Famille de l'ESS : /);
      // No header nor navigation in the frame; the map drawn, its point the filtered record.
      assert.equal(await frame.locator('header, nav').count(), 0);
      await frame.locator('.leaflet-marker-icon').first().waitFor();
      const link = frame.locator('#results li a').first();
      assert.equal(await link.getAttribute('target'), '_blank');
      assert.equal(await link.getAttribute('rel'), 'noopener');
      assert.match(await link.innerText(), /nouvel onglet/);
      const [record] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
      await WaitReady(record);
      assert.equal(new URL(record.url()).origin, base);
      assert.equal(new URL(record.url()).pathname, '/initiative.html');
      assert.equal(await record.locator('h1').innerText(), shown);
      assert.equal(await record.evaluate(() => window.opener), null);
      // The other site's page and its frame stayed where they were.
      assert.equal(new URL(page.url()).origin, other.url);
      assert.equal(new URL(frame.url()).pathname, '/embed');
      await artefacts.Screenshot(page, `embed-${site}-framed`);
      assert.deepEqual(page.errors, [], 'no error in the page or its frame');

      // The home page, framed the same way, is refused by the browser.
      const refused = await NewPage(browser);
      await refused.goto(`${other.url}/frame?src=${encodeURIComponent(`${base}/?${search}`)}`);
      await WaitFor('the home page refused in a frame',
        () => refused.errors.some((e) => e.includes('frame-ancestors \'none\'')), { timeoutMs: 15000 });
      const child = refused.frames().find((f) => f !== refused.mainFrame());
      assert.equal(await child.locator('body[data-ready]').count(), 0);
      await refused.context().close();

      // The embed page itself, opened directly, passes axe-core.
      await page.goto(`${base}/embed?${search}`);
      await WaitReady(page);
      await CheckPage(page, artefacts, site, `embed-${site}`);
      await page.context().close();
    });

    it(`${site}: the generator's code, pasted into another site, shows the chosen search`, async () => {
      const base = site === 'node' ? node.url : hub.url;
      const page = await NewPage(browser);
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
      await page.goto(`${base}/integrer.html`);
      await WaitReady(page);
      await CheckPage(page, artefacts, site, `embed-generator-${site}`);
      // Reached from the footer of the home page.
      const home = await NewPage(browser);
      await home.goto(`${base}/`);
      await WaitReady(home);
      assert.equal(await home.locator('#site-footer a[href="/integrer.html"]').innerText(), 'Intégrer la carte sur votre site');
      await home.context().close();

      if (site === 'hub') await page.getByLabel('Région', { exact: true }).selectOption('93');
      await page.getByLabel('Famille de l\'ESS').selectOption('cooperative');
      await page.getByLabel('Largeur (pixels)').fill('700');
      await page.getByLabel('Hauteur (pixels)').fill('500');
      await page.getByLabel('Hauteur (pixels)').blur();
      const code = page.getByRole('textbox', { name: 'Code à coller dans votre page' });
      await WaitFor('the code follows the choices', async () => {
        const text = await code.inputValue();
        return text.includes('family=cooperative') && text.includes('width="700"') && text.includes('height="500"');
      });
      const text = await code.inputValue();
      assert.match(text, new RegExp(`^<iframe src="${base}/embed\\?[^"]*family=cooperative[^"]*" width="700" height="500" title="[^"]+" loading="lazy"></iframe>$`));
      // The live preview shows the same search.
      const preview = await ReadyFrame(page, '/embed');
      assert.deepEqual(await ListedNames(preview, '1 initiative(s)'), [kCooperative]);
      await page.getByRole('button', { name: 'Copier le code' }).click();
      await WaitFor('the copy is confirmed', async () => /Code copié|copiez-le/.test(await page.locator('#generator-status').innerText()));
      if ((await page.locator('#generator-status').innerText()).startsWith('Code copié')) {
        assert.equal(await page.evaluate(() => navigator.clipboard.readText()), text);
      }
      await CheckPage(page, artefacts, site, `embed-generator-${site}-chosen`);
      await page.context().close();

      other.pasted = text;
      const pasted = await NewPage(browser);
      await pasted.goto(`${other.url}/paste`);
      const frame = await ReadyFrame(pasted, '/embed');
      assert.deepEqual(await ListedNames(frame, '1 initiative(s)'), [kCooperative]);
      const iframe = pasted.locator('iframe');
      assert.equal(await iframe.getAttribute('width'), '700');
      assert.equal(await iframe.getAttribute('height'), '500');
      assert.ok((await iframe.getAttribute('title')).length > 0);
      await artefacts.Screenshot(pasted, `embed-${site}-pasted`);
      assert.deepEqual(pasted.errors, []);
      await pasted.context().close();
    });
  }
});
