// The records back office in a browser (issue 15, point 1), on a desktop and on a 390×844
// phone: the animator signs in, finds a stale record (imported as confirmed 400 days ago,
// without a contact e-mail) through « Voir les fiches à confirmer », sorts the list from its
// headers (aria-sort), opens the record, reissues its private link (handed over, as there is
// no e-mail to send it to), edits it on the owner's behalf with a reason and sees the history
// line; the bulk bar reminds a selected record; a committee member reads both pages without
// any action; the English texts of the new labels. axe-core on fiches.html and fiche.html.
//   node tests/e2e/back_office.test.mjs BUILD_DIR
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Artefacts, LaunchBrowser, NewPage } from '../../web/tests/browser.mjs';
import { Federation, kDevices, kRoot } from './federation.mjs';
import { CheckPage, SignIn, WaitReady } from './pages.mjs';
import { PrepareCommittee, SubmitAndAdmit, kMemberPassword, kMembers } from './seed.mjs';

const build = process.argv[2] ?? process.env.ESS_BUILD_DIR ?? join(kRoot, 'build');
const artefacts = new Artefacts(join(build, 'e2e-artifacts'));

const kFresh = 'Épicerie solidaire du Panier';
const StaleName = (device) => `Ressourcerie du Port (${device})`;

// Stale records, one per device: imported as last confirmed 400 days ago (past the 365 days of
// validity, within the 60 days of grace: « à confirmer »), with no contact e-mail.
function StaleCsv() {
  const confirmed = new Date(Date.now() - 400 * 86400 * 1000).toISOString().slice(0, 10);
  return 'name;family;legal_form;activities;commune;email;confirmed_at\n'
    + kDevices.map(([device]) => `${StaleName(device)};association;association_loi_1901;reemploi;13055;port@ressourcerie.example;${confirmed}\n`).join('');
}

// Every cell of the first row on the screen; on a phone each with its column's name beside it.
async function EveryColumnReachable(page, device) {
  const width = page.viewportSize().width;
  for (const cell of await page.locator('#records-table tbody tr').first().locator('td').all()) {
    const label = await cell.getAttribute('data-label');
    assert.ok(await cell.isVisible(), `${label} is visible`);
    const box = await cell.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= width + 1, `${label} within the ${width} px screen`);
    if (device === 'phone') {
      assert.equal(await cell.evaluate((el) => getComputedStyle(el, '::before').content), `"${label}"`);
    }
  }
}

describe('the records back office', { concurrency: false }, () => {
  let federation;
  let browser;
  let node;
  const stopOnSignal = async () => { await browser?.close().catch(() => {}); await federation?.Stop(); process.exit(1); };

  before(async () => {
    process.once('SIGTERM', stopOnSignal);
    process.once('SIGINT', stopOnSignal);
    federation = new Federation({ build, regions: ['93'], nodeArgs: ['--security.login-rate-per-minute', '1000'] });
    await federation.StartPrepared(async () => {
      node = federation.nodes['93'];
      // The charter only: the records need no committee (a member signs in in the last test).
      const { admin } = await PrepareCommittee(node, federation.admin, { members: [] });
      await SubmitAndAdmit(node, [], [{
        name: kFresh, family: 'association', legal_form: 'association_loi_1901', activities: ['alimentation'],
        description: 'Produits frais et locaux à prix adaptés.', address: '12 rue du Panier', postcode: '13002',
        commune: '13055', latitude: 43.2965, longitude: 5.3698, email: 'contact@epicerie-panier.example',
        private: { contact_name: 'Alex Dupont', contact_email: 'alex.dupont@courriel.example' },
      }], { admitCount: 0 });
      await admin.Call('POST', '/api/admin/import', { csv: StaleCsv(), separator: ';', status: 'admitted' });
    });
    browser = await LaunchBrowser();
  });

  after(async () => {
    await browser?.close();
    await federation?.Finish();
  });

  for (const [device, options] of kDevices) {
    it(`on a ${device}: the stale record found, its link reissued, edited on the owner's behalf`, async () => {
      const stale = StaleName(device);
      const page = await NewPage(browser, options);
      await SignIn(page, `${node.url}/admin/fiches.html`, federation.admin.email, federation.admin.password);
      assert.equal(await page.locator('#records-count').innerText(), '3 fiche(s)');
      await page.getByRole('link', { name: 'Voir les fiches à confirmer' }).click();
      await WaitReady(page);
      assert.match(page.url(), /freshness=to_confirm/);
      const rows = page.locator('#records-table tbody tr');
      assert.ok((await rows.count()) >= 1);
      const row = rows.filter({ hasText: stale });
      assert.match(await row.locator('td[data-label="Fraîcheur"]').innerText(), /À confirmer \(périmée\)\s*rappel à envoyer/);
      assert.match(await row.locator('td[data-label="Origine"]').innerText(), /Import/);
      assert.match(await row.locator('td[data-label="Rappels"]').innerText(), /aucun/);
      await EveryColumnReachable(page, device);
      await page.locator('#records-table').screenshot({ path: join(artefacts.dir, `back-office-table-${device}.png`) });
      await CheckPage(page, artefacts, 'node', `back-office-list-${device}`);

      // Sorting from the headers: the active column says so (aria-sort).
      const nameHeader = page.locator('#records-table thead th', { has: page.locator('button[data-sort="name"]') });
      assert.equal(await nameHeader.getAttribute('aria-sort'), 'none');  // the link sorts by validity
      await page.locator('button[data-sort="name"]').click();
      await WaitReady(page);
      assert.match(page.url(), /sort=name&order=asc/);
      assert.equal(await nameHeader.getAttribute('aria-sort'), 'ascending');
      await page.locator('button[data-sort="name"]').click();
      await WaitReady(page);
      assert.match(page.url(), /sort=name&order=desc/);
      assert.equal(await nameHeader.getAttribute('aria-sort'), 'descending');
      assert.equal(await page.locator('#records-table thead th', { has: page.locator('button[data-sort="updated"]') }).getAttribute('aria-sort'), 'none');

      // The record: reissue its link (no e-mail: the animator hands it over).
      await page.getByRole('link', { name: stale }).click();
      await WaitReady(page);
      assert.equal(await page.locator('main h1').innerText(), stale);
      assert.match(await page.locator('#record-state').innerText(), /Import/);
      assert.match(await page.locator('#record-state').innerText(), /aucun : rappels et liens ne peuvent pas lui être envoyés/);
      await CheckPage(page, artefacts, 'node', `back-office-record-${device}`);
      await page.getByRole('button', { name: 'Envoyer un rappel maintenant' }).click();
      await page.locator('#record-notice.error').waitFor();
      assert.match(await page.locator('#record-notice').innerText(), /pas de courriel de contact/);
      await page.getByRole('button', { name: 'Émettre un nouveau lien privé' }).click();
      await page.locator('#handed-link').waitFor();
      const link = await page.locator('#handed-link').innerText();
      assert.match(link, /\/modifier\/[0-9a-f-]{36}#jeton=[0-9a-f]+$/);
      // The link is shown before the page reloads the record (a link is never lost to a failed
      // reload): wait for the history to hold the reissue.
      await page.locator('#history-list li').first().filter({ hasText: /Nouveau lien privé par l'administration \(admin@example\.org\)/ }).waitFor();

      // Edit on the owner's behalf: the reason is required, then the history says who and why.
      const name = page.locator('#edit-form').getByLabel('Nom (obligatoire)');
      await name.fill(`${stale} — ouverte le samedi`);
      await page.getByRole('button', { name: 'Enregistrer la modification' }).click();
      await page.locator('#edit-form [data-field="reason"][aria-invalid="true"]').waitFor();
      await page.locator('#edit-reason').fill('Horaires donnés par téléphone par le porteur');
      await page.getByRole('button', { name: 'Enregistrer la modification' }).click();
      await page.locator('#record-notice', { hasText: 'Modification transmise au comité' }).waitFor();
      assert.equal(await page.locator('#record-notice').innerText(),
        'Modification transmise au comité (la fiche est admise). Pas de courriel de contact : prévenez le porteur vous-même.');
      const line = await page.locator('#history-list li').first().innerText();
      assert.match(line, /par l'administration \(admin@example\.org\)/);
      assert.match(line, /motif : Horaires donnés par téléphone par le porteur/);
      await CheckPage(page, artefacts, 'node', `back-office-edited-${device}`, { screenshot: device === 'phone' });

      // The owner's page opens with the link handed over.
      const owner = await NewPage(browser, options);
      await owner.goto(link.replace(/^https?:\/\/[^/]+/, node.url));
      await WaitReady(owner);
      assert.match(await owner.locator('main h1').innerText(), /Ressourcerie du Port/);
      await owner.context().close();
      await page.context().close();
    });
  }

  it('the bulk bar reminds the selected records; the English labels', async () => {
    const page = await NewPage(browser);
    await SignIn(page, `${node.url}/admin/fiches.html?q=epicerie`, federation.admin.email, federation.admin.password);
    await page.getByRole('checkbox', { name: `Sélectionner « ${kFresh} »` }).check();
    assert.equal(await page.locator('#selected-count').innerText(), '1 fiche(s) sélectionnée(s)');
    await page.getByRole('button', { name: 'Envoyer un rappel aux fiches sélectionnées' }).click();
    await page.locator('#records-notice.success').waitFor();
    assert.equal(await page.locator('#records-notice').innerText(), 'Rappels mis en file d\'envoi : 1 sur 1.');
    await page.reload();
    await WaitReady(page);
    assert.match(await page.locator('td[data-label="Rappels"]').innerText(), /1, dernier : En attente d'envoi/);

    await page.goto(`${node.url}/admin/fiches.html?lang=en`);
    await WaitReady(page);
    assert.equal(await page.locator('main h1').innerText(), 'The region\'s records');
    assert.deepEqual(await page.locator('#records-table thead th button').allInnerTexts(),
      ['Name', 'Status', 'Department', 'Family', 'Submitted on', 'Updated on', 'Valid until']);
    assert.ok(await page.getByRole('link', { name: 'Show the records to be confirmed' }).isVisible());
    assert.ok(await page.getByRole('button', { name: 'Send a reminder to the selected records' }).isVisible());
    await page.getByRole('link', { name: kFresh }).click();
    await WaitReady(page);
    for (const text of ['Where the record stands', 'Reminders sent', 'History', 'Journalled revisions', 'Edit on the owner\'s behalf']) {
      assert.ok(await page.getByRole('heading', { name: text }).isVisible(), text);
    }
    assert.match(await page.locator('#reminders-table').innerText(), /Waiting to be sent/);
    await page.goto(`${node.url}/admin/fiches.html?lang=fr`);
    await WaitReady(page);
    await page.context().close();
  });

  it('a committee member reads the list and the record, without any action', async () => {
    await PrepareCommittee(node, federation.admin, { charter: false, members: [kMembers[1]] });
    const page = await NewPage(browser, kDevices[1][1]);
    await SignIn(page, `${node.url}/admin/fiches.html`, kMembers[1].email, kMemberPassword);
    assert.match(await page.locator('#content').innerText(), /Lecture seule/);
    assert.equal(await page.locator('#records-table input[type="checkbox"]').count(), 0);
    assert.equal(await page.locator('#records-bulk').count(), 0);
    await page.getByRole('link', { name: kFresh }).click();
    await WaitReady(page);
    assert.equal(await page.locator('#remind-now, #reissue-link, #edit-form').count(), 0);
    assert.match(await page.locator('#record-history').innerText(), /Inscrite par le formulaire par le porteur/);
    await CheckPage(page, artefacts, 'node', 'back-office-record-committee');
    await page.context().close();
  });
});
