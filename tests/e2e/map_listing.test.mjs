// The map's points and the listing pages in a browser (issue 14, point 4), on the regional and
// the national site, on a desktop and on a 390×844 phone: a point opens its preview card
// (name, family, commune, freshness, a link) without leaving the map, by click and by Enter;
// a record "à confirmer" has its own marker, explained by the map's legend; Leaflet's
// controls speak French; the listing has tel:/mailto: links and an OpenStreetMap route, the
// visitor's labels, its report form behind a button, and "Retour à la carte" finds the search
// as it was. Every page state checked with axe-core (pages.mjs). No network: no tiles.
//   node tests/e2e/map_listing.test.mjs BUILD_DIR
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Artefacts, LaunchBrowser, NewPage } from '../../web/tests/browser.mjs';
import { ApiClient, Federation, WaitFor, kRoot, kPhone } from './federation.mjs';
import { CheckPage, WaitReady } from './pages.mjs';
import { PrepareCommittee, SubmitAndAdmit } from './seed.mjs';

const build = process.argv[2] ?? process.env.ESS_BUILD_DIR ?? join(kRoot, 'build');
const artefacts = new Artefacts(join(build, 'e2e-artifacts'));
const kDesktop = {};

const kFresh = 'Épicerie solidaire du Panier';
const kStale = 'Ressourcerie du Port de Nice';
const kSearch = 'family=association';

// The stale record: imported as last confirmed 400 days ago, past the 365 days of validity
// and within the 60 days of grace (the node's defaults): on the map, "à confirmer". Without
// coordinates, it stands at its commune's point: an approximate position.
function StaleCsv() {
  const confirmed = new Date(Date.now() - 400 * 86400 * 1000).toISOString().slice(0, 10);
  return 'name;family;legal_form;activities;commune;email;confirmed_at\n'
    + `${kStale};association;association_loi_1901;reemploi;06088;port@ressourcerie.example;${confirmed}\n`;
}

// Clicks clusters (zooming in) until the point named `name` is drawn, zooming out when the map
// shows neither (a card's panning may have moved it out of view); returns its locator.
async function FindPoint(page, name) {
  const point = page.locator(`.leaflet-marker-icon.point-marker[title^="${name}"]`);
  for (let i = 0; i < 8; ++i) {
    const drawn = await WaitFor(`the point ${name}`, async () => (await point.count()) > 0, { timeoutMs: 3000 })
      .catch(() => false);
    if (drawn) return point;
    const cluster = page.locator('.leaflet-marker-icon.cluster').first();
    if (await cluster.count()) await cluster.click();
    else await page.locator('.leaflet-control-zoom-out').click();
  }
  const drawn = await page.locator('.leaflet-marker-icon').evaluateAll((els) => els.map((e) => `${e.className}: ${e.title}`));
  throw new Error(`the point ${name} is not on the map (${page.url()}; drawn: ${drawn.join(' | ')})`);
}

describe('the map\'s points and the listing pages', { concurrency: false }, () => {
  let federation;
  let browser;
  let node;
  let hub;
  const stopOnSignal = async () => { await browser?.close().catch(() => {}); await federation?.Stop(); process.exit(1); };

  before(async () => {
    process.once('SIGTERM', stopOnSignal);
    process.once('SIGINT', stopOnSignal);
    federation = new Federation({ build, regions: ['93'], nodeArgs: ['--security.login-rate-per-minute', '1000'] });
    await federation.StartPrepared(async () => {
      node = federation.nodes['93'];
      hub = federation.hub;
      const { admin, members } = await PrepareCommittee(node, federation.admin);
      await SubmitAndAdmit(node, members, [{
        name: kFresh, family: 'association', legal_form: 'association_loi_1901', activities: ['alimentation'],
        description: 'Produits frais et locaux à prix adaptés.', address: '12 rue du Panier', postcode: '13002',
        commune: '13055', latitude: 43.2965, longitude: 5.3698,
        email: 'contact@epicerie-panier.example', phone: '04 91 00 00 00',
        private: { contact_name: 'Alex Dupont', contact_email: 'alex.dupont@courriel.example' },
      }]);
      await admin.Call('POST', '/api/admin/import', { csv: StaleCsv(), separator: ';', status: 'admitted' });
      const national = new ApiClient(hub.url);
      await WaitFor('the hub holds both records',
        async () => (await national.Call('GET', '/api/indicators')).on_map === 2, { timeoutMs: 60000, intervalMs: 100 });
    });
    browser = await LaunchBrowser();
  });

  after(async () => {
    await browser?.close();
    await federation?.Finish();
  });

  for (const [device, options] of [['desktop', kDesktop], ['phone', kPhone]]) {
    for (const site of ['node', 'hub']) {
      it(`${site} on a ${device}: preview card, stale marker and legend, listing, back to the search`, async () => {
        const base = site === 'node' ? node.url : hub.url;
        const name = (step) => `map-listing-${site}-${device}-${step}`;
        const page = await NewPage(browser, options);
        await page.goto(`${base}/?${kSearch}`);
        await WaitReady(page);

        // Leaflet's controls in French, the legend on the map.
        assert.equal(await page.locator('.leaflet-control-zoom-in').getAttribute('title'), 'Zoom avant');
        assert.equal(await page.locator('.leaflet-control-zoom-out').getAttribute('title'), 'Zoom arrière');
        assert.equal(await page.locator('.leaflet-control-zoom-in').getAttribute('aria-label'), 'Zoom avant');
        assert.equal(await page.locator('.leaflet-control-attribution a').first().getAttribute('title'),
          'Une bibliothèque JavaScript de cartes interactives');
        const legend = page.getByRole('list', { name: 'Légende de la carte' });
        await legend.waitFor();
        assert.match(await legend.innerText(), /À confirmer/);
        assert.match(await legend.innerText(), /Position approximative/);
        assert.equal(await legend.locator('.legend-marker.stale').count(), 1);

        // The stale record has its own marker (a shape, not a colour), the fresh one not.
        const fresh = await FindPoint(page, kFresh);
        assert.equal(await fresh.getAttribute('class').then((c) => c.includes('stale')), false);
        const stale = await FindPoint(page, kStale);
        assert.ok((await stale.getAttribute('class')).includes('stale'));
        assert.ok((await stale.getAttribute('class')).includes('approximate'));
        assert.equal(await stale.getAttribute('title'), `${kStale} (à confirmer) (position approximative)`);
        const shape = (l) => l.evaluate((el) => getComputedStyle(el, '::before').transform);
        assert.notEqual(await shape(stale), await shape(fresh), 'the stale marker has another shape');

        // A click opens the preview card; the page stays the map.
        const mapUrl = page.url();
        await (await FindPoint(page, kFresh)).click();
        const card = page.locator('.leaflet-popup .point-card');
        await card.waitFor();
        assert.equal(page.url(), mapUrl);
        const text = await card.innerText();
        assert.match(text, new RegExp(kFresh));
        assert.match(text, /Association · Marseille/);
        assert.match(text, /À jour/);
        assert.equal(await page.locator('.leaflet-popup-close-button').getAttribute('aria-label'), 'Fermer l\'aperçu');
        // Checked once faded in (Leaflet fades popups in: half-transparent text fails contrast).
        await page.waitForFunction(() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1');
        await CheckPage(page, artefacts, site, name('card'));
        await page.locator('.leaflet-popup-close-button').click();
        await card.waitFor({ state: 'detached' });

        // Enter on a focused point opens its card and takes the focus into it.
        const target = await FindPoint(page, kStale);
        await target.focus();
        await target.press('Enter');
        await card.waitFor();
        assert.match(await card.innerText(), /À confirmer/);
        assert.match(await card.innerText(), /Ressourcerie du Port de Nice/);
        assert.match(await card.innerText(), /Position approximative \(centre de la commune\)/);
        assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Voir la fiche');
        assert.equal(page.url(), mapUrl);
        await page.keyboard.press('Escape');
        await card.waitFor({ state: 'detached' });
        assert.equal(await page.evaluate(() => document.activeElement?.title), `${kStale} (à confirmer) (position approximative)`,
          'the focus back on the point');

        // Its listing says the position is approximate (Enter on the card's link).
        await target.focus();
        await target.press('Enter');
        await card.waitFor();
        await page.keyboard.press('Enter');
        await page.waitForURL(/\/initiative\.html\?/);
        await WaitReady(page);
        assert.equal(await page.locator('h1').innerText(), kStale);
        assert.match(await page.locator('main').innerText(), /position approximative \(centre de la commune\)/);
        await page.goBack();
        await WaitReady(page);
        // Back in history the map may come back as it was left, the card still open: closed here.
        if (await card.count()) {
          await page.locator('.leaflet-popup-close-button').click();
          await card.waitFor({ state: 'detached' });
        }

        // The listing page, from the fresh point's card.
        await (await FindPoint(page, kFresh)).click();
        await page.waitForFunction(() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1');
        await card.getByRole('link', { name: `Voir la fiche de ${kFresh}` }).click();
        await page.waitForURL(/\/initiative\.html\?/);
        await WaitReady(page);
        assert.equal(await page.locator('h1').innerText(), kFresh);
        assert.equal(await page.locator('a[href^="tel:"]').getAttribute('href'), 'tel:0491000000');
        assert.equal(await page.locator('a[href^="mailto:"]').getAttribute('href'), 'mailto:contact@epicerie-panier.example');
        const route = page.getByRole('link', { name: `Itinéraire jusqu'à ${kFresh} sur OpenStreetMap` });
        assert.match(await route.getAttribute('href'), /^https:\/\/www\.openstreetmap\.org\/directions\?to=43\.29650,5\.36980/);
        assert.match(await route.getAttribute('rel'), /noopener/);
        assert.equal(await route.getAttribute('target'), null, 'opened as a plain link');
        const record = await page.locator('dl.record').first().innerText();
        // Submitted without saying: "non précisé", not "non" (the node publishes no employer).
        assert.match(record, /Emploie des salariés\s+non précisé/);
        assert.doesNotMatch(record, /Employeur/);
        if (site === 'node') {
          const form = page.locator('#report-form');
          assert.equal(await form.isVisible(), false, 'the report form is closed');
          const open = page.getByRole('button', { name: 'Signaler une erreur' });
          assert.equal(await open.getAttribute('aria-expanded'), 'false');
          await CheckPage(page, artefacts, site, name('listing'));
          await open.click();
          await form.waitFor({ state: 'visible' });
          assert.equal(await open.getAttribute('aria-expanded'), 'true');
          assert.equal(await page.evaluate(() => document.activeElement?.id), 'report-title');
          await CheckPage(page, artefacts, site, name('listing-report'));
        } else {
          await CheckPage(page, artefacts, site, name('listing'));
        }

        // "Retour à la carte": the search as it was.
        await page.locator('#back-to-map').click();
        await page.waitForURL((url) => url.pathname === '/' && url.search.includes(kSearch));
        await WaitReady(page);
        assert.equal(await page.locator('#family').inputValue(), 'association');
        await page.context().close();
      });
    }
  }

  it('a listing opened directly goes back to the last search of the tab', async () => {
    const page = await NewPage(browser);
    await page.goto(`${node.url}/?${kSearch}`);
    await WaitReady(page);
    const id = (await new ApiClient(node.url).Call('GET', '/api/initiatives?q=panier')).items[0].id;
    await page.goto(`${node.url}/initiative.html?id=${id}`);  // typed, not from the map
    await WaitReady(page);
    assert.equal(new URL(await page.locator('#back-to-map').evaluate((a) => a.href)).search, `?${kSearch}`);
    await page.locator('#back-to-map').click();
    await page.waitForURL((url) => url.search.includes(kSearch));
    await WaitReady(page);
    assert.equal(await page.locator('#family').inputValue(), 'association');
    await page.context().close();
  });
});
