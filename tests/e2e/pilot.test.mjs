// The national pilot at the hub in a browser (issue 15, point 7; decision 0010), on a desktop
// and on a 390×844 phone, over two regions whose records share a SIRET: the pilot, whose
// account the operator created with `essctl pilot add` (password on stdin), signs in on the
// duplicates page, marks the pair with a note (kept after a reload; everyone reads it; the
// filter finds it), filters the dashboard by region, department and period and reads the chart
// by department with whole labels, downloads the CSV for French spreadsheets (a UTF-8 BOM,
// ';'), reads the sync page in words with the details one click away, and finds the region's
// key fingerprint on the region's own site, equal to the hub's. axe-core on every page state,
// English texts.
//   node tests/e2e/pilot.test.mjs BUILD_DIR
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Artefacts, LaunchBrowser, NewPage } from '../../web/tests/browser.mjs';
import { ApiClient, Federation, Siret, WaitFor, kDevices, kRoot } from './federation.mjs';
import { CheckPage, Visit, WaitReady } from './pages.mjs';
import { PrepareCommittee } from './seed.mjs';

const build = process.argv[2] ?? process.env.ESS_BUILD_DIR ?? join(kRoot, 'build');
const artefacts = new Artefacts(join(build, 'e2e-artifacts'));
const kPilot = { email: 'pilote@example.org', name: 'Camille Pilote', password: 'tisane-rhubarbe-cargo-17' };
const kSiret = Siret('7328293200007');
const kName = 'Épicerie solidaire du Panier';

function Csv(rows) {
  return `name;family;legal_form;activities;commune;siret\n${rows.map((r) => r.join(';')).join('\n')}\n`;
}

async function ReadDownload(download) {
  const stream = await download.createReadStream();
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('the national pilot at the hub', { concurrency: false }, () => {
  let federation;
  let browser;
  let hub;
  const stopOnSignal = async () => { await browser?.close().catch(() => {}); await federation?.Stop(); process.exit(1); };

  before(async () => {
    process.once('SIGTERM', stopOnSignal);
    process.once('SIGINT', stopOnSignal);
    federation = new Federation({ build, regions: ['93', '76'], nodeArgs: ['--security.login-rate-per-minute', '1000'] });
    await federation.StartPrepared(async () => {
      hub = federation.hub;
      const seeds = {
        93: Csv([[kName, 'association', 'association_loi_1901', 'alimentation', '13055', kSiret],
          ['Recyclerie niçoise des arts et métiers du réemploi solidaire', 'association', 'association_loi_1901', 'reemploi', '06088', '']]),
        76: Csv([[kName, 'association', 'association_loi_1901', 'alimentation', '34172', kSiret]]),
      };
      for (const region of ['93', '76']) {
        const { admin } = await PrepareCommittee(federation.nodes[region], federation.admin, { members: [] });
        await admin.Call('POST', '/api/admin/import', { csv: seeds[region], separator: ';', status: 'admitted' });
      }
      const national = new ApiClient(hub.url);
      await WaitFor('the hub holds the three records, up to date', async () => {
        const { regions } = await national.Call('GET', '/api/regions');
        return (await national.Call('GET', '/api/indicators')).on_map === 3
          && regions.every((r) => r.lag_entries === 0 && r.node_tree_size !== null);
      }, { timeoutMs: 60000, intervalMs: 100 });
      // The operator creates the pilot's account; the password goes through stdin, never argv.
      const created = spawnSync(join(build, 'essctl/essctl'), ['pilot', 'add', '--database', federation.hubDb,
        '--email', kPilot.email, '--name', kPilot.name, '--password-stdin', '--password-ops', '1', '--password-mem-kib', '8'],
      { input: `${kPilot.password}\n`, encoding: 'utf8' });
      assert.equal(created.status, 0, created.stderr);
      assert.match(created.stdout, /compte de pilotage créé : pilote@example\.org/);
      assert.doesNotMatch(created.stdout, new RegExp(kPilot.password));
    });
    browser = await LaunchBrowser();
  });

  after(async () => {
    await browser?.close();
    await federation?.Finish();
  });

  it('essctl: a weak password refused, the account listed, no password in the arguments', () => {
    const essctl = join(build, 'essctl/essctl');
    const weak = spawnSync(essctl, ['pilot', 'add', '--database', federation.hubDb, '--email', 'autre@example.org',
      '--name', 'Autre', '--password-stdin'], { input: '123456789012\n', encoding: 'utf8' });
    assert.equal(weak.status, 1);
    assert.match(weak.stderr, /refusé : Ce mot de passe/);
    const drawn = spawnSync(essctl, ['pilot', 'add', '--database', federation.hubDb, '--email', 'second@example.org',
      '--name', 'Second pilote', '--password-ops', '1', '--password-mem-kib', '8'], { encoding: 'utf8' });
    assert.equal(drawn.status, 0, drawn.stderr);
    assert.match(drawn.stdout, /mot de passe \(affiché une seule fois.*\) : [a-zA-Z2-9]{20}\n/);
    const list = spawnSync(essctl, ['pilot', 'list', '--database', federation.hubDb], { encoding: 'utf8' });
    assert.match(list.stdout, /pilote@example\.org \(Camille Pilote\) : pilot, actif/);
    assert.match(list.stdout, /second@example\.org \(Second pilote\) : pilot, actif/);
    assert.equal(spawnSync(essctl, ['pilot', 'disable', '--database', federation.hubDb, '--email', 'second@example.org']).status, 0);
    assert.match(spawnSync(essctl, ['pilot', 'list', '--database', federation.hubDb], { encoding: 'utf8' }).stdout,
      /second@example\.org \(Second pilote\) : pilot, suspendu/);
  });

  for (const [device, options] of kDevices) {
    it(`on a ${device}: signs in, marks the pair, filters the dashboard, downloads the CSV, reads the sync page, checks the key`, async () => {
      const name = (step) => `pilot-${device}-${step}`;
      const page = await NewPage(browser, { ...options, acceptDownloads: true });
      const mark = device === 'desktop' ? { value: 'distinct', label: 'Structures distinctes', note: 'Deux épiceries sans lien, vérifié avec les deux réseaux.' }
        : { value: 'same_structure', label: 'Même structure', note: 'Une seule association, inscrite dans deux régions.' };

      // The duplicates: public, distances in km; signing in shows the mark form.
      await Visit(page, artefacts, 'hub', `${hub.url}/doublons.html`, name('duplicates-public'));
      const pair = page.locator('section.pair').first();
      assert.match(await pair.locator('h2').innerText(), /Paire 1 : même SIRET, à \d+(,\d)?\skm/);
      assert.equal(await page.locator('.mark-form').count(), 0);
      await page.locator('details.pilot-signin summary').click();
      await page.locator('#pilot-email').fill(kPilot.email);
      await page.locator('#pilot-password').fill('pas le bon mot de passe');
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.locator('#pilot-login .form-alert').filter({ hasText: 'Adresse ou mot de passe incorrect.' }).waitFor();
      await CheckPage(page, artefacts, 'hub', name('duplicates-bad-password'));
      await page.locator('#pilot-password').fill(kPilot.password);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.locator('#pilot-bar').filter({ hasText: 'Camille Pilote (pilotage national)' }).waitFor();
      await CheckPage(page, artefacts, 'hub', name('duplicates-signed-in'));

      // A mark without a choice is refused beside the choice; then marked with a note.
      if (device === 'desktop') {
        await pair.getByRole('button', { name: 'Enregistrer la marque' }).click();
        await pair.locator('.field-error').filter({ hasText: 'obligatoire' }).waitFor();
      }
      await pair.getByLabel(mark.label).check();
      await pair.getByLabel('Note (facultative, 1 000 caractères au plus)').fill(mark.note);
      await pair.getByRole('button', { name: 'Enregistrer la marque' }).click();
      await page.locator('.summary').filter({ hasText: 'Marque enregistrée.' }).waitFor();
      await page.reload();
      await WaitReady(page);
      const status = page.locator('section.pair .mark-status').first();
      assert.match(await status.innerText(), new RegExp(`Marquée « ${mark.label} » par Camille Pilote`));
      assert.match(await status.innerText(), new RegExp(mark.note));
      await page.locator('#marked-filter').selectOption('no');
      await page.locator('.notice').filter({ hasText: 'Aucune paire pour ce filtre.' }).waitFor();
      await page.locator('#marked-filter').selectOption('yes');
      await page.locator('.summary').filter({ hasText: '1 paire(s)' }).waitFor();
      await CheckPage(page, artefacts, 'hub', name('duplicates-marked'));
      // Everyone reads the mark; the regions' records are unchanged.
      const anyone = new ApiClient(hub.url);
      const dup = await anyone.Call('GET', '/api/duplicates');
      assert.equal(dup.items[0].mark.mark, mark.value);
      assert.equal(dup.items[0].first.name, kName);
      // Without the session's CSRF token, no change.
      await assert.rejects(anyone.Call('DELETE', `/api/duplicates/76/${dup.items[0].first.id}/93/${dup.items[0].second.id}/mark`),
        (e) => e.status === 401);

      // The dashboard: region, department, period; the chart by department with whole labels.
      await Visit(page, artefacts, 'hub', `${hub.url}/indicateurs.html`, name('indicators'));
      assert.equal(await page.locator('#stat-on-map strong').innerText(), '3');
      await page.locator('#f-region').selectOption('93');
      await page.locator('#f-department').selectOption('06');
      await page.getByRole('button', { name: 'Appliquer les filtres' }).click();
      await page.locator('#filter-summary').filter({ hasText: 'Alpes-Maritimes' }).waitFor();
      assert.equal(await page.locator('#stat-on-map strong').innerText(), '1');
      assert.match(page.url(), /region=93&department=06/);
      await page.locator('#f-department').selectOption('');
      await page.getByRole('button', { name: 'Appliquer les filtres' }).click();
      await page.locator('#stat-on-map strong').filter({ hasText: '2' }).waitFor();
      const departments = page.locator('#chart-department');
      assert.match(await departments.innerText(), /Bouches-du-Rhône/);
      assert.match(await departments.innerText(), /Alpes-Maritimes/);
      // Long labels wrap on lines of their own, never cut with "…".
      const activity = await page.locator('#chart-activity svg').textContent();
      assert.doesNotMatch(activity, /…/);
      assert.match(await page.locator('#chart-activity svg').innerHTML(), /<tspan[^>]*>Réemploi, réparation et<\/tspan><tspan[^>]*>recyclage<\/tspan>/);
      const today = new Date().toISOString().slice(0, 10);
      await page.locator('#f-from').fill('2020-01-01');
      await page.locator('#f-to').fill('2020-12-31');
      await page.getByRole('button', { name: 'Appliquer les filtres' }).click();
      await page.locator('.notice').filter({ hasText: 'Aucune initiative ne correspond à ces filtres.' }).waitFor();
      await page.locator('#f-to').fill(today);
      await page.getByRole('button', { name: 'Appliquer les filtres' }).click();
      await page.locator('#stat-on-map strong').filter({ hasText: '2' }).waitFor();
      // A period that ends before it starts: the API's message beside the field.
      await page.locator('#f-from').fill(today);
      await page.locator('#f-to').fill('2020-12-31');
      await page.getByRole('button', { name: 'Appliquer les filtres' }).click();
      await page.locator('.field-error').filter({ hasText: 'La fin de la période précède son début.' }).waitFor();
      await CheckPage(page, artefacts, 'hub', name('indicators-filtered'));

      // The CSV for French spreadsheets: a BOM, ';' between columns, the region's records.
      const download = page.waitForEvent('download');
      await page.locator('#export-fr').click();
      const bytes = await ReadDownload(await download);
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      const text = bytes.toString('utf8').slice(1);
      assert.match(text, /^region;id;name;family;/);
      assert.equal(text.trim().split('\r\n').length, 3);  // the header and the region's two records
      assert.match(text, new RegExp(`93;[0-9a-f-]{36};${kName};association;`));
      const chart = page.waitForEvent('download');
      await page.locator('#chart-department a[download]').click();
      assert.match((await ReadDownload(await chart)).toString('utf8'), /Bouches-du-Rhône;13;1/);

      // The sync page in words; the technical details one click away.
      await Visit(page, artefacts, 'hub', `${hub.url}/synchronisation.html`, name('sync'));
      const row = page.locator('#regions tr[data-region="93"]');
      assert.match(await row.innerText(), /Provence-Alpes-Côte d'Azur \(93\)\s+À jour\s+\d+ fiche\(s\) reçue\(s\)/);
      assert.doesNotMatch(await row.locator('td.state').innerText(), /entrée/);
      const fingerprint = row.locator('.key-fingerprint');
      assert.equal(await fingerprint.isVisible(), false);
      await row.getByText('Détails techniques').click();
      await fingerprint.waitFor({ state: 'visible' });
      assert.match(await row.innerText(), /À comparer avec l'empreinte affichée en bas de la page d'accueil du site de la région|demandez l'empreinte au réseau régional/);
      await CheckPage(page, artefacts, 'hub', name('sync-details'));
      const hubFingerprint = (await fingerprint.innerText()).trim();

      // The region's own site shows the same fingerprint.
      await Visit(page, artefacts, 'node', `${federation.nodes['93'].url}/`, name('node-home'));
      assert.equal(await page.locator('#region-key-fingerprint').innerText(), hubFingerprint);
      await page.context().close();
    });
  }

  it('the pilot clears a mark; the English texts', async () => {
    const page = await NewPage(browser);
    await page.goto(`${hub.url}/doublons.html?lang=en`);
    await WaitReady(page);
    assert.equal(await page.locator('h1').innerText(), 'Likely duplicates across regions');
    assert.match(await page.locator('section.pair h2').first().innerText(), /Pair 1: same SIRET, \d+(\.\d)?\skm apart/);
    assert.match(await page.locator('.mark-status').first().innerText(), /Marked "Same organisation" by Camille Pilote/);
    await page.locator('details.pilot-signin summary').click();
    assert.equal(await page.locator('details.pilot-signin summary').innerText(), 'National pilot sign-in');
    await page.getByLabel('Email address').fill(kPilot.email);
    await page.getByLabel('Password').fill(kPilot.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#pilot-bar').filter({ hasText: 'Signed in: Camille Pilote (national pilot)' }).waitFor();
    await page.getByRole('button', { name: 'Clear the mark' }).click();
    await page.locator('.summary').filter({ hasText: 'Mark cleared.' }).waitFor();
    assert.match(await page.locator('.mark-status').first().innerText(), /Not marked yet\./);
    await CheckPage(page, artefacts, 'hub', 'pilot-duplicates-en');
    // The pilot changes the password essctl set (a weak one refused beside its field).
    await page.getByText('Change my password').click();
    await page.getByLabel('Current password').fill(kPilot.password);
    await page.getByLabel('New password').fill('123456789012');
    await page.getByRole('button', { name: 'Change the password' }).click();
    await page.locator('#pilot-password-form .field-error').waitFor();
    await page.getByLabel('New password').fill('chardon-lavande-pirogue-42');
    await page.getByRole('button', { name: 'Change the password' }).click();
    await page.locator('#pilot-password-form [role=status]').filter({ hasText: 'Password changed; your other sessions are closed.' }).waitFor();
    await CheckPage(page, artefacts, 'hub', 'pilot-password-en');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('details.pilot-signin').waitFor();

    await page.goto(`${hub.url}/indicateurs.html?lang=en&region=93`);
    await WaitReady(page);
    assert.equal(await page.locator('#chart-department h2').innerText(), 'By department');
    assert.equal(await page.getByRole('button', { name: 'Apply the filters' }).count(), 1);
    assert.equal(await page.locator('#export-fr').innerText(), 'Download the list (CSV for spreadsheets)');
    await CheckPage(page, artefacts, 'hub', 'pilot-indicators-en');
    await page.goto(`${hub.url}/synchronisation.html?lang=en`);
    await WaitReady(page);
    assert.match(await page.locator('#regions tr[data-region="93"]').innerText(), /Up to date/);
    assert.equal(await page.locator('#regions summary').first().innerText(), 'Technical details');
    await CheckPage(page, artefacts, 'hub', 'pilot-sync-en');
    await page.goto(`${federation.nodes['93'].url}/?lang=en`);
    await WaitReady(page);
    assert.match(await page.locator('footer').innerText(), /Fingerprint of the key that signs the region's log:/);
    await page.context().close();
  });
});
