// The registration form in a browser (issue 14, point 5 and point 1's pin), on a desktop and
// on a 390×844 phone: an empty form shows every error at once (a summary of links at the
// top, each message beside its field, the first field focused), and so do the node's own
// "errors"; a village registers without typing coordinates (the record at its commune's
// point); a pin placed by a click, dragged, then moved with the keyboard gives the record its
// coordinates, and its owner's page moves it the same way; the postcode follows the commune picked; the legal forms come in a sensible
// order; a SIRET or a name already listed in the region or at the hub brings the soft
// warning "C'est bien une autre structure ?". Every state checked with axe-core (pages.mjs).
// No network: the pin's map draws outlines without tiles.
//   node tests/e2e/registration.test.mjs BUILD_DIR
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Artefacts, LaunchBrowser, NewPage } from '../../web/tests/browser.mjs';
import { ApiClient, Federation, WaitFor, kRoot, Siret, kDevices } from './federation.mjs';
import { CheckPage, Visit } from './pages.mjs';
import { PrepareCommittee, SubmitAndAdmit } from './seed.mjs';

const build = process.argv[2] ?? process.env.ESS_BUILD_DIR ?? join(kRoot, 'build');
const artefacts = new Artefacts(join(build, 'e2e-artifacts'));


const kOtherRegionSiret = Siret('8877665544332');  // listed in Occitanie, so at the hub only
const kRegionSiret = Siret('5544332211009');       // listed in this region
const kRegionName = 'Repair Café du Vieux-Port';
const kOtherName = 'Ressourcerie toulousaine';

async function PickCommune(page, typed, label) {
  const box = page.getByRole('combobox', { name: 'Commune (obligatoire)' });
  await box.fill(typed);
  const option = page.getByRole('option', { name: new RegExp(`^${label.replace(/[()]/g, '\\$&')}`) });
  await option.waitFor();
  await option.click();
  assert.equal(await box.inputValue(), label);
}

// Everything the node asks for but the position.
async function FillRequired(page, name) {
  await page.getByLabel('Nom (obligatoire)').first().fill(name);
  await page.getByLabel('Famille de l\'ESS').selectOption('association');
  await page.getByLabel('Forme juridique').selectOption('association_loi_1901');
  await page.getByLabel('Alimentation et circuits courts').check();
  await page.getByLabel(/J'ai lu la charte/).check();
  await page.getByLabel('Nom de la personne qui engage l\'initiative').fill('Alex Dupont');
}

async function Submit(page) {
  await page.getByRole('button', { name: 'Envoyer l\'inscription' }).click();
  await page.locator('#edit-link').waitFor();
  return /modifier\/([0-9a-f-]{36})/.exec(await page.locator('#edit-link').innerText())[1];
}

const Field = (page, field) => page.locator(`[data-field="${field}"]`);
const Focused = (page) => page.evaluate(() => document.activeElement?.dataset?.field ?? document.activeElement?.id);

describe('the registration form', { concurrency: false }, () => {
  let federation;
  let browser;
  let node;
  let staff;  // the admin, reading the records registered (pending: not public)
  const stopOnSignal = async () => { await browser?.close().catch(() => {}); await federation?.Stop(); process.exit(1); };

  before(async () => {
    process.once('SIGTERM', stopOnSignal);
    process.once('SIGINT', stopOnSignal);
    federation = new Federation({ build, regions: ['93', '76'], nodeArgs: ['--security.login-rate-per-minute', '1000'] });
    await federation.StartPrepared(async () => {
      node = federation.nodes['93'];
      const paca = await PrepareCommittee(node, federation.admin);
      staff = paca.admin;
      await SubmitAndAdmit(node, paca.members, [{
        name: kRegionName, family: 'association', legal_form: 'association_loi_1901', activities: ['reemploi'],
        commune: '13055', siret: kRegionSiret, private: { contact_name: 'Sam Roux' },
      }]);
      const occitanie = await PrepareCommittee(federation.nodes['76'], federation.admin);
      await SubmitAndAdmit(federation.nodes['76'], occitanie.members, [{
        name: kOtherName, family: 'association', legal_form: 'association_loi_1901', activities: ['reemploi'],
        commune: '31555', siret: kOtherRegionSiret, private: { contact_name: 'Lou Martin' },
      }]);
      const national = new ApiClient(federation.hub.url);
      await WaitFor('the hub holds both records',
        async () => (await national.Call('GET', '/api/indicators')).on_map === 2, { timeoutMs: 60000, intervalMs: 100 });
    });
    browser = await LaunchBrowser();
  });

  after(async () => {
    await browser?.close();
    await federation?.Finish();
  });

  for (const [device, options] of kDevices) {
    it(`${device}: an empty form shows every error at once, the first field focused`, async () => {
      const page = await NewPage(browser, options);
      await Visit(page, artefacts, 'node', `${node.url}/inscription.html`, `register-${device}`);
      // Every required control is marked, the charter's box and the signatory's name too.
      for (const field of ['name', 'family', 'legal_form', 'commune', 'charter.version', 'charter.adhered_by']) {
        assert.equal(await Field(page, field).first().getAttribute('aria-required'), 'true', field);
        assert.equal(await Field(page, field).first().evaluate((e) => e.required), true, field);
      }
      assert.match(await page.locator('label[for="charter-accept"]').innerText(), /\(obligatoire\)/);
      assert.match(await page.locator('label[for="adhered-by"]').innerText(), /\(obligatoire\)/);

      await page.getByRole('button', { name: 'Envoyer l\'inscription' }).click();
      const summary = page.locator('.form-alert');
      await summary.locator('li').first().waitFor();
      assert.match(await summary.innerText(), /contient 7 erreurs/);
      const links = summary.locator('li a');
      assert.equal(await links.count(), 7);
      assert.match(await links.first().innerText(), /Le champ « Nom » est obligatoire/);
      assert.equal(await Focused(page), 'name');
      for (const field of ['name', 'family', 'legal_form', 'commune', 'charter-version', 'charter-adhered_by']) {
        await page.locator(`#error-${field}`).waitFor();
      }
      assert.match(await page.locator('#error-activities').innerText(), /cochez au moins une activité/);
      assert.equal(await page.getByLabel('Nom (obligatoire)').first().getAttribute('aria-invalid'), 'true');
      await CheckPage(page, artefacts, 'node', `register-errors-${device}`);
      // A link of the summary takes the focus to its field.
      await links.nth(4).click();
      assert.equal(await Focused(page), 'commune');

      // What only the node finds comes back as its "errors", shown the same way: a hidden
      // control character in the name, an INSEE code that is no commune.
      await FillRequired(page, 'Épicerie\u202Esolidaire');
      await page.getByRole('combobox', { name: 'Commune (obligatoire)' }).fill('04999');
      await page.getByRole('button', { name: 'Envoyer l\'inscription' }).click();
      await summary.getByText(/contient 2 erreurs/).waitFor();
      assert.match(await page.locator('#error-name').innerText(), /caractère invisible ou de contrôle/);
      assert.match(await page.locator('#error-commune').innerText(), /choisissez-la dans la liste proposée/);
      assert.equal(await Focused(page), 'name');
      await CheckPage(page, artefacts, 'node', `register-node-errors-${device}`);
      await page.context().close();
    });

    it(`${device}: a village registers without coordinates, at its commune's point`, async () => {
      const page = await NewPage(browser, options);
      await Visit(page, artefacts, 'node', `${node.url}/inscription.html`, `register-village-${device}`);
      await FillRequired(page, `Épicerie de Banon (${device})`);
      await PickCommune(page, 'Banon', 'Banon (04018)');
      // The postcode follows the commune; the place of the record is said, approximate here.
      assert.equal(await page.getByLabel('Code postal').inputValue(), '04150');
      await page.locator('#position-note').filter({ hasText: /position approximative/ }).waitFor();
      await CheckPage(page, artefacts, 'node', `register-village-filled-${device}`);
      const id = await Submit(page);
      const record = await staff.Call('GET', `/api/initiatives/${id}`);
      const commune = (await staff.Call('GET', '/api/communes?code=04018')).communes[0];
      assert.equal(record.commune, '04018');
      assert.equal(record.latitude, commune.latitude);
      assert.equal(record.longitude, commune.longitude);
      if ('location_precision' in record) assert.equal(record.location_precision, 'approximate');
      await page.context().close();
    });

    it(`${device}: a pin clicked, dragged and moved with the keyboard gives the record its position`, async () => {
      const page = await NewPage(browser, options);
      await Visit(page, artefacts, 'node', `${node.url}/inscription.html`, `register-pin-${device}`);
      await FillRequired(page, `Jardin partagé de Banon (${device})`);
      await PickCommune(page, 'Banon', 'Banon (04018)');
      const map = page.locator('#pin-map');
      await map.scrollIntoViewIfNeeded();
      const box = await map.boundingBox();
      await map.click({ position: { x: box.width / 2 + 30, y: box.height / 2 - 20 } });
      const pin = page.locator('.leaflet-marker-icon.pin-marker');
      await pin.waitFor();
      const latitude = page.getByLabel('Latitude');
      const longitude = page.getByLabel('Longitude');
      const clicked = [Number(await latitude.inputValue()), Number(await longitude.inputValue())];
      assert.ok(Number.isFinite(clicked[0]) && clicked[0] !== 0, 'the click placed the pin');
      // Dragged with the mouse.
      const at = await pin.boundingBox();
      await page.mouse.move(at.x + at.width / 2, at.y + at.height / 2);
      await page.mouse.down();
      for (let step = 1; step <= 10; ++step) await page.mouse.move(at.x + at.width / 2 + 6 * step, at.y + at.height / 2 + 4 * step);
      await page.mouse.up();
      await WaitFor('the drag moved the pin', async () => Number(await longitude.inputValue()) > clicked[1]);
      const dragged = [Number(await latitude.inputValue()), Number(await longitude.inputValue())];
      assert.ok(dragged[0] < clicked[0], 'dragged south');
      // Then moved with the keyboard: three steps east, one north.
      await pin.focus();
      for (const key of ['ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowUp']) await page.keyboard.press(key);
      const moved = [Number(await latitude.inputValue()), Number(await longitude.inputValue())];
      assert.ok(moved[1] > dragged[1], 'moved east');
      assert.ok(moved[0] > dragged[0], 'moved north');
      // And with the buttons beside the map.
      await page.getByRole('button', { name: 'Vers l\'ouest' }).click();
      const final = [Number(await latitude.inputValue()), Number(await longitude.inputValue())];
      assert.ok(final[1] < moved[1], 'moved west');
      await page.locator('#position-note').filter({ hasText: /repère placé/ }).waitFor();
      await CheckPage(page, artefacts, 'node', `register-pin-placed-${device}`);
      const id = await Submit(page);
      const record = await staff.Call('GET', `/api/initiatives/${id}`);
      assert.equal(record.latitude, final[0]);
      assert.equal(record.longitude, final[1]);
      if ('location_precision' in record) assert.equal(record.location_precision, 'placed');

      // Its owner's page shows the pin where it was put, and moves it the same way.
      await page.locator('#open-edit').click();
      await page.waitForSelector('body[data-ready="true"]');
      await WaitFor('the pin of the record', async () => (await pin.count()) === 1);
      assert.equal(await latitude.inputValue(), final[0].toFixed(5));
      await pin.focus();
      await page.keyboard.press('Shift+ArrowDown');
      const edited = Number(await latitude.inputValue());
      assert.ok(edited < final[0], 'moved south');
      await CheckPage(page, artefacts, 'node', `owner-pin-${device}`);
      await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
      await page.locator('#owner-notice').filter({ hasText: 'Modifications enregistrées' }).waitFor();
      assert.equal((await staff.Call('GET', `/api/initiatives/${id}`)).latitude, edited);
      await page.context().close();
    });

    it(`${device}: the postcode follows the commune, legal forms in a sensible order`, async () => {
      const page = await NewPage(browser, options);
      await Visit(page, artefacts, 'node', `${node.url}/inscription.html`, `register-postcode-${device}`);
      const postcode = page.getByLabel('Code postal');
      await PickCommune(page, 'Banon', 'Banon (04018)');
      assert.equal(await postcode.inputValue(), '04150');
      // A commune of several postcodes: the one of Banon goes, the list of its own is offered.
      await PickCommune(page, 'Marseille', 'Marseille (13055)');
      assert.equal(await postcode.inputValue(), '');
      assert.equal(await page.locator('#postcode-options option').count(), 16);
      assert.match(await page.locator('#postcode-hint').innerText(), /Codes postaux de Marseille : 13001, 13002/);
      await PickCommune(page, 'Simiane', 'Simiane-la-Rotonde (04208)');
      assert.equal(await postcode.inputValue(), '04150');
      // An association in Provence: the loi 1901 first, Alsace-Moselle's local law last.
      await page.getByLabel('Famille de l\'ESS').selectOption('association');
      const forms = await page.getByLabel('Forme juridique').locator('option').evaluateAll(
        (options) => options.map((o) => o.value).filter(Boolean));
      assert.deepEqual(forms, ['association_loi_1901', 'association_droit_local']);
      assert.equal(await page.locator('optgroup[label="Droit local (Alsace-Moselle)"] option').count(), 1);
      await CheckPage(page, artefacts, 'node', `register-postcode-filled-${device}`);
      await page.context().close();
    });

    it(`${device}: a SIRET or a name already listed asks "C'est bien une autre structure ?"`, async () => {
      const page = await NewPage(browser, options);
      await Visit(page, artefacts, 'node', `${node.url}/inscription.html`, `register-similar-${device}`);
      const warning = page.locator('#similar-warning');
      // Listed in another region: the hub knows it.
      await page.getByLabel('SIRET').fill(kOtherRegionSiret);
      await page.getByLabel('SIRET').press('Tab');
      await warning.getByText('C\'est bien une autre structure ?').waitFor();
      assert.match(await warning.innerText(), new RegExp(`${kOtherName}[^\\n]*Toulouse[^\\n]*même SIRET[^\\n]*autre région`));
      await CheckPage(page, artefacts, 'node', `register-similar-hub-${device}`);
      // Listed in this region, found by its SIRET, with a link to its page.
      await page.getByLabel('SIRET').fill(kRegionSiret);
      await page.getByLabel('SIRET').press('Tab');
      await warning.getByRole('link', { name: kRegionName }).waitFor();
      assert.match(await warning.getByRole('link', { name: kRegionName }).getAttribute('href'), /^\/initiative\.html\?id=/);
      // By its name in its commune (accents and case aside), the SIRET left out.
      await page.getByLabel('SIRET').fill('');
      await page.getByLabel('Nom (obligatoire)').first().fill('repair cafe du vieux port');
      await PickCommune(page, 'Marseille', 'Marseille (13055)');
      await warning.getByText(/même nom dans la même commune/).waitFor();
      // A soft warning: the registration goes on.
      await FillRequired(page, 'Repair café du Vieux-Port, le second');
      await page.getByRole('button', { name: 'Envoyer l\'inscription' }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Envoyer l\'inscription' }).isEnabled(), true);
      await page.context().close();
    });
  }
});
