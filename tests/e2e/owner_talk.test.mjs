// Owners and committees talk (issue 15, point 3), in a browser, on a desktop and on a 390×844
// phone: committee members ask for changes with their reasons, the owner opens the private
// link and reads the reasons (the members' words, not their names) under « Modifications
// demandées par le comité », corrects the record and it goes back to the committee; the admin
// turns on the region's rule for contact edits on the settings page, then an owner's phone
// change is public at once while a description change waits for the committee, shown word by
// word against the published record. axe-core on every state (pages.mjs), English texts.
//   node tests/e2e/owner_talk.test.mjs BUILD_DIR
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Artefacts, LaunchBrowser, NewPage } from '../../web/tests/browser.mjs';
import { ApiClient, Federation, kDevices, kRoot } from './federation.mjs';
import { CheckPage, SignIn, Visit, WaitReady } from './pages.mjs';
import { kMemberPassword, kMembers, PrepareCommittee } from './seed.mjs';

const build = process.argv[2] ?? process.env.ESS_BUILD_DIR ?? join(kRoot, 'build');
const artefacts = new Artefacts(join(build, 'e2e-artifacts'));

const kReasons = [
  'Précisez vos jours d\'ouverture dans la description.',
  'Le lien du site web ne fonctionne pas.',
];
const kNewPhone = '04 91 22 33 44';
const kAddedSentence = 'Ouverte aux étudiants le mardi.';

function Record(name) {
  return {
    name, family: 'association', legal_form: 'association_loi_1901', activities: ['alimentation'],
    description: 'Une épicerie solidaire et participative au cœur du quartier.',
    commune: '13055', phone: '04 91 00 00 00', website: 'https://epicerie.example',
    private: { contact_name: 'Marie Durand', contact_email: 'marie@perso.example' },
  };
}

const OwnerUrl = (node, record, query = '') => `${node.url}/modifier/${record.id}${query}#jeton=${record.token}`;

async function Save(page) {
  await page.locator('#edit-form button[type="submit"]').click();
}

describe('owners and committees talk', { concurrency: false }, () => {
  let federation;
  let browser;
  let node;
  let admin;
  const asked = {};     // per device: a new record the committee sent back, {id, token}
  const admitted = {};  // per device: an admitted record, {id, token}
  const stopOnSignal = async () => { await browser?.close().catch(() => {}); await federation?.Stop(); process.exit(1); };

  before(async () => {
    process.once('SIGTERM', stopOnSignal);
    process.once('SIGINT', stopOnSignal);
    federation = new Federation({ build, regions: ['93'], nodeArgs: ['--security.login-rate-per-minute', '1000'] });
    await federation.StartPrepared(async () => {
      node = federation.nodes['93'];
      const committee = await PrepareCommittee(node, federation.admin);
      admin = committee.admin;
      const visitor = new ApiClient(node.url);
      const charter = await visitor.Call('GET', '/api/charter');
      const submit = async (name) => {
        const r = await visitor.Call('POST', '/api/initiatives',
          { ...Record(name), charter: { version: charter.version, adhered_by: 'Marie Durand' } });
        return { id: r.initiative.id, token: r.edit_token };
      };
      const vote = (member, id, choice, reason) =>
        committee.members[member].Call('POST', `/api/committee/initiatives/${id}/votes`, { vote: choice, reason });
      for (const [device] of kDevices) {
        asked[device] = await submit(`Épicerie des Cabucelles (${device})`);
        await vote(0, asked[device].id, 'request_changes', kReasons[0]);
        await vote(1, asked[device].id, 'request_changes', kReasons[1]);
        await vote(2, asked[device].id, 'admit', 'Conforme à la charte.');
        assert.equal((await admin.Call('GET', `/api/initiatives/${asked[device].id}`)).status, 'changes_requested');
        admitted[device] = await submit(`Épicerie du Panier (${device})`);
        for (const member of [0, 1, 2]) {
          if ((await vote(member, admitted[device].id, 'admit', 'Conforme à la charte.')).decision) break;
        }
      }
    });
    browser = await LaunchBrowser();
  });

  after(async () => {
    await browser?.close();
    await federation?.Finish();
  });

  for (const [device, options] of kDevices) {
    it(`${device}: the owner reads the committee's reasons, corrects the record, and it goes back to the committee`, async () => {
      const page = await NewPage(browser, options);
      const record = asked[device];
      await Visit(page, artefacts, 'node', OwnerUrl(node, record), `owner-reasons-${device}`);
      const request = page.locator('#changes-requested');
      assert.match(await request.getByRole('heading').innerText(), /Modifications demandées par le comité/);
      assert.deepEqual(await request.locator('li q').allInnerTexts(), kReasons);
      const text = await request.innerText();
      for (const m of kMembers) assert.ok(!text.includes(m.name.split(' ')[0]), `${m.name} is not named`);
      assert.match(text, /Corrigez la fiche dans le formulaire ci-dessous/);

      await page.locator('[data-field="description"]').fill(`Une épicerie solidaire, ouverte du mardi au samedi. ${kAddedSentence}`);
      await Save(page);
      await page.locator('#owner-notice', { hasText: 'Modifications enregistrées.' }).waitFor();
      await request.waitFor({ state: 'detached' });
      const staff = await admin.Call('GET', `/api/initiatives/${record.id}`);
      assert.equal(staff.status, 'pending');
      assert.equal(staff.under_review, true);
      assert.equal(staff.review_reason, 'changes_made');
      await CheckPage(page, artefacts, 'node', `owner-answered-${device}`);
    });
  }

  it('desktop: the committee\'s request in English', async () => {
    // A second request on the desktop's record, so that the English page has one to show.
    const page = await NewPage(browser);
    const record = asked.desktop;
    const committee = await Promise.all(kMembers.map(async (m) => {
      const c = new ApiClient(node.url);
      await c.Login(m.email, kMemberPassword);
      return c;
    }));
    for (const [i, c] of committee.entries()) {
      await c.Call('POST', `/api/committee/initiatives/${record.id}/votes`,
        { vote: 'request_changes', reason: i === 0 ? 'Merci de préciser le public accueilli.' : 'Même avis.' });
    }
    await Visit(page, artefacts, 'node', OwnerUrl(node, record, '?lang=en'), 'owner-reasons-en');
    const request = page.locator('#changes-requested');
    assert.match(await request.getByRole('heading').innerText(), /Changes requested by the committee/);
    assert.match(await request.innerText(), /asked you to revise your record\. Its members wrote:/);
    assert.match(await request.innerText(), /Merci de préciser le public accueilli\./);
    assert.match(await request.innerText(), /Correct the record in the form below and save: it will go back to the committee\./);
    await page.goto(OwnerUrl(node, record, '?lang=fr'));
    await WaitReady(page);
  });

  it('desktop: the admin turns on the contact rule on the settings page', async () => {
    const page = await NewPage(browser);
    await SignIn(page, `${node.url}/admin/`, federation.admin.email, federation.admin.password);
    const box = page.getByLabel(/Publier sans vote du comité une modification des seules coordonnées/);
    assert.equal(await box.isChecked(), false);
    await box.check();
    await page.locator('#rules-save').click();
    await page.locator('#rules-notice', { hasText: /Règles enregistrées/ }).waitFor();
    assert.match(await page.locator('#rules-history').innerText(), /coordonnées sans vote : non → oui/);
    assert.equal((await admin.Call('GET', '/api/admin/settings')).contact_edits_without_vote, true);
    await CheckPage(page, artefacts, 'node', 'admin-contact-rule');
    await page.goto(`${node.url}/admin/?lang=en`);
    await WaitReady(page);
    assert.match(await page.locator('#rules').innerText(), /Contact details published without a vote/);
    assert.match(await page.locator('#rules').innerText(), /Publish without a committee vote a change of an admitted record's contact details only/);
    await page.goto(`${node.url}/admin/?lang=fr`);
    await WaitReady(page);
  });

  for (const [device, options] of kDevices) {
    it(`${device}: with the rule on, a phone change is public at once; a description change waits, word by word`, async () => {
      const page = await NewPage(browser, options);
      const record = admitted[device];
      await Visit(page, artefacts, 'node', OwnerUrl(node, record), `owner-admitted-${device}`);
      assert.match(await page.locator('#edit-title + p').innerText(), /un changement des seules coordonnées .* est publié aussitôt/);

      await page.locator('[data-field="phone"]').fill(kNewPhone);
      await Save(page);
      await page.locator('#owner-notice', { hasText: 'Coordonnées publiées sans attendre le comité (règle de la région) : téléphone.' }).waitFor();
      const visitor = new ApiClient(node.url);
      assert.equal((await visitor.Call('GET', `/api/initiatives/${record.id}`)).phone, kNewPhone);
      const history = await admin.Call('GET', `/api/initiatives/${record.id}/history`);
      assert.ok(history.events.some((e) => e.action === 'edited' && /sans vote du comité .* téléphone/.test(e.detail)));
      await CheckPage(page, artefacts, 'node', `owner-phone-published-${device}`);

      // Anything else is a proposal for the committee, shown against the published record.
      const description = page.locator('[data-field="description"]');
      await description.fill(`${await description.inputValue()} ${kAddedSentence}`);
      await Save(page);
      await page.locator('#owner-notice', { hasText: /transmises au comité d'éthique/ }).waitFor();
      const changes = page.locator('#proposal-changes');
      await changes.waitFor();
      assert.deepEqual(await changes.locator('dt').allInnerTexts(), ['Description']);
      const Words = (texts) => texts.map((t) => t.replace(/\s+/g, ' ').trim());
      assert.deepEqual(Words(await changes.locator('ins').allInnerTexts()), [`ajouté : ${kAddedSentence}`]);
      assert.equal(await changes.locator('del').count(), 0);
      assert.equal((await visitor.Call('GET', `/api/initiatives/${record.id}`)).description, Record('').description);
      await CheckPage(page, artefacts, 'node', `owner-proposal-diff-${device}`);
      if (device === 'desktop') {
        await page.goto(OwnerUrl(node, record, '?lang=en'));
        await WaitReady(page);
        assert.match(await page.locator('#proposal-changes').innerText(), /What your proposal changes/);
        assert.match(await page.locator('#edit-title + p').innerText(), /a change of contact details only .* is published at once/);
        await page.goto(OwnerUrl(node, record, '?lang=fr'));
        await WaitReady(page);
      }
    });
  }
});
