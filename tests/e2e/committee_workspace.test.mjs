// The committee workspace in a browser (issue 15, point 4), on a desktop and on a 390×844
// phone: colleges, votes, decisions and statuses in words (French and English), the
// application (record, position map, SIRET check key with the directory link, charter
// signatory) before the vote form, members counted without those in conflict, headings that
// agree with the review, the first admitted revision numbered 1; the queue's submission
// date, "à moi de voter", sorting, and every column readable on the phone (a card per row).
// axe-core on both pages (pages.mjs).
//   node tests/e2e/committee_workspace.test.mjs BUILD_DIR
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Artefacts, LaunchBrowser, NewPage } from '../../web/tests/browser.mjs';
import { ApiClient, Federation, Siret, kDevices, kRoot } from './federation.mjs';
import { CheckPage, SignIn, WaitReady } from './pages.mjs';
import { PrepareCommittee, SubmitAndAdmit, kMemberPassword } from './seed.mjs';

const build = process.argv[2] ?? process.env.ESS_BUILD_DIR ?? join(kRoot, 'build');
const artefacts = new Artefacts(join(build, 'e2e-artifacts'));

const kMembers = [
  { name: 'Camille Martin', email: 'camille@example.org', college: 'consommateurs', role: 'chair' },
  { name: 'Paul Lefèvre', email: 'paul@example.org', college: 'pouvoirs_publics', role: 'member' },
  { name: 'Inès Moreau', email: 'ines@example.org', college: 'recherche_conseil', role: 'member' },
  { name: 'Sophie Blanc', email: 'sophie@example.org', college: 'salaries', role: 'member' },
];
// Submitted in this order (oldest first).
const kGrocery = 'Épicerie solidaire du Panier';     // pending; Sophie declared a conflict
const kBikes = 'Atelier vélo de la Belle de Mai';     // pending; Camille and Paul voted
const kReuse = 'Recyclerie du Vieux-Port';           // admitted, then reopened by the chair
const kCafe = 'Café associatif des Chartreux';       // admitted, not under review

function Initiative(name, n) {
  return {
    name, family: 'association', legal_form: 'association_loi_1901', activities: ['alimentation'],
    description: `${name} : un projet collectif ancré dans le quartier.`, address: `${n} rue du Panier`, postcode: '13002',
    commune: '13055', latitude: 43.2965 + n / 1000, longitude: 5.3698, email: `contact${n}@asso.example`,
    siret: Siret(`732829320${String(n).padStart(4, '0')}`),
    private: { contact_name: `Alex Dupont ${n}`, contact_email: `alex${n}@courriel.example` },
  };
}

// innerText with no-break spaces as spaces ("50 %" is written with U+00A0).
const Text = async (locator) => (await locator.innerText()).replace(/\u00a0/g, ' ');
const RowNames = (page) => page.locator('#queue tbody tr td:first-child a').allInnerTexts();

describe('the committee workspace', { concurrency: false }, () => {
  let federation;
  let browser;
  let node;
  const ids = {};
  const stopOnSignal = async () => { await browser?.close().catch(() => {}); await federation?.Stop(); process.exit(1); };

  before(async () => {
    process.once('SIGTERM', stopOnSignal);
    process.once('SIGINT', stopOnSignal);
    federation = new Federation({ build, regions: ['93'], nodeArgs: ['--security.login-rate-per-minute', '1000'] });
    await federation.StartPrepared(async () => {
      node = federation.nodes['93'];
      const { members } = await PrepareCommittee(node, federation.admin, { members: kMembers });
      const voters = members.slice(0, 3);
      [ids.grocery, ids.bikes] = await SubmitAndAdmit(node, voters, [Initiative(kGrocery, 1), Initiative(kBikes, 2)], { admitCount: 0 });
      [ids.reuse, ids.cafe] = await SubmitAndAdmit(node, voters, [Initiative(kReuse, 3), Initiative(kCafe, 4)]);
      await members[3].Call('POST', `/api/committee/initiatives/${ids.grocery}/conflicts`, { reason: 'Je suis bénévole de cette épicerie.' });
      await members[0].Call('POST', `/api/committee/initiatives/${ids.bikes}/votes`, { vote: 'admit', reason: 'Projet conforme à la charte.' });
      await members[1].Call('POST', `/api/committee/initiatives/${ids.bikes}/votes`, { vote: 'reject', reason: 'Activité commerciale avant tout.' });
      await members[0].Call('POST', `/api/committee/initiatives/${ids.reuse}/reviews`, { reason: 'Vérifier les horaires annoncés.' });
    });
    browser = await LaunchBrowser();
  });

  after(async () => {
    await browser?.close();
    await federation?.Finish();
  });

  for (const [device, options] of kDevices) {
    it(`the queue on a ${device}: submission date, "à moi de voter", sorting, every column`, async () => {
      const page = await NewPage(browser, options);
      await SignIn(page, `${node.url}/comite/`, kMembers[0].email, kMemberPassword);
      assert.match(await Text(page.locator('.staff-bar')), /Consommateurs/);
      assert.deepEqual(await RowNames(page), [kGrocery, kBikes, kReuse]);  // oldest first
      const headings = await page.locator('#queue thead th').allTextContents();
      assert.deepEqual(headings, ['Initiative', 'Commune', 'Statut', 'Motif', 'Déposée le', 'Votes', 'Mon vote', 'Signalements', 'Soutiens']);
      const bikes = page.locator('#queue tbody tr', { hasText: kBikes });
      assert.match(await bikes.locator('td[data-label="Déposée le"]').innerText(), /\d{1,2} \p{L}+ 20\d\d/u);
      assert.equal(await bikes.locator('td[data-label="Mon vote"]').innerText(), 'Admettre');
      assert.equal(await bikes.locator('td[data-label="Votes"]').innerText(), '2 / 3 requis (4 votants)');
      assert.match(await Text(page.locator('#queue tbody tr', { hasText: kGrocery }).locator('td[data-label="Votes"]')), /\(3 votants\)/);
      assert.equal(await Text(page.locator('#queue tbody tr', { hasText: kReuse }).locator('td[data-label="Motif"]')), 'Remise à l\'examen');
      await CheckPage(page, artefacts, 'node', `committee-workspace-queue-${device}`);

      // Every cell of every row within the screen, with its column's heading beside it on a phone.
      const width = page.viewportSize().width;
      for (const cell of await page.locator('#queue tbody tr').first().locator('td').all()) {
        assert.ok(await cell.isVisible(), `${await cell.getAttribute('data-label')} is visible`);
        const box = await cell.boundingBox();
        assert.ok(box.x >= 0 && box.x + box.width <= width + 1, `${await cell.getAttribute('data-label')} within the ${width} px screen`);
        if (device === 'phone') {
          const label = await cell.evaluate((el) => getComputedStyle(el, '::before').content);
          assert.equal(label, `"${await cell.getAttribute('data-label')}"`);
        }
      }

      // "À moi de voter": neither voted nor in conflict, open for votes.
      const mine = page.locator('#filter-mine');
      assert.equal(await mine.innerText(), 'À moi de voter (2)');
      await mine.click();
      assert.equal(await mine.getAttribute('aria-pressed'), 'true');
      assert.deepEqual(await RowNames(page), [kGrocery, kReuse]);
      assert.match(page.url(), /a_voter=1/);

      // Sorting: name, newest first, status.
      await page.locator('#queue-sort').selectOption('name');
      assert.deepEqual(await RowNames(page), [kGrocery, kReuse]);
      await mine.click();
      assert.deepEqual(await RowNames(page), [kBikes, kGrocery, kReuse]);
      await page.locator('#queue-sort').selectOption('submitted-desc');
      assert.deepEqual(await RowNames(page), [kReuse, kBikes, kGrocery]);
      await page.locator('#queue-sort').selectOption('status');
      assert.deepEqual(await RowNames(page), [kGrocery, kBikes, kReuse]);  // pending, then admitted
      await page.reload();
      await WaitReady(page);
      assert.equal(await page.locator('#queue-sort').inputValue(), 'status');
      await page.context().close();
    });

    it(`a file on a ${device}: the application first, map, SIRET, signatory, counts, words`, async () => {
      const page = await NewPage(browser, options);
      await SignIn(page, `${node.url}/comite/initiative.html?id=${ids.grocery}`, kMembers[0].email, kMemberPassword);
      // The application, then the vote.
      const order = await page.evaluate(() => {
        const application = document.querySelector('#application');
        const form = document.querySelector('#vote-form');
        return Boolean(application && form && (application.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING));
      });
      assert.ok(order, 'the application comes before the vote form');
      // The pin within its map, the map within the page (Leaflet's stylesheet in force).
      await page.locator('#position-map .leaflet-marker-icon').waitFor();
      const mapBox = await page.locator('#position-map').boundingBox();
      const pin = await page.locator('#position-map .leaflet-marker-icon').boundingBox();
      assert.ok(pin.x >= mapBox.x && pin.x + pin.width <= mapBox.x + mapBox.width
        && pin.y >= mapBox.y && pin.y + pin.height <= mapBox.y + mapBox.height, 'the pin shows on the map');
      assert.ok(mapBox.x >= 0 && mapBox.x + mapBox.width <= page.viewportSize().width + 1, 'the map within the screen');
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'nothing wider than the screen');
      assert.equal(await Text(page.locator('#siret-check')),
        `SIRET ${Siret('7328293200001')} : clé de contrôle valide Voir l'établissement dans l'annuaire des entreprises`);
      assert.equal(await page.locator('#siret-check a').getAttribute('href'),
        `https://annuaire-entreprises.data.gouv.fr/etablissement/${Siret('7328293200001')}`);
      assert.match(await Text(page.locator('#charter-signatory')), /^Charte n° 1 signée par Alex Dupont 1 le /);
      assert.equal(await Text(page.locator('#rule-title')), 'Examen en cours · Examen n° 1');
      assert.equal(await Text(page.locator('#rule-state')),
        '0 vote sur 3 membres votants (1 en conflit d\'intérêts), 0 collège sur 2 requis, quorum non atteint (3 votes requis)');
      const choices = await page.locator('#vote-form label').allInnerTexts();
      assert.deepEqual(choices.slice(0, 4), ['Admettre', 'Refuser', 'Demander des modifications', 'S\'abstenir']);
      assert.match(await Text(page.locator('#review .hint').first()), /plus de 50 % des voix exprimées/);
      await CheckPage(page, artefacts, 'node', `committee-workspace-file-${device}`);

      // Votes with their colleges in words.
      await page.goto(`${node.url}/comite/initiative.html?id=${ids.bikes}`);
      await WaitReady(page);
      const votes = await Text(page.locator('#review table'));
      assert.match(votes, /Consommateurs\s+Admettre/);
      assert.match(votes, /Pouvoirs publics\s+Refuser/);
      assert.doesNotMatch(votes, /pouvoirs_publics|admit|reject/);

      // Reopened after a first admission: revision 1, the past decision in words.
      await page.goto(`${node.url}/comite/initiative.html?id=${ids.reuse}`);
      await WaitReady(page);
      assert.equal(await Text(page.locator('#rule-title')), 'Examen en cours · Examen n° 2');
      assert.match(await Text(page.locator('#diff-title + *')), /Aucun changement depuis la version admise n° 1\./);
      const decision = await Text(page.locator('.decision').first());
      assert.match(decision, /3 voix pour l'admission sur 3 exprimées : majorité de plus de 50 % atteinte\./);
      assert.match(decision, /Recherche et conseil/);
      assert.doesNotMatch(decision, /« admit »|0\.50|recherche_conseil/);

      // Not under review: one heading that says so, never "Examen en cours".
      await page.goto(`${node.url}/comite/initiative.html?id=${ids.cafe}`);
      await WaitReady(page);
      assert.equal(await Text(page.locator('#rule-title')), 'Examen du comité');
      assert.match(await Text(page.locator('#review')), /Aucun examen en cours/);
      await CheckPage(page, artefacts, 'node', `committee-workspace-not-under-review-${device}`);
      await page.context().close();
    });
  }

  it('the English texts of both pages', async () => {
    const page = await NewPage(browser, { locale: 'en-GB' });
    await SignIn(page, `${node.url}/comite/?lang=en`, kMembers[0].email, kMemberPassword);
    const headings = await page.locator('#queue thead th').allTextContents();
    assert.deepEqual(headings, ['Initiative', 'Municipality', 'Status', 'Reason', 'Submitted on', 'Votes', 'My vote', 'Reports', 'Endorsements']);
    assert.equal(await Text(page.locator('#filter-mine')), 'Awaiting my vote (2)');
    assert.deepEqual(await page.locator('#queue-sort option').allInnerTexts(),
      ['Submission date (oldest first)', 'Submission date (newest first)', 'Name', 'Status']);
    assert.equal(await Text(page.locator('#queue tbody tr', { hasText: kBikes }).locator('td[data-label="My vote"]')), 'Admit');
    await CheckPage(page, artefacts, 'node', 'committee-workspace-queue-en');

    await page.goto(`${node.url}/comite/initiative.html?id=${ids.grocery}`);
    await WaitReady(page);
    assert.equal(await Text(page.locator('#rule-state')),
      '0 votes out of 3 voting members (1 with a conflict of interest), 0 colleges of 2 required, quorum not reached (3 votes required)');
    assert.match(await Text(page.locator('#siret-check')), /: check key valid See the establishment in the business directory$/);
    assert.match(await Text(page.locator('#charter-signatory')), /^Charter #1 signed by Alex Dupont 1 on /);
    assert.match(await Text(page.locator('#review .hint').first()), /more than 50% of the votes expressed/);
    assert.equal(await Text(page.locator('#record-title')), 'The application');
    await CheckPage(page, artefacts, 'node', 'committee-workspace-file-en');

    await page.goto(`${node.url}/comite/initiative.html?id=${ids.reuse}`);
    await WaitReady(page);
    const decision = await Text(page.locator('.decision').first());
    assert.match(decision, /Admitted on/);
    assert.match(decision, /3 votes to admit out of 3 expressed: majority of more than 50% reached\./);
    assert.match(decision, /Public authorities\s+Admit/);
    await page.context().close();
  });

  it('a vote that decides: the outcome in words', async () => {
    const page = await NewPage(browser);
    await SignIn(page, `${node.url}/comite/initiative.html?id=${ids.bikes}`, kMembers[2].email, kMemberPassword);
    await page.getByLabel('Refuser').check();
    await page.getByLabel('Motif écrit (obligatoire)').fill('L\'activité n\'a pas de finalité sociale démontrée.');
    await page.getByRole('button', { name: 'Voter' }).click();
    await page.locator('#file-notice.success').waitFor();
    assert.equal(await Text(page.locator('#file-notice')),
      'Vote enregistré : le comité a décidé (Refusée). 2 voix pour le refus sur 3 exprimées : majorité de plus de 50 % atteinte.');
    assert.equal(await Text(page.locator('#rule-title')), 'Examen du comité');
    const api = new ApiClient(node.url);
    await api.Login(kMembers[2].email, kMemberPassword);
    const history = await api.Call('GET', `/api/initiatives/${ids.bikes}/history`);
    assert.match(history.decisions[0].reasons.replace(/\u00a0/g, ' '), /^2 voix pour le refus sur 3 exprimées \(3 votes, 3 collèges\) : majorité de plus de 50 % atteinte\./);
    await page.context().close();
  });
});
