// Search by place on both sites (issue 14, point 2, and the widening of point 3), in headless
// Chromium on a desktop and on a 390×844 phone, against a real federation (a hub and the
// PACA node): the place box by postcode ("13001" and Enter) and by a commune picked from the
// suggestions ("Marseille"), results sorted by distance with the distance shown; "autour de
// moi" with the geolocation granted and denied; a department picked (the map zooms to it and
// draws its outline); "Effacer les filtres" (the map returns, the place goes); the notice of
// results hidden by the visible-area filter; a synonym typed in the keyword box; a search
// that finds nothing and offers to widen it; the place names of the plain background. Every
// state is checked with axe-core (no serious or critical violation). No network: no tiles.
//   node tests/e2e/place_search.test.mjs BUILD_DIR
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Artefacts, LaunchBrowser, NewPage } from '../../web/tests/browser.mjs';
import { ApiClient, Federation, WaitFor, kRoot, kPhone } from './federation.mjs';
import { CheckPage, WaitReady } from './pages.mjs';
import { PrepareCommittee, SubmitAndAdmit } from './seed.mjs';

const build = process.argv[2] ?? process.env.ESS_BUILD_DIR ?? join(kRoot, 'build');
const artefacts = new Artefacts(join(build, 'e2e-artifacts'));
const kDesktop = { viewport: { width: 1280, height: 900 } };
const kHubUrl = 'https://carte-nationale.example';

function Initiative({ name, commune, department, postcode, latitude, longitude, family = 'association',
  legal_form = 'association_loi_1901', activities = ['alimentation'], description }) {
  return {
    name, family, legal_form, activities, commune, department, region: '93', postcode, latitude, longitude,
    description: description ?? `${name} : une initiative de l'économie sociale et solidaire du territoire.`,
    address: '1 place de la Mairie', email: 'contact@initiative.example',
  };
}

// Nearest to Marseille's reference point first (43.2496, 5.3805).
const kInitiatives = [
  Initiative({ name: 'Épicerie solidaire du Panier', commune: '13055', department: '13', postcode: '13001', latitude: 43.2990, longitude: 5.3700 }),
  Initiative({ name: 'Ressourcerie de la Belle de Mai', commune: '13055', department: '13', postcode: '13003', latitude: 43.3120, longitude: 5.3850,
    activities: ['reemploi'], description: 'Collecte, répare et revend à petit prix meubles, vêtements et appareils.' }),
  Initiative({ name: 'AMAP du Pays d\'Aix', commune: '13001', department: '13', postcode: '13100', latitude: 43.5280, longitude: 5.4470, activities: ['agriculture'] }),
  Initiative({ name: 'Coopérative solaire du Var', commune: '83137', department: '83', postcode: '83000', latitude: 43.1240, longitude: 5.9280,
    family: 'cooperative', legal_form: 'scic', activities: ['energie'] }),
  Initiative({ name: 'Tiers-lieu de Manosque', commune: '04112', department: '04', postcode: '04100', latitude: 43.8290, longitude: 5.7870, activities: ['lieux_partages'] }),
  Initiative({ name: 'Atelier paysan de Montfuron', commune: '04128', department: '04', postcode: '04110', latitude: 43.8367, longitude: 5.6908, activities: ['agriculture'] }),
];

// The result list as shown: [{name, km}] (km: the distance shown, or null).
async function Results(page) {
  return page.locator('#results li:not(.empty)').evaluateAll((items) => items.map((li) => {
    const distance = li.querySelector('.distance')?.textContent ?? null;
    let km = null;
    if (distance) {
      const m = /([\d\s ,]+)\s*(k?m)/.exec(distance);
      km = Number(m[1].replace(/[\s  ]/g, '').replace(',', '.')) / (m[2] === 'm' ? 1000 : 1);
    }
    return { name: li.querySelector('a').textContent, km, distance };
  }));
}

async function ResultsWhen(page, what, test) {
  let last = null;
  try {
    return await WaitFor(what, async () => {
      const summary = await page.locator('#summary').innerText();
      if (summary.startsWith('Chargement')) return null;
      const results = await Results(page);
      last = { summary, results };
      return test(results, summary) ? results : null;
    }, { timeoutMs: 15000 });
  } catch (e) {
    e.message += `; the page showed ${JSON.stringify(last)}`;
    throw e;
  }
}

// The map's zoom, as the search writes it on the map element.
const Zoom = async (page) => Number(await page.locator('#map').getAttribute('data-zoom'));

function Sorted(results) {
  return results.every((r, i) => r.km !== null && (i === 0 || results[i - 1].km <= r.km + 1e-9));
}

describe('search by place', { concurrency: false }, () => {
  let federation;
  let browser;
  let node;
  let hub;
  const stopOnSignal = async () => { await browser?.close().catch(() => {}); await federation?.Stop(); process.exit(1); };

  before(async () => {
    process.once('SIGTERM', stopOnSignal);
    process.once('SIGINT', stopOnSignal);
    federation = new Federation({
      build, regions: ['93'],
      nodeArgs: ['--hub-public-url', kHubUrl, '--participation.rate-per-minute', '1000', '--participation.rate-burst', '1000',
        '--security.login-rate-per-minute', '1000'],
    });
    await federation.StartPrepared(async () => {
      node = federation.nodes['93'];
      hub = federation.hub;
      const { members } = await PrepareCommittee(node, federation.admin);
      await SubmitAndAdmit(node, members, kInitiatives);
      const api = new ApiClient(hub.url);
      await WaitFor('the hub holds every initiative',
        async () => (await api.Call('GET', '/api/initiatives?per_page=1')).total === kInitiatives.length, { timeoutMs: 60000 });
    });
    browser = await LaunchBrowser();
  });

  after(async () => {
    await browser?.close();
    await federation?.Finish();
  });

  for (const [device, options] of [['desktop', kDesktop], ['phone', kPhone]]) {
    it(`${device}: a postcode and Enter, then a commune picked from the suggestions, sort by distance`, async () => {
      const page = await NewPage(browser, options);
      await page.goto(`${node.url}/`);
      await WaitReady(page);
      await ResultsWhen(page, 'every initiative listed', (r) => r.length === kInitiatives.length);
      const startZoom = await Zoom(page);
      // The plain background names its towns, out of the keyboard's and screen readers' way.
      await page.locator('.place-name', { hasText: 'Marseille' }).first().waitFor();
      assert.equal(await page.locator('.leaflet-placeNames-pane').getAttribute('aria-hidden'), 'true');
      assert.equal(await page.locator('.place-name[tabindex]').count(), 0);
      assert.equal(await page.getByLabel('Seulement la zone visible de la carte').isChecked(), false);

      const box = page.getByRole('combobox', { name: 'Commune, code postal ou département' });
      await box.fill('13001');
      await box.press('Enter');
      // Within the default 20 km of Marseille: its two initiatives, nearest first.
      let results = await ResultsWhen(page, 'sorted from 13001', (r) => r.length === 2 && Sorted(r));
      assert.equal(results[0].name, 'Épicerie solidaire du Panier');
      assert.match(results[0].distance, /^à \d+(,\d)? k?m$/);
      assert.equal(await page.getByLabel('Dans un rayon de').inputValue(), '20');
      assert.match(await box.inputValue(), /^Marseille \(13\)/);
      assert.match(page.url(), /[?&]near=43\.\d+%2C5\.\d+&place=Marseille[^&]*&radius_km=20/);
      assert.ok(await Zoom(page) > startZoom, 'the map went to the place');
      await CheckPage(page, artefacts, 'node', `place-postcode-${device}`);

      // Bookmarkable: the same URL gives the same search.
      const bookmarked = page.url();
      const again = await NewPage(browser, options);
      await again.goto(bookmarked);
      await WaitReady(again);
      results = await ResultsWhen(again, 'the bookmarked search', (r) => r.length === 2 && Sorted(r));
      assert.equal(results[0].name, 'Épicerie solidaire du Panier');
      assert.match(await again.getByRole('combobox', { name: 'Commune, code postal ou département' }).inputValue(), /^Marseille/);
      await again.context().close();

      await page.getByRole('button', { name: 'Effacer les filtres' }).click();
      await ResultsWhen(page, 'the reset search', (r) => r.length === kInitiatives.length && r.every((x) => x.km === null));
      assert.equal(await box.inputValue(), '');
      assert.equal(new URL(page.url()).search, '');
      assert.equal(await page.getByLabel('Dans un rayon de').isVisible(), false);
      await WaitFor('the map back on the region', async () => Math.abs(await Zoom(page) - startZoom) < 0.01);

      await box.fill('Marse');
      const option = page.locator('#place-options').getByRole('option', { name: /^Marseille \(13\)/ });
      await option.waitFor();
      assert.equal(await box.getAttribute('aria-expanded'), 'true');
      await CheckPage(page, artefacts, 'node', `place-suggestions-${device}`);
      await option.click();
      results = await ResultsWhen(page, 'sorted from Marseille', (r) => r.length === 2 && Sorted(r));
      await page.getByLabel('Dans un rayon de').selectOption('100');
      results = await ResultsWhen(page, 'within 100 km of Marseille', (r) => r.length === kInitiatives.length && Sorted(r));
      assert.deepEqual(results.slice(0, 2).map((r) => r.name), ['Épicerie solidaire du Panier', 'Ressourcerie de la Belle de Mai']);
      assert.equal(results.at(-1).name, 'Tiers-lieu de Manosque');
      assert.match(await page.locator('#place-message').innerText(), /de la plus proche à la plus lointaine de Marseille/);
      await page.context().close();
    });

    it(`${device}: "autour de moi", granted then denied`, async () => {
      const granted = await NewPage(browser, {
        ...options, geolocation: { latitude: 43.84, longitude: 5.70 }, permissions: ['geolocation'],
      });
      await granted.goto(`${node.url}/`);
      await WaitReady(granted);
      await granted.getByRole('button', { name: 'Autour de moi' }).click();
      const results = await ResultsWhen(granted, 'sorted from my position', (r) => r.length === 2 && Sorted(r));
      assert.deepEqual(results.map((r) => r.name), ['Atelier paysan de Montfuron', 'Tiers-lieu de Manosque']);
      assert.ok(results[0].km < 2, `${results[0].distance} from Montfuron`);
      assert.equal(await granted.getByRole('combobox', { name: 'Commune, code postal ou département' }).inputValue(), 'Ma position');
      assert.match(await granted.locator('#place-message').innerText(), /de votre position/);
      await CheckPage(granted, artefacts, 'node', `place-near-me-${device}`);
      await granted.context().close();

      const denied = await NewPage(browser, options);
      await denied.context().clearPermissions();
      await denied.goto(`${node.url}/`);
      await WaitReady(denied);
      await ResultsWhen(denied, 'every initiative listed', (r) => r.length === kInitiatives.length);
      await denied.getByRole('button', { name: 'Autour de moi' }).click();
      await denied.locator('#place-message.error').waitFor();
      assert.match(await denied.locator('#place-message').innerText(), /localisation n'a pas été autorisée : saisissez plutôt une commune ou un code postal/);
      // Nothing else broke: the list is whole and the keyword search answers.
      assert.equal((await Results(denied)).length, kInitiatives.length);
      await denied.getByLabel('Mots-clés').fill('Manosque');
      await ResultsWhen(denied, 'the keyword search', (r) => r.length >= 1 && r[0].name === 'Tiers-lieu de Manosque');
      await CheckPage(denied, artefacts, 'node', `place-near-me-denied-${device}`);
      await denied.context().close();
    });

    it(`${device}: a department zooms in and draws its outline; the visible-area notice`, async () => {
      const page = await NewPage(browser, options);
      await page.goto(`${node.url}/`);
      await WaitReady(page);
      await ResultsWhen(page, 'every initiative listed', (r) => r.length === kInitiatives.length);
      const startZoom = await Zoom(page);
      const box = page.getByRole('combobox', { name: 'Commune, code postal ou département' });
      await box.fill('Var');
      await page.locator('#place-options').getByRole('option', { name: /^Var \(83\)/ }).click();
      let results = await ResultsWhen(page, 'the Var', (r) => r.length === 1);
      assert.equal(results[0].name, 'Coopérative solaire du Var');
      assert.equal(await page.getByLabel('Département', { exact: true }).inputValue(), '83');
      await page.locator('path.department-outline').waitFor();
      assert.ok(await Zoom(page) > startZoom, 'zoomed to the department');
      assert.match(page.url(), /department=83/);
      await CheckPage(page, artefacts, 'node', `place-department-${device}`);
      // Choosing another department in the list moves the outline there too.
      await page.getByLabel('Département', { exact: true }).selectOption('04');
      await ResultsWhen(page, 'the Alpes-de-Haute-Provence', (r) => r.length === 2);
      assert.equal(await page.locator('path.department-outline').count(), 1);

      await page.getByRole('button', { name: 'Effacer les filtres' }).click();
      await ResultsWhen(page, 'the reset search', (r) => r.length === kInitiatives.length);
      assert.equal(await page.locator('path.department-outline').count(), 0);
      assert.equal(await page.getByLabel('Département', { exact: true }).inputValue(), '');
      await WaitFor('the map back on the region', async () => Math.abs(await Zoom(page) - startZoom) < 0.01);

      // Toulon in view, then the visible-area filter: it says what it hides.
      // Typed, not picked, and "Rechercher": the best match.
      await box.fill('Toulon');
      await page.getByRole('button', { name: 'Rechercher', exact: true }).click();
      await ResultsWhen(page, 'near Toulon', (r) => r.length === 1);
      assert.equal(await box.inputValue(), 'Toulon (83)');
      await page.getByLabel('Dans un rayon de').selectOption('100');
      await ResultsWhen(page, 'sorted from Toulon', (r) => r.length === kInitiatives.length && r[0].name === 'Coopérative solaire du Var');
      // Closer in: Marseille, Aix and Haute-Provence leave the view.
      for (let i = 0; i < 3; ++i) {
        const zoom = await Zoom(page);
        await page.locator('.leaflet-control-zoom-in').click();
        await WaitFor('zoomed in', async () => await Zoom(page) > zoom);
      }
      await page.getByLabel('Seulement la zone visible de la carte').check();
      results = await ResultsWhen(page, 'the visible area', (r) => r.length >= 1 && r.length < kInitiatives.length);
      assert.equal(results[0].name, 'Coopérative solaire du Var');
      const notice = page.locator('.in-view-notice');
      assert.match(await notice.innerText(), new RegExp(`^${kInitiatives.length - results.length} résultat\\(s\\) hors de la zone visible de la carte`));
      await CheckPage(page, artefacts, 'node', `place-in-view-${device}`);
      await notice.getByRole('button', { name: 'Afficher tout' }).click();
      await ResultsWhen(page, 'all again', (r) => r.length === kInitiatives.length);
      assert.equal(await page.getByLabel('Seulement la zone visible de la carte').isChecked(), false);
      assert.equal(await page.locator('.in-view-notice').count(), 0);
      await page.context().close();
    });

    it(`${device}: a search that finds nothing offers to widen it`, async () => {
      const page = await NewPage(browser, options);
      await page.goto(`${node.url}/?q=ressourcerie&department=83`);
      await WaitReady(page);
      await ResultsWhen(page, 'no result', (r, summary) => r.length === 0 && /^0 initiative/.test(summary));
      const widen = page.locator('.widen');
      assert.match(await widen.innerText(), /Aucune initiative ne correspond à ces critères : Mots-clés : ressourcerie, Département : Var \(83\)/);
      const france = widen.getByRole('link', { name: /Chercher dans toute la France/ });
      assert.equal(await france.getAttribute('href'), `${kHubUrl}/?q=ressourcerie`);
      await CheckPage(page, artefacts, 'node', `place-widen-${device}`);
      await widen.getByRole('button', { name: 'Sans « Département : Var (83) »' }).click();
      let results = await ResultsWhen(page, 'without the department', (r) => r.length === 1);
      assert.equal(results[0].name, 'Ressourcerie de la Belle de Mai');

      await page.getByLabel('Mots-clés').fill('astronomie');
      await ResultsWhen(page, 'no result again', (r) => r.length === 0);
      await page.locator('.widen').getByRole('button', { name: 'Sans « Mots-clés : astronomie »' }).click();
      results = await ResultsWhen(page, 'without the keywords', (r) => r.length === kInitiatives.length);
      assert.equal(await page.getByLabel('Mots-clés').inputValue(), '');

      // "toute la région" drops the department and the place, keeps the keywords.
      await page.goto(`${node.url}/?q=amap&department=04`);
      await WaitReady(page);
      await ResultsWhen(page, 'no result', (r) => r.length === 0);
      await page.locator('.widen').getByRole('button', { name: 'Chercher dans toute la région' }).click();
      // ("panier" is a synonym of AMAP: the épicerie du Panier comes too.)
      results = await ResultsWhen(page, 'the whole region', (r) => r.some((x) => x.name === 'AMAP du Pays d\'Aix'));
      assert.equal(await page.getByLabel('Département', { exact: true }).inputValue(), '');
      assert.equal(await page.getByLabel('Mots-clés').inputValue(), 'amap');

      // Nothing within 5 km of a place: a wider radius, or no place.
      await page.goto(`${node.url}/?q=solaire&near=43.8367,5.6908&place=${encodeURIComponent('Montfuron (04)')}&radius_km=5`);
      await WaitReady(page);
      await ResultsWhen(page, 'nothing near Montfuron', (r) => r.length === 0);
      assert.match(await page.locator('.widen').innerText(), /Mots-clés : solaire, à moins de 5 km de Montfuron \(04\)/);
      await page.locator('.widen').getByRole('button', { name: 'Jusqu\'à 10 km' }).click();
      await ResultsWhen(page, 'nothing within 10 km either', (r) => r.length === 0);
      assert.equal(await page.getByLabel('Dans un rayon de').inputValue(), '10');
      await page.locator('.widen').getByRole('button', { name: 'Sans le lieu « Montfuron (04) »' }).click();
      results = await ResultsWhen(page, 'without the place', (r) => r.length === 1);
      assert.equal(results[0].name, 'Coopérative solaire du Var');
      await page.context().close();
    });

    it(`${device}: a synonym from the keyword box ("recyclerie" finds a ressourcerie)`, async () => {
      const page = await NewPage(browser, options);
      await page.goto(`${node.url}/`);
      await WaitReady(page);
      await page.getByLabel('Mots-clés').fill('recyclerie');
      const results = await ResultsWhen(page, 'the synonym', (r, summary) => !/^6 /.test(summary) && r.length >= 1);
      assert.deepEqual(results.map((r) => r.name), ['Ressourcerie de la Belle de Mai']);
      await page.context().close();
    });

    it(`${device}: the national site, by postcode, by a commune and by a department`, async () => {
      const page = await NewPage(browser, options);
      await page.goto(`${hub.url}/`);
      await WaitReady(page);
      await ResultsWhen(page, 'every initiative listed', (r) => r.length === kInitiatives.length);
      const startZoom = await Zoom(page);
      await page.locator('.place-name', { hasText: 'Marseille' }).first().waitFor();
      const box = page.getByRole('combobox', { name: 'Commune, code postal ou département' });
      await box.fill('13001');
      await box.press('Enter');
      let results = await ResultsWhen(page, 'sorted from 13001', (r) => r.length === 2 && Sorted(r));
      assert.equal(results[0].name, 'Épicerie solidaire du Panier');
      await CheckPage(page, artefacts, 'hub', `place-hub-postcode-${device}`);

      await box.fill('Manosq');
      await page.locator('#place-options').getByRole('option', { name: /^Manosque \(04\)/ }).click();
      results = await ResultsWhen(page, 'sorted from Manosque', (r) => Sorted(r) && r[0]?.name === 'Tiers-lieu de Manosque');
      assert.equal(results[1].name, 'Atelier paysan de Montfuron');

      await box.fill('Bouches-du-R');
      await page.locator('#place-options').getByRole('option', { name: /^Bouches-du-Rhône \(13\)/ }).click();
      results = await ResultsWhen(page, 'the Bouches-du-Rhône', (r) => r.length === 3 && r.every((x) => x.km === null));
      await page.locator('path.department-outline').waitFor();
      assert.equal(await page.getByLabel('Département', { exact: true }).inputValue(), '13');
      assert.equal(await page.getByLabel('Région', { exact: true }).inputValue(), '93');
      assert.ok(await Zoom(page) > startZoom, 'zoomed to the department');
      await CheckPage(page, artefacts, 'hub', `place-hub-department-${device}`);

      await page.getByLabel('Mots-clés').fill('astronomie');
      await ResultsWhen(page, 'no result', (r) => r.length === 0);
      await page.locator('.widen').getByRole('button', { name: 'Chercher dans toute la France' }).waitFor();
      assert.equal(await page.locator('.widen a').count(), 0);
      await CheckPage(page, artefacts, 'hub', `place-hub-widen-${device}`);
      await page.locator('.widen').getByRole('button', { name: 'Chercher dans toute la France' }).click();
      await WaitFor('no territory left', async () => await page.getByLabel('Région', { exact: true }).inputValue() === ''
        && await page.getByLabel('Département', { exact: true }).inputValue() === '');
      assert.equal(await page.locator('path.department-outline').count(), 0);
      assert.ok(await page.locator('#department option').count() > 90, 'every department offered again');
      assert.equal(await page.getByLabel('Mots-clés').inputValue(), 'astronomie');

      await page.getByRole('button', { name: 'Effacer les filtres' }).click();
      await ResultsWhen(page, 'the reset search', (r) => r.length === kInitiatives.length);
      assert.equal(await page.locator('path.department-outline').count(), 0);
      await WaitFor('the map back on France', async () => Math.abs(await Zoom(page) - startZoom) < 0.01);
      assert.ok(await page.locator('#department option').count() > 90, 'every department offered after the reset');
      await page.context().close();
    });
  }
});
