// The CSV import in a browser (issue 15, point 2), on a desktop and on a 390×844 phone: a
// network's own spreadsheet as French Excel saves it (';', Windows-1252, the form's French
// headers, labels such as « Association » rather than codes, communes by name) goes through
// the three steps (file -> columns -> result) and imports; a broken file reports every error
// of every row in a « Ligne | Colonne | Erreur » table with the line numbers a spreadsheet
// shows (a quoted description over two lines counted), imports nothing, and the corrected file
// sent again with the mapping kept imports. The template downloads as CSV and XLSX (opened back
// with exceljs: its sheets and header), and the node maps every column of its header. axe-core
// on each state; the English texts of the page.
//   node tests/e2e/import.test.mjs BUILD_DIR
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Artefacts, LaunchBrowser, NewPage } from '../../web/tests/browser.mjs';
import { ApiClient, Federation, kDevices, kRoot } from './federation.mjs';
import { CheckPage, SignIn, WaitReady } from './pages.mjs';
import { PrepareCommittee } from './seed.mjs';

const require = createRequire(join(kRoot, 'web', 'package.json'));
const ExcelJS = require('exceljs');

const build = process.argv[2] ?? process.env.ESS_BUILD_DIR ?? join(kRoot, 'build');
const artefacts = new Artefacts(join(build, 'e2e-artifacts'));

// Text as Windows-1252 bytes (the characters used here are all in Latin-1 but Œ, œ, ’ and €).
function Windows1252(text) {
  const special = { 'Œ': 0x8c, 'œ': 0x9c, '’': 0x92, '€': 0x80 };
  return Buffer.from([...text].map((c) => special[c] ?? c.charCodeAt(0)));
}

const kHeader = 'Nom;Famille de l\'ESS;Forme juridique;Activités;Commune;Code postal;Téléphone;Employeur;Description\r\n';
const GoodFile = (device) => Windows1252(kHeader
  + `Œuvre de l’épicerie (${device});Association;Association loi 1901;Alimentation et circuits courts;Marseille;13001;04 91 00 00 00;oui;"Produits frais\r\net locaux"\r\n`
  + `Coop vélo (${device});Coopérative;SCOP;Mobilité partagée;Aix-en-Provence;;;non;\r\n`);
// Line 2-3: a good row (its description over two lines); line 4: four errors; line 5: one.
const BrokenFile = (device, fixed = false) => Windows1252(kHeader
  + `Ressourcerie (${device});Association;Association loi 1901;Réemploi, réparation et recyclage;Marseille;;;x;"Sur deux\r\nlignes"\r\n`
  + (fixed ? `Atelier (${device});Association;Association loi 1901;alimentation;Arles;;;non;\r\n`
    : `Atelier (${device});Syndicat;Association loi 1901;pêche;Atlantide;;;peut-être;\r\n`)
  + (fixed ? `Jardin (${device});Coopérative;SCIC;agriculture;Avignon;;;o;\r\n`
    : `Jardin (${device});Coopérative;Loi 1902;agriculture;Avignon;;;o;\r\n`));

async function ChooseFile(page, name, buffer) {
  await page.locator('#csv-file').setInputFiles({ name, mimeType: 'text/csv', buffer });
}

async function Summary(page, pattern) {
  await page.locator('#report-summary').filter({ hasText: pattern }).waitFor({ timeout: 20000 });
  return page.locator('#report-summary').innerText();
}

describe('the CSV import', { concurrency: false }, () => {
  let federation;
  let browser;
  let node;
  let admin;
  const stopOnSignal = async () => { await browser?.close().catch(() => {}); await federation?.Stop(); process.exit(1); };

  before(async () => {
    process.once('SIGTERM', stopOnSignal);
    process.once('SIGINT', stopOnSignal);
    federation = new Federation({ build, regions: ['93'], nodeArgs: ['--security.login-rate-per-minute', '1000'] });
    await federation.StartPrepared(async () => {
      node = federation.nodes['93'];
      ({ admin } = await PrepareCommittee(node, federation.admin, { members: [] }));
    });
    browser = await LaunchBrowser();
  });

  after(async () => {
    await browser?.close();
    await federation?.Finish();
  });

  for (const [device, options] of kDevices) {
    it(`on a ${device}: a ';' Windows-1252 file with French headers and labels imports; a broken one lists every error`, async () => {
      const page = await NewPage(browser, options);
      await SignIn(page, `${node.url}/admin/import.html`, federation.admin.email, federation.admin.password);
      assert.deepEqual(await page.locator('.import-steps li').allInnerTexts(), ['1. Fichier', '2. Colonnes', '3. Résultat']);
      await page.locator('#accepted-values summary').click();
      assert.match(await page.locator('#accepted-values').innerText(), /Association loi 1901.*association_loi_1901/);
      await CheckPage(page, artefacts, 'node', `import-file-${device}`);

      // Step 2: the columns the node read and the mapping it proposes.
      await ChooseFile(page, 'reseau.csv', GoodFile(device));
      await page.locator('#read-columns').click();
      await page.locator('#mapping').waitFor();
      assert.equal(await page.locator('#detected').innerText(), '2 ligne(s) de données, encodage WINDOWS-1252, séparateur « ; ».');
      assert.equal(await page.locator('#map-family').inputValue(), 'Famille de l\'ESS');
      assert.equal(await page.locator('#map-commune').inputValue(), 'Commune');
      assert.equal(await page.locator('#map-activities').inputValue(), 'Activités');
      assert.equal(await page.locator('#map-siret').inputValue(), '');
      await CheckPage(page, artefacts, 'node', `import-columns-${device}`);

      // Step 3: a dry run, then the import.
      await page.locator('#dry-run').click();
      assert.equal(await Summary(page, 'Essai'), 'Essai à blanc : 2 ligne(s), 2 valide(s), 0 en erreur.');
      await page.locator('#commit').click();
      assert.equal(await Summary(page, 'Import réussi'), 'Import réussi : 2 initiative(s) importée(s) et journalisée(s).');
      assert.equal(await page.locator('#imported-lines').innerText(), 'Lignes importées : 2, 4.');

      // A broken file: every error of every row, with the lines a spreadsheet shows.
      await ChooseFile(page, 'reseau-erreurs.csv', BrokenFile(device));  // read again at once
      await page.locator('#detected').filter({ hasText: '3 ligne(s)' }).waitFor();
      assert.equal(await page.locator('#map-family').inputValue(), 'Famille de l\'ESS');  // kept
      await page.locator('#dry-run').click();
      assert.equal(await Summary(page, 'Essai'), 'Essai à blanc : 3 ligne(s), 1 valide(s), 2 en erreur.');
      const rows = await page.locator('#report-errors tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
      assert.deepEqual(rows.map(([line, column]) => `${line} ${column}`).sort(), [
        '4 Activités', '4 Commune', '4 Employeur', '4 Famille de l\'ESS', '5 Forme juridique'], `errors shown: ${JSON.stringify(rows)}`);
      assert.match(rows.find(([, column]) => column === 'Commune')[2], /Atlantide/);
      assert.deepEqual(await page.locator('#report-errors thead th').allInnerTexts(), ['Ligne', 'Colonne', 'Erreur']);
      assert.equal(await page.locator('#rejected-lines').innerText(), 'Lignes refusées : 4, 5.');
      await CheckPage(page, artefacts, 'node', `import-errors-${device}`);
      await page.locator('#commit').click();
      assert.match(await Summary(page, 'Import refusé'), /^Import refusé : 2 ligne\(s\) en erreur ; rien n'a été importé/);
      assert.equal(await page.locator('#retry').isVisible(), true);

      // Fixed and sent again: the mapping kept, every row imported.
      await ChooseFile(page, 'reseau-corrige.csv', BrokenFile(device, true));
      await page.locator('#mapping').waitFor();
      await page.locator('#commit').click();
      assert.equal(await Summary(page, 'Import réussi'), 'Import réussi : 3 initiative(s) importée(s) et journalisée(s).');
      assert.equal(await page.locator('#imported-lines').innerText(), 'Lignes importées : 2, 4, 5.');
      await page.close();
    });
  }

  it('the template downloads as XLSX and CSV, with the accepted values; the node maps its header', async () => {
    const page = await NewPage(browser);
    await SignIn(page, `${node.url}/admin/import.html`, federation.admin.email, federation.admin.password);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.locator('#template-xlsx').click()]);
    assert.equal(xlsx.suggestedFilename(), 'import-modele.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(await xlsx.path()));
    assert.deepEqual(workbook.worksheets.map((w) => w.name), ['Fiches', 'Valeurs acceptées']);
    const header = workbook.getWorksheet('Fiches').getRow(1).values.slice(1);
    assert.equal(header.length, 20);
    assert.deepEqual(header.slice(0, 4), ['Nom', 'Famille de l\'ESS', 'Forme juridique', 'Activités']);
    // The family's cells offer the families' labels of the second sheet.
    const familyList = workbook.getWorksheet('Fiches').getCell('B2').dataValidation;
    assert.equal(familyList.type, 'list');
    assert.match(familyList.formulae[0], /^'Valeurs acceptées'!\$B\$2:\$B\$\d+$/);
    const values = [];
    workbook.getWorksheet('Valeurs acceptées').eachRow((row) => values.push(row.values.slice(1)));
    assert.deepEqual(values[0], ['Liste', 'Libellé', 'Code', 'Famille']);
    assert.ok(values.some((v) => v[1] === 'Association' && v[2] === 'association'));
    assert.ok(values.some((v) => v[2] === 'scop' && v[3] === 'Coopérative'));
    assert.ok(values.some((v) => v[0] === 'Activités' && v[2] === 'alimentation'));

    const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('#template-csv').click()]);
    const text = readFileSync(await csv.path(), 'utf8');
    assert.ok(text.startsWith('\uFEFFNom;Famille de l\'ESS;'), 'UTF-8 with a BOM, ";"');
    // Every column of the template is one the node maps, by its name alone.
    const columns = await admin.Call('POST', '/api/admin/import/columns', { csv: text });
    assert.equal(columns.separator, ';');
    assert.equal(Object.keys(columns.mapping).length, 20, JSON.stringify(columns.mapping));
    const [valuesCsv] = await Promise.all([page.waitForEvent('download'), page.locator('#template-values').click()]);
    assert.match(readFileSync(await valuesCsv.path(), 'utf8'), /Forme juridique;Association loi 1901;association_loi_1901;Association/);
    await page.close();
  });

  it('speaks English', async () => {
    const page = await NewPage(browser, { locale: 'en-GB' });
    await SignIn(page, `${node.url}/admin/import.html?lang=en`, federation.admin.email, federation.admin.password);
    assert.deepEqual(await page.locator('.import-steps li').allInnerTexts(), ['1. File', '2. Columns', '3. Result']);
    assert.equal(await page.locator('#template-title').innerText(), 'Template and accepted values');
    assert.match(await page.locator('#template-xlsx').innerText(), /^Excel template/);
    await ChooseFile(page, 'network.csv', GoodFile('en'));
    await page.locator('#read-columns').click();
    await page.locator('#mapping').waitFor();
    assert.equal(await page.locator('#detected').innerText(), '2 data row(s), encoding WINDOWS-1252, separator « ; ».');
    assert.equal(await page.locator('label[for="map-family"]').innerText(), 'SSE family');
    await page.locator('#dry-run').click();
    assert.equal(await Summary(page, 'Dry run'), 'Dry run: 2 row(s), 2 valid, 0 with errors.');
    await CheckPage(page, artefacts, 'node', 'import-en', { screenshot: false });
    await page.close();
  });
});
