// Builds the CSV import's template (docs/decisions/0008-import-template.md) from the common
// referential, into OUT_DIR (web/generated/, served by the node at /generated/):
//   import-modele.xlsx   sheet « Fiches »: the header as the form labels its fields and one
//                        example row, the family and legal form cells offering the accepted
//                        labels as a list; sheet « Valeurs acceptées »: families, legal forms
//                        (with their family) and activities, label and code, and the yes/no
//                        words; written with the npm package exceljs.
//   import-modele.csv    the same header and example row, ';'-separated, UTF-8 with a byte
//                        order mark (what French Excel opens as columns)
//   import-valeurs.csv   the accepted values, one per line: Liste;Libellé;Code;Famille
// The header names are the node's (node/domain/import_columns.cpp, labels in French);
// tests/e2e/import.test.mjs checks that the node maps every one of them.
//   node deploy/referential/build-import-template.mjs REFERENTIAL.json OUT_DIR
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', '..', 'web', 'package.json'));
const ExcelJS = require('exceljs');

const [referentialPath, outDir] = process.argv.slice(2);
if (!referentialPath || !outDir) {
  console.error('usage: build-import-template.mjs REFERENTIAL.json OUT_DIR');
  process.exit(2);
}
const referential = JSON.parse(readFileSync(referentialPath, 'utf8'));

// [header, example, width]: the node's field labels, in its order.
const kColumns = [
  ['Nom', 'Épicerie solidaire du quartier', 32],
  ['Famille de l\'ESS', 'Association', 22],
  ['Forme juridique', 'Association loi 1901', 26],
  ['Activités', 'Alimentation et circuits courts', 32],
  ['Description', 'Une épicerie ouverte à tous, prix selon les revenus.', 40],
  ['Adresse', '12 rue de la République', 28],
  ['Code postal', '13001', 12],
  ['Commune', 'Marseille', 20],
  ['Département', '13', 12],
  ['Latitude', '', 11],
  ['Longitude', '', 11],
  ['Courriel', 'contact@epicerie.example', 26],
  ['Téléphone', '04 91 00 00 00', 16],
  ['Site web', 'https://epicerie.example', 26],
  ['SIRET', '', 16],
  ['Employeur', 'oui', 11],
  ['Nom du contact', 'Camille Martin', 20],
  ['Courriel du contact', 'camille@epicerie.example', 26],
  ['Téléphone du contact', '06 00 00 00 00', 18],
  ['Dernière confirmation', '2026-01-15', 16],
];
const kYesNo = 'oui, non (aussi o, n, vrai, faux, x, 1, 0)';

const familyLabel = new Map(referential.families.map((f) => [f.code, f.label]));
const values = [
  ...referential.families.map((f) => ['Famille de l\'ESS', f.label, f.code, '']),
  ...referential.legal_forms.map((f) => ['Forme juridique', f.label, f.code, familyLabel.get(f.family) ?? f.family]),
  ...referential.activities.map((a) => ['Activités', a.label, a.code, '']),
  ['Employeur', kYesNo, '', ''],
];

function CsvField(value) {
  const v = String(value);
  return /[";\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}
const CsvLine = (cells) => `${cells.map(CsvField).join(';')}\r\n`;

mkdirSync(outDir, { recursive: true });
function WriteAtomically(name, data) {
  const path = join(outDir, name);
  writeFileSync(`${path}.tmp`, data);
  renameSync(`${path}.tmp`, path);
}

WriteAtomically('import-modele.csv',
  `\uFEFF${CsvLine(kColumns.map((c) => c[0]))}${CsvLine(kColumns.map((c) => c[1]))}`);
WriteAtomically('import-valeurs.csv',
  `\uFEFF${CsvLine(['Liste', 'Libellé', 'Code', 'Famille'])}${values.map(CsvLine).join('')}`);

const workbook = new ExcelJS.Workbook();
workbook.creator = 'ESS';
workbook.created = workbook.modified = new Date(Date.UTC(2026, 0, 1));  // same bytes each build
const records = workbook.addWorksheet('Fiches', { views: [{ state: 'frozen', ySplit: 1 }] });
records.columns = kColumns.map(([header, , width]) => ({ header, width }));
records.addRow(kColumns.map((c) => c[1]));
records.getRow(1).font = { bold: true };
const accepted = workbook.addWorksheet('Valeurs acceptées', { views: [{ state: 'frozen', ySplit: 1 }] });
accepted.columns = [
  { header: 'Liste', width: 20 }, { header: 'Libellé', width: 50 },
  { header: 'Code', width: 26 }, { header: 'Famille', width: 30 },
];
accepted.getRow(1).font = { bold: true };
for (const row of values) accepted.addRow(row);
// The family and legal form cells offer the accepted labels as a drop-down list (any text
// still goes: a code, or a label typed otherwise, is accepted by the node as well).
const families = referential.families.length;
const forms = referential.legal_forms.length;
const kListRows = 2000;
const list = (first, last) => ({
  type: 'list', allowBlank: true, showErrorMessage: false, formulae: [`'Valeurs acceptées'!$B$${first}:$B$${last}`],
});
for (let r = 2; r <= kListRows; ++r) {
  records.getCell(r, 2).dataValidation = list(2, 1 + families);
  records.getCell(r, 3).dataValidation = list(2 + families, 1 + families + forms);
}
WriteAtomically('import-modele.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()));
console.log(`modèle d'import : ${kColumns.length} colonnes, ${values.length} valeurs acceptées -> ${outDir}`);
