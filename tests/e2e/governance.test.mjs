// Governance safeguards in a browser (issue 15, point 5), on a desktop and on a 390×844 phone:
// an impossible quorum is refused beside its field with the node's message, and the majority
// reads as a percentage; a new charter goes through its preview (the text, the word-level
// comparison with the version in force, the count of listings to re-adhere) and its
// confirmation; a member is added without a password, gets an invitation (its link read from
// the node's outbox, never over HTTP) and chooses their password from it, then signs in; the
// English texts of the new labels. axe-core on the overview, the charter, the committee and
// the invitation pages.
//   node tests/e2e/governance.test.mjs BUILD_DIR
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Artefacts, LaunchBrowser, NewPage } from '../../web/tests/browser.mjs';
import { ApiClient, Federation, kDevices, kRoot } from './federation.mjs';
import { InvitationLink } from './outbox_links.mjs';
import { CheckPage, SignIn, WaitReady } from './pages.mjs';
import { PrepareCommittee, SubmitAndAdmit } from './seed.mjs';

const build = process.argv[2] ?? process.env.ESS_BUILD_DIR ?? join(kRoot, 'build');
const artefacts = new Artefacts(join(build, 'e2e-artifacts'));

const kInitiatives = ['Épicerie solidaire du Panier', 'Garage solidaire du Port'].map((name, i) => ({
  name, family: 'association', legal_form: 'association_loi_1901', activities: ['alimentation'],
  description: 'Une initiative solidaire et ancrée dans son quartier.', address: `${12 + i} rue du Panier`,
  postcode: '13002', commune: '13055', latitude: 43.2965, longitude: 5.3698,
  private: { contact_name: 'Alex Dupont', contact_email: `alex${i}@courriel.example` },
}));

describe('governance safeguards', { concurrency: false }, () => {
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
      // Three members (they follow their invitations), the charter v1, two listings on it.
      const { members } = await PrepareCommittee(node, federation.admin);
      await SubmitAndAdmit(node, members, kInitiatives, { admitCount: 1 });
    });
    browser = await LaunchBrowser();
  });

  after(async () => {
    await browser?.close();
    await federation?.Finish();
  });

  for (const [device, options] of kDevices) {
    it(`on a ${device}: an impossible quorum is refused; the majority reads as a percentage`, async () => {
      const page = await NewPage(browser, options);
      await SignIn(page, `${node.url}/admin/`, federation.admin.email, federation.admin.password);
      const majority = page.locator('[data-field="decision_rule.majority"]');
      assert.equal(await majority.inputValue(), '50');
      assert.match(await page.locator('#rules').innerText(), /majorité de plus de 50\s%/);
      assert.match(await page.locator('#rules-colleges-list').innerText(), /Consommateurs/);
      const quorum = page.locator('[data-field="decision_rule.quorum"]');
      await quorum.fill('10');
      await page.locator('#rules-save').click();
      await page.locator('[data-field="decision_rule.quorum"][aria-invalid="true"]').waitFor();
      assert.match(await page.locator('#rules-form').innerText(),
        /Le quorum \(10 votes\) dépasse le nombre de membres actifs du comité \([34]\)/);
      await CheckPage(page, artefacts, 'node', `governance-quorum-${device}`);
      // A majority out of range is said in percent, beside its field, before anything is sent.
      await quorum.fill('3');
      await majority.fill('0,5');
      await page.locator('#rules-save').click();
      await page.locator('[data-field="decision_rule.majority"][aria-invalid="true"]').waitFor();
      assert.match(await page.locator('#rules-form').innerText(), /un pourcentage de 50 à moins de 100/);
      await majority.fill('66');
      await page.locator('#rules-save').click();
      await page.locator('#rules-notice.success').waitFor();
      assert.match(await page.locator('#rules').innerText(), /majorité de plus de 66\s%/);
      await majority.fill('50');
      await page.locator('#rules-save').click();
      await page.locator('#rules-notice.success').waitFor();
      await page.context().close();
    });

    it(`on a ${device}: a new charter goes through its preview and its confirmation`, async () => {
      const page = await NewPage(browser, options);
      await SignIn(page, `${node.url}/admin/charte.html`, federation.admin.email, federation.admin.password);
      const before = await page.locator('#charter-current').innerText();
      const text = `Charte régionale de l'économie sociale et solidaire (${device})\n\n1. Utilité sociale et écologique.`;
      // An empty text is refused by the preview.
      await page.locator('#charter-preview').click();
      await page.locator('#charter-text[aria-invalid="true"]').waitFor();
      await page.locator('#charter-text').fill(text);
      await page.locator('#charter-preview').click();
      await page.locator('#charter-preview-box:not([hidden])').waitFor();
      assert.equal(await page.locator('#charter-rendered').innerText(), text);
      assert.ok(await page.locator('#charter-diff ins').count() > 0, 'added words shown');
      assert.ok(await page.locator('#charter-diff del').count() > 0, 'removed words shown');
      assert.match(await page.locator('#charter-count').innerText(), /demandera à 2 fiche\(s\) d'adhérer de nouveau dans les 90 jours/);
      await CheckPage(page, artefacts, 'node', `governance-charter-preview-${device}`);
      await page.getByRole('button', { name: 'Publier et demander la réadhésion de 2 fiche(s)' }).click();
      await page.locator('#charter-notice.success').waitFor();
      assert.match(await page.locator('#charter-notice').innerText(), /publiée ; 2 initiative\(s\) invitée\(s\) à réadhérer/);
      assert.notEqual(await page.locator('#charter-current').innerText(), before);
      await page.context().close();
    });

    it(`on a ${device}: a member is invited and chooses their password from the link`, async () => {
      const email = `ines.${device}@example.org`;
      const page = await NewPage(browser, options);
      await SignIn(page, `${node.url}/admin/comite.html`, federation.admin.email, federation.admin.password);
      assert.doesNotMatch(await page.locator('#content').innerText(), /configuration du nœud/);
      assert.match(await page.locator('#colleges').innerText(), /Pouvoirs publics/);
      const form = page.locator('#member-form');
      assert.equal(await form.locator('input[type="password"]').count(), 0);
      await form.getByLabel('Nom').fill(`Inès Faure (${device})`);
      await form.getByLabel('Courriel').fill(email);
      await form.getByLabel('Collège').selectOption({ label: 'Salariés' });
      await form.getByRole('button', { name: 'Ajouter et inviter' }).click();
      await page.locator('#members-notice.success').waitFor();
      assert.match(await page.locator('#members-notice').innerText(), new RegExp(`une invitation lui est envoyée à ${email.replaceAll('.', '\\.')}`));
      const row = page.locator('#members tbody tr', { hasText: `Inès Faure (${device})` });
      assert.match(await row.innerText(), /En attente jusqu'au/);
      await CheckPage(page, artefacts, 'node', `governance-committee-${device}`);

      const link = InvitationLink(node.database, email);
      assert.match(link, /\/invitation\.html#jeton=[0-9a-f]{64}$/);
      const invited = await NewPage(browser, options);
      await invited.goto(link.replace(/^https?:\/\/[^/]+/, node.url));
      await WaitReady(invited);
      assert.match(await invited.locator('#invitation-hello').innerText(), new RegExp(`Bonjour Inès Faure \\(${device}\\)`));
      await CheckPage(invited, artefacts, 'node', `governance-invitation-${device}`);
      await invited.getByLabel('Mot de passe', { exact: true }).fill('mot-de-passe-d-ines');
      await invited.getByLabel('Le même mot de passe, une seconde fois').fill('mot-de-passe-d-inez');
      await invited.getByRole('button', { name: 'Choisir ce mot de passe' }).click();
      await invited.locator('[data-field="confirm"][aria-invalid="true"]').waitFor();
      await invited.getByLabel('Le même mot de passe, une seconde fois').fill('mot-de-passe-d-ines');
      await invited.getByRole('button', { name: 'Choisir ce mot de passe' }).click();
      await invited.locator('#invitation-done').waitFor();
      await invited.context().close();
      const member = new ApiClient(node.url);
      await member.Login(email, 'mot-de-passe-d-ines');
      // The link is spent.
      const again = await NewPage(browser, options);
      await again.goto(link.replace(/^https?:\/\/[^/]+/, node.url));
      await WaitReady(again);
      assert.match(await again.locator('#invitation-problem').innerText(), /déjà servi/);
      await again.context().close();
      await page.reload();
      await WaitReady(page);
      assert.match(await page.locator('#members tbody tr', { hasText: `Inès Faure (${device})` }).innerText(), /Mot de passe choisi/);
      await page.context().close();
    });
  }

  it('the English texts of the new labels', async () => {
    const page = await NewPage(browser);
    await SignIn(page, `${node.url}/admin/charte.html?lang=en`, federation.admin.email, federation.admin.password);
    assert.ok(await page.getByRole('button', { name: 'Preview' }).isVisible());
    await page.goto(`${node.url}/admin/comite.html?lang=en`);
    await WaitReady(page);
    assert.ok(await page.getByRole('button', { name: 'Add and invite' }).isVisible());
    assert.ok(await page.getByRole('heading', { name: 'Stakeholder colleges' }).isVisible());
    assert.match(await page.locator('#colleges').innerText(), /Public authorities/);
    await page.goto(`${node.url}/admin/?lang=en`);
    await WaitReady(page);
    assert.ok(await page.getByText('Majority: percentage of the votes expressed to exceed (%)').isVisible());
    await page.goto(`${node.url}/invitation.html?lang=en`);
    await WaitReady(page);
    assert.equal(await page.locator('main h1').innerText(), 'Join the ethics committee');
    assert.match(await page.locator('#invitation-problem').innerText(), /This link is incomplete/);
    await page.goto(`${node.url}/admin/?lang=fr`);
    await WaitReady(page);
    await page.context().close();
  });
});
