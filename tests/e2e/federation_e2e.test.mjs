// The federation in a browser (issue 5's acceptance): real PostgreSQL, a hub and a region
// node as real processes, headless Chromium (Debian's, driven by playwright-core). The admin
// publishes the charter and names the committee in the admin pages; a visitor registers an
// initiative and accepts the charter; its owner confirms it through the private link;
// committee members sign in and vote it in; it appears on the national map and in national
// search; "Vérifier" checks its proof in the browser; its owner proposes a change, which the
// maps show only once the committee admits it; the admin changes the decision rule and the
// committee's pages follow; a report leads to its suspension and it leaves the national map;
// a CSV import runs in the background under a progress bar. Every page of both sites is checked with axe-core (no serious
// or critical violation), for page errors and CSP violations, and screenshotted into
// <build>/e2e-artifacts/. No network: the maps draw region outlines and points without tiles.
//   node tests/e2e/federation_e2e.test.mjs BUILD_DIR
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Artefacts, LaunchBrowser, NewPage } from '../../web/tests/browser.mjs';
import { ApiClient, Federation, WaitFor, kRoot, kPhone, Siret } from './federation.mjs';
import { CheckPage, UncheckedPages, Visit, WaitReady } from './pages.mjs';
import { AcceptInvitation, kCharterText } from './seed.mjs';

const build = process.argv[2] ?? process.env.ESS_BUILD_DIR ?? join(kRoot, 'build');
const artefacts = new Artefacts(join(build, 'e2e-artifacts'));
const kName = 'Épicerie solidaire du Panier';
const kMembers = [
  { name: 'Camille Martin', email: 'camille@example.org', college: 'consommateurs', role: 'chair' },
  { name: 'Nadia Benali', email: 'nadia@example.org', college: 'salaries', role: 'member' },
  { name: 'Louis Garnier', email: 'louis@example.org', college: 'ong', role: 'member' },
];
const kMemberPassword = 'mot-de-passe-comite-e2e';


describe('the federation in a browser', { concurrency: false }, () => {
  let federation;
  let browser;
  let node;
  let hub;
  let initiativeId;
  let editLink;
  const members = [];  // one signed-in page per committee member
  const stopOnSignal = async () => { await browser?.close().catch(() => {}); await federation?.Stop(); process.exit(1); };

  before(async () => {
    process.once('SIGTERM', stopOnSignal);
    process.once('SIGINT', stopOnSignal);
    federation = new Federation({
      build,
      regions: ['93'],
      // One report puts an admitted initiative back under review.
      nodeArgs: ['--participation.report-threshold', '1', '--security.login-rate-per-minute', '1000'],
    });
    await federation.StartPrepared();
    node = federation.nodes['93'];
    hub = federation.hub;
    browser = await LaunchBrowser();
  });

  after(async () => {
    await browser?.close();
    await federation?.Finish();
  });

  it('the admin publishes the charter and names the committee in the admin pages', async () => {
    const page = await NewPage(browser);
    await Visit(page, artefacts, 'node', `${node.url}/admin/`, 'node-admin-login', { ready: 'login' });
    await page.getByLabel('Adresse de courriel').fill(federation.admin.email);
    await page.getByLabel('Mot de passe').fill(federation.admin.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await WaitReady(page);
    await CheckPage(page, artefacts, 'node', 'node-admin-overview');
    assert.match(await page.locator('#rules').innerText(), /quorum 3 votes, au moins 2 collèges/);

    await Visit(page, artefacts, 'node', `${node.url}/admin/charte.html`, 'node-admin-charter-empty');
    await page.locator('#charter-text').fill(kCharterText);
    await page.getByRole('button', { name: 'Prévisualiser' }).click();
    await page.getByRole('button', { name: 'Publier la première version' }).click();
    await page.locator('#charter-current').filter({ hasText: 'n° 1' }).waitFor();
    assert.match(await page.locator('#charter-notice').innerText(), /Version 1 publiée/);
    await CheckPage(page, artefacts, 'node', 'node-admin-charter');

    await Visit(page, artefacts, 'node', `${node.url}/admin/comite.html`, 'node-admin-committee-empty');
    for (const m of kMembers) {
      await page.locator('#m-name').fill(m.name);
      await page.locator('#m-email').fill(m.email);
      await page.locator('#m-college').selectOption(m.college);
      await page.locator('#m-role').selectOption(m.role);
      await page.getByRole('button', { name: 'Ajouter et inviter' }).click();
      await page.locator('#members-notice').filter({ hasText: m.name }).waitFor();
      await AcceptInvitation(node, m.email, kMemberPassword);  // as from the invitation's mail
    }
    assert.equal(await page.locator('#members tbody tr').count(), 3);
    await CheckPage(page, artefacts, 'node', 'node-admin-committee');
    await page.context().close();
  });

  it('a visitor registers an initiative, accepts the charter and gets the private edit link', async () => {
    const page = await NewPage(browser);
    await Visit(page, artefacts, 'node', `${node.url}/inscription.html`, 'node-register');
    await page.getByLabel('Nom (obligatoire)').first().fill(kName);
    await page.getByLabel('Famille de l\'ESS').selectOption('association');
    await page.getByLabel('Forme juridique').selectOption('association_loi_1901');
    await page.getByLabel('Alimentation et circuits courts').check();
    await page.getByLabel('Insertion par l\'activité économique').check();
    await page.getByLabel('Description').fill('Une épicerie solidaire au cœur du Panier : produits frais et locaux à prix adaptés.');
    await page.getByLabel('Adresse', { exact: true }).fill('12 rue du Panier');
    // The commune comes from the node as one types (the page loads no list of communes).
    await page.getByRole('combobox', { name: 'Commune (obligatoire)' }).fill('marse');
    await page.getByRole('option', { name: /^Marseille \(13055\)/ }).waitFor();
    await page.getByRole('combobox', { name: 'Commune (obligatoire)' }).press('ArrowDown');
    await page.getByRole('combobox', { name: 'Commune (obligatoire)' }).press('Enter');
    assert.equal(await page.getByLabel('Commune (obligatoire)').inputValue(), 'Marseille (13055)');
    await page.getByLabel('Code postal').fill('13002');
    await page.getByLabel('SIRET').fill('12345678901234');  // wrong Luhn key
    await page.getByRole('button', { name: 'Ajouter une offre' }).click();
    await page.getByLabel('Intitulé (obligatoire)').fill('Paniers de légumes');
    await page.getByLabel(/J'ai lu la charte/).check();
    await page.getByLabel('Nom de la personne qui engage l\'initiative').fill('Alex Dupont');
    await page.getByRole('button', { name: 'Envoyer l\'inscription' }).click();
    // The message shows beside the field, which is marked invalid and focused.
    const error = page.locator('#error-siret');
    await error.waitFor();
    assert.match(await error.innerText(), /SIRET » n'est pas un numéro valide/);
    assert.equal(await page.getByLabel('SIRET').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.field), 'siret');
    await CheckPage(page, artefacts, 'node', 'node-register-error');

    await page.getByLabel('SIRET').fill(Siret('4321098765432'));
    await page.getByRole('button', { name: 'Envoyer l\'inscription' }).click();
    await page.locator('#edit-link').waitFor();
    editLink = await page.locator('#edit-link').innerText();
    assert.match(editLink, new RegExp(`^${node.url}/modifier/[0-9a-f-]{36}#jeton=[0-9a-f]{64}$`));
    initiativeId = /modifier\/([0-9a-f-]{36})/.exec(editLink)[1];
    await CheckPage(page, artefacts, 'node', 'node-register-done');
    await page.context().close();
  });

  it('its owner opens the private link, confirms it is current and edits it', async () => {
    const page = await NewPage(browser);
    await Visit(page, artefacts, 'node', editLink, 'node-owner');
    assert.match(await page.locator('h1').innerText(), new RegExp(kName));
    await page.getByRole('button', { name: 'Oui, la fiche est toujours à jour' }).click();
    await page.locator('#owner-notice').filter({ hasText: 'Fiche confirmée' }).waitFor();
    await page.getByLabel('Site web').fill('https://panier.example.org');
    await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    await page.locator('#owner-notice').filter({ hasText: 'Modifications enregistrées' }).waitFor();
    await CheckPage(page, artefacts, 'node', 'node-owner-confirmed');
    await page.context().close();
    // Another token is refused with a clear message.
    const stranger = await NewPage(browser);
    await stranger.goto(editLink.replace(/jeton=.*/, `jeton=${'0'.repeat(64)}`));
    await WaitReady(stranger);
    assert.match(await stranger.locator('.notice.error').innerText(), /n'est pas \(ou plus\) valide/);
    await stranger.context().close();
  });

  it('committee members sign in and vote it in, the rule applied as they vote', async () => {
    for (const [i, m] of kMembers.entries()) {
      const page = await NewPage(browser);
      members.push(page);
      await page.goto(`${node.url}/comite/`);
      await WaitReady(page, 'login');
      if (i === 0) await CheckPage(page, artefacts, 'node', 'node-committee-login');
      await page.getByLabel('Adresse de courriel').fill(m.email);
      await page.getByLabel('Mot de passe').fill(kMemberPassword);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await WaitReady(page);
      if (i === 0) {
        await page.getByRole('button', { name: 'Nouvelle inscription (1)' }).waitFor();
        await CheckPage(page, artefacts, 'node', 'node-committee-queue');
      }
      await page.getByRole('link', { name: kName }).click();
      await WaitReady(page);
      if (i === 0) {
        assert.match(await page.locator('#rule-state').innerText(), /0 vote sur 3 membres votants, 0 collège sur 2 requis, quorum non atteint/);
        assert.match(await page.locator('#diff-title + *').innerText(), /Jamais admise/);
        await CheckPage(page, artefacts, 'node', 'node-committee-file');
      }
      await page.getByLabel('Admettre').check();
      await page.getByLabel('Motif écrit (obligatoire)').fill(`Conforme à la charte (${m.college}) : épicerie solidaire ancrée dans le quartier.`);
      await page.getByRole('button', { name: 'Voter' }).click();
      await page.locator('#file-notice.success').waitFor();
      const notice = await page.locator('#file-notice').innerText();
      if (i === 0) {
        assert.match(await page.locator('#rule-state').innerText(), /1 vote sur 3 membres votants, 1 collège sur 2 requis, quorum non atteint/);
      }
      if (i < 2) assert.doesNotMatch(notice, /a décidé/);
      else assert.match(notice, /le comité a décidé \(Admise\)/);
    }
    await members[0].reload();
    await WaitReady(members[0]);
    assert.match(await members[0].locator('#history-title + h3 + .card').innerText(), /Admise le/);
    await CheckPage(members[0], artefacts, 'node', 'node-committee-decided');
  });

  it('it appears on the national map and in national search', async () => {
    const api = new ApiClient(hub.url);
    await WaitFor('the hub shows the admitted initiative',
      async () => (await api.Call('GET', `/api/initiatives?q=${encodeURIComponent('Panier')}`)).total === 1, { timeoutMs: 30000 });
    const page = await NewPage(browser);
    await page.goto(`${hub.url}/`);
    await WaitReady(page);
    // No tile server: the outlines, the choropleth and the point are drawn all the same.
    await page.locator(`.point-marker[title^="${kName}"]`).waitFor();
    assert.ok(await page.locator('.leaflet-outlines-pane path').count() > 10, 'region outlines drawn');
    assert.ok(await page.locator('.leaflet-choropleth-pane path').count() > 10, 'choropleth drawn');
    assert.equal(await page.locator('.leaflet-tile').count(), 0);
    await CheckPage(page, artefacts, 'hub', 'hub-map');

    await page.getByLabel('Mots-clés').fill('epicerie panier');  // no accents: still found
    await page.locator('#results a', { hasText: kName }).waitFor();
    assert.match(await page.locator('#summary').innerText(), /^1 initiative/);
    await page.locator('#results a', { hasText: kName }).click();
    await WaitReady(page);
    assert.match(await page.locator('h1').innerText(), new RegExp(kName));
    await CheckPage(page, artefacts, 'hub', 'hub-initiative');

    // "Vérifier": the browser checks the signature, the inclusion and the commitment.
    await page.getByRole('button', { name: 'Vérifier' }).click();
    await page.locator('#verify-verdict').waitFor();
    assert.match(await page.locator('#verify-verdict').getAttribute('class'), /success/);
    const checks = page.locator('#checks li');
    assert.ok(await checks.count() >= 5);
    assert.equal(await page.locator('#checks li[data-ok="false"]').count(), 0);
    for (const name of ['signature', 'inclusion', 'payload']) {
      assert.equal(await page.locator(`#checks li[data-check="${name}"]`).getAttribute('data-ok'), 'true', name);
    }
    const proof = await api.Call('GET', `/api/initiatives/93/${initiativeId}/proof`);
    assert.equal(await page.locator('#record-hash').innerText(), proof.leaf_hash);
    const fingerprint = /empreinte\s*:\s*(\S+)/.exec(spawnSync(join(build, 'essctl/essctl'),
      ['fingerprint', '--verifier-key', node.verifierKey], { encoding: 'utf8' }).stdout)?.[1];
    assert.equal(await page.locator('#key-fingerprint').innerText(), fingerprint);
    await CheckPage(page, artefacts, 'hub', 'hub-verified');
    await page.context().close();
  });

  it('the national dashboards: indicators, replication health, duplicates', async () => {
    const page = await NewPage(browser);
    await Visit(page, artefacts, 'hub', `${hub.url}/indicateurs.html`, 'hub-indicators');
    assert.equal(await page.locator('#stat-on-map strong').innerText(), '1');
    assert.match(await page.locator('#chart-region').innerText(), /Provence-Alpes-Côte d'Azur/);
    const download = page.waitForEvent('download');
    await page.locator('#chart-family a[download]').click();
    const csv = await (await download).createReadStream();
    let text = '';
    for await (const chunk of csv) text += chunk;
    assert.match(text, /Association;association;1/);
    await Visit(page, artefacts, 'hub', `${hub.url}/synchronisation.html`, 'hub-sync');
    assert.match(await page.locator('#regions tr[data-region="93"]').innerText(), /Provence-Alpes-Côte d'Azur \(93\)\s+(À jour|En retard)/);
    await Visit(page, artefacts, 'hub', `${hub.url}/doublons.html`, 'hub-duplicates');
    assert.match(await page.locator('.summary').innerText(), /0 paire/);
    // The embeddable map and its generator (tests/e2e/embed.test.mjs frames them from another origin).
    for (const [site, base] of [['node', node.url], ['hub', hub.url]]) {
      await Visit(page, artefacts, site, `${base}/embed`, `${site}-embed`);
      assert.match(await page.locator('#summary').innerText(), /^1 initiative/);
      await Visit(page, artefacts, site, `${base}/integrer.html`, `${site}-embed-generator`);
    }
    await page.context().close();
  });

  it('its owner proposes a change: the maps keep the admitted revision until the committee admits it', async () => {
    const kChanged = 'Une épicerie solidaire au cœur du Panier, gérée avec ses usagers : produits frais, locaux et de saison.';
    const api = new ApiClient(hub.url);
    const owner = await NewPage(browser);
    await Visit(owner, artefacts, 'node', editLink, 'node-owner-admitted');
    await owner.locator('#f-description').fill(kChanged);
    await owner.getByRole('button', { name: 'Proposer ces modifications au comité' }).click();
    await owner.locator('#owner-notice').filter({ hasText: 'transmises au comité' }).waitFor();
    assert.match(await owner.locator('#proposal-state').innerText(), /examinée par le comité/);
    await CheckPage(owner, artefacts, 'node', 'node-owner-proposal');
    await owner.context().close();
    // Nothing public changed, here or at the hub.
    const local = new ApiClient(node.url);
    assert.notEqual((await local.Call('GET', `/api/initiatives/${initiativeId}`)).description, kChanged);
    assert.notEqual((await api.Call('GET', `/api/initiatives/93/${initiativeId}`)).description, kChanged);

    for (const [i, member] of members.entries()) {
      await member.goto(`${node.url}/comite/`);
      await WaitReady(member);
      if (i === 0) await member.getByRole('button', { name: 'Modification proposée (1)' }).click();
      await member.getByRole('link', { name: kName }).click();
      await WaitReady(member);
      if (i === 0) {
        assert.match(await member.locator('#diff-title').innerText(), /Modification proposée/);
        assert.match(await member.locator('#proposal-lead').innerText(), /reste publiée/);
        assert.match(await member.locator('#diff').innerText(), /gérée avec ses usagers/);
        await CheckPage(member, artefacts, 'node', 'node-committee-proposal');
      }
      await member.getByLabel('Admettre la modification').check();
      await member.getByLabel('Motif écrit (obligatoire)').fill('La description précisée reste conforme à la charte.');
      await member.getByRole('button', { name: 'Voter' }).click();
      await member.locator('#file-notice.success').waitFor();
    }
    assert.match(await members[2].locator('#file-notice').innerText(), /le comité a décidé \(Modification admise\)/);
    await WaitFor('the admitted change reaches the hub',
      async () => (await api.Call('GET', `/api/initiatives/93/${initiativeId}`)).description === kChanged, { timeoutMs: 30000 });
  });

  it('the admin changes the decision rule; the committee pages follow it at once', async () => {
    const page = await NewPage(browser);
    await page.goto(`${node.url}/admin/`);
    await WaitReady(page, 'login');
    await page.getByLabel('Adresse de courriel').fill(federation.admin.email);
    await page.getByLabel('Mot de passe').fill(federation.admin.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await WaitReady(page);
    // A rule the node refuses: its message shows beside the field.
    await page.getByLabel(/^Majorité/).fill('100');
    await page.getByRole('button', { name: 'Enregistrer les règles' }).click();
    await page.locator('#error-decision_rule-majority').waitFor();
    assert.match(await page.locator('#error-decision_rule-majority').innerText(), /moins de 100/);
    assert.equal(await page.getByLabel(/^Majorité/).getAttribute('aria-invalid'), 'true');
    await CheckPage(page, artefacts, 'node', 'node-admin-rules-error');
    await page.getByLabel(/^Majorité/).fill('50');
    await page.getByLabel(/^Quorum/).fill('2');
    await page.getByRole('button', { name: 'Enregistrer les règles' }).click();
    await page.locator('#rules-notice.success').waitFor();
    assert.match(await page.locator('#rules-notice').innerText(), /version 2/);
    assert.match(await page.locator('#rules').innerText(), /quorum 2 votes, au moins 2 collèges/);
    assert.match(await page.locator('#rules-history').innerText(), /quorum : 3 → 2/);
    await CheckPage(page, artefacts, 'node', 'node-admin-rules-changed');
    await page.context().close();
  });

  it('a report leads to a suspension and the initiative leaves the national map', async () => {
    const page = await NewPage(browser);
    await page.goto(`${node.url}/`);
    await WaitReady(page);
    await page.locator(`.point-marker[title^="${kName}"]`).waitFor();
    assert.ok(await page.locator('.leaflet-outlines-pane path').count() > 0, 'region outlines drawn');
    await CheckPage(page, artefacts, 'node', 'node-map');
    await page.locator('#results a', { hasText: kName }).click();
    await WaitReady(page);
    await CheckPage(page, artefacts, 'node', 'node-initiative');
    await page.getByRole('button', { name: 'Soutenir cette initiative' }).click();
    await page.getByText('Merci ! Cette initiative compte 1 soutien(s).').waitFor();
    await page.getByRole('button', { name: 'Signaler une erreur' }).click();  // the form opens from it
    await page.getByLabel('Manquement à la charte').check();
    await page.getByLabel('Précisions (facultatif)').fill('Les prix affichés ne sont pas ceux pratiqués ; les bénévoles ne sont pas consultés.');
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await page.locator('#report-status.success').waitFor();
    await page.context().close();

    // The rule the admin just set: two votes of two colleges decide.
    for (const [i, member] of members.slice(0, 2).entries()) {
      await member.goto(`${node.url}/comite/`);
      await WaitReady(member);
      if (i === 0) {
        await member.getByRole('button', { name: 'Signalée (1)' }).click();
        assert.equal(await member.locator('#queue tbody tr').count(), 1);
      }
      await member.getByRole('link', { name: kName }).click();
      await WaitReady(member);
      if (i === 0) {
        assert.match(await member.locator('#rule-state').innerText(), /0 vote sur 3 membres votants, 0 collège sur 2 requis, quorum non atteint \(2 votes requis\)/);
        assert.match(await member.locator('#reports').innerText(), /Manquement à la charte[\s\S]*Les prix affichés/);
        await CheckPage(member, artefacts, 'node', 'node-committee-reported');
      }
      await member.getByLabel('Suspendre (manquement à la charte)').check();
      await member.getByLabel('Motif écrit (obligatoire)').fill('Signalement vérifié : manquement à la transparence prévue par la charte.');
      await member.getByRole('button', { name: 'Voter' }).click();
      await member.locator('#file-notice.success').waitFor();
    }
    assert.match(await members[1].locator('#file-notice').innerText(), /le comité a décidé \(Suspendue\)/);

    const api = new ApiClient(hub.url);
    await WaitFor('the suspension reaches the hub',
      async () => (await api.Call('GET', `/api/initiatives?q=${encodeURIComponent('Panier')}`)).total === 0, { timeoutMs: 30000 });
    const national = await NewPage(browser);
    await national.goto(`${hub.url}/`);
    await WaitReady(national);
    assert.equal(await national.locator('.point-marker').count(), 0);
    assert.match(await national.locator('#summary').innerText(), /^0 initiative/);
    await CheckPage(national, artefacts, 'hub', 'hub-map-after-suspension');
    await national.goto(`${hub.url}/initiative.html?region=93&id=${initiativeId}`);
    await WaitReady(national);
    assert.match(await national.locator('.notice.error').innerText(), /n'est pas \(ou plus\) sur la carte nationale/);
    await national.context().close();
  });

  it('the admin imports a CSV file: mapping, dry run report, all-or-nothing refusal', async () => {
    const page = await NewPage(browser);
    await page.goto(`${node.url}/admin/`);
    await WaitReady(page, 'login');
    await page.getByLabel('Adresse de courriel').fill(federation.admin.email);
    await page.getByLabel('Mot de passe').fill(federation.admin.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await WaitReady(page);
    assert.match(await page.locator('#sync').innerText(), /Entrées du journal régional/);
    await Visit(page, artefacts, 'node', `${node.url}/admin/import.html`, 'node-admin-import');
    const csv = 'name;family;legal_form;activities;commune\n'
      + 'La Cagette du Vieux-Port;cooperative;cooperative_usagers;alimentation;13055\n'
      + 'Forme inconnue;association;scop_inexistante;alimentation;13055\n';
    await page.locator('#csv-file').setInputFiles({ name: 'base.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Lire les colonnes' }).click();  // separator detected
    assert.equal(await page.locator('#map-legal_form').inputValue(), 'legal_form');  // matched by name
    await page.getByRole('button', { name: 'Essai à blanc' }).click();
    await page.locator('#report-summary').waitFor();
    assert.match(await page.locator('#report-summary').innerText(), /2 ligne\(s\), 1 valide\(s\), 1 en erreur/);
    assert.match(await page.locator('#report-errors').innerText(), /3\s+legal_form/);  // the file's line
    assert.equal(await page.locator('#import-progress').getAttribute('value'), '100');
    await CheckPage(page, artefacts, 'node', 'node-admin-import-report');
    await page.getByRole('button', { name: 'Importer', exact: true }).click();
    await page.locator('#report-summary', { hasText: 'Import refusé' }).waitFor();
    // Without the bad row: the node imports in the background, the bar follows its job.
    const good = 'name;family;legal_form;activities;commune\n'
      + 'La Cagette du Vieux-Port;cooperative;cooperative_usagers;alimentation;13055\n'
      + 'Ressourcerie de la Belle de Mai;association;association_loi_1901;reemploi;13055\n';
    await page.locator('#csv-file').setInputFiles({ name: 'base.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await page.getByRole('button', { name: 'Importer', exact: true }).click();
    await page.locator('#report-summary', { hasText: 'Import réussi' }).waitFor();
    assert.match(await page.locator('#report-summary').innerText(), /2 initiative\(s\) importée\(s\) et journalisée\(s\)/);
    assert.equal(await page.locator('#import-progress').getAttribute('value'), '100');
    assert.match(await page.locator('#import-progress').getAttribute('aria-valuetext'), /2 sur 2 \(100 %\)/);
    assert.match(await page.locator('#progress-label').innerText(), /Terminé/);
    await CheckPage(page, artefacts, 'node', 'node-admin-import-done');
    // The records back office lists them (tests/e2e/back_office.test.mjs walks its work).
    await Visit(page, artefacts, 'node', `${node.url}/admin/fiches.html?source=import`, 'node-admin-records');
    await page.getByRole('link', { name: 'La Cagette du Vieux-Port' }).click();
    await WaitReady(page);
    await CheckPage(page, artefacts, 'node', 'node-admin-record');
    // The messages the node queued (registrations, invitations), with no relay configured here
    // (tests/e2e/mail_delivery.test.mjs sends them through a loopback SMTP server).
    await Visit(page, artefacts, 'node', `${node.url}/admin/messages.html`, 'node-admin-messages');
    await page.context().close();
  });

  it('works on a phone and in English', async () => {
    const phone = await NewPage(browser, kPhone);
    for (const [url, name] of [[`${node.url}/`, 'phone-node-map'], [`${node.url}/inscription.html`, 'phone-node-register'],
      [`${node.url}/invitation.html`, 'phone-node-invitation-incomplete']]) {
      await Visit(phone, artefacts, 'node', url, name);
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name}: no horizontal scrolling (${overflow}px too wide)`);
    }
    await phone.context().close();

    const english = await NewPage(browser, { locale: 'en-GB' });
    await Visit(english, artefacts, 'hub', `${hub.url}/indicateurs.html?lang=en`, 'hub-indicators-en');
    assert.equal(await english.locator('h1').innerText(), 'SSE indicators');
    assert.equal(await english.locator('html').getAttribute('lang'), 'en');
    await english.goto(`${node.url}/inscription.html?lang=en`);
    await WaitReady(english);
    assert.equal(await english.locator('h1').innerText(), 'Register an initiative');
    await english.context().close();
  });

  it('checked every page of both sites', async () => {
    // Awaited: a close still running when the test ends rejects once the browser goes.
    await Promise.all(members.map((page) => page.context().close().catch(() => {})));
    assert.deepEqual(UncheckedPages(), []);
  });
});
