// web/common/charts.js's text parts in Node (no browser): a CSV download's cells separated by
// ';' for French spreadsheet software, quoting and the formula guard, and a long label
// wrapped onto lines at spaces, never cut.
import { test } from 'node:test';
import assert from 'node:assert/strict';

const saved = new Map();
globalThis.localStorage = { getItem: (k) => saved.get(k) ?? null, setItem: (k, v) => saved.set(k, String(v)) };
globalThis.location = { search: '' };

const { Csv, WrapLabel } = await import('../common/charts.js');

test('CSV with ";", quoted cells, no formulas', () => {
  assert.equal(Csv(['Libellé', 'Code', 'Initiatives'], [['Association', 'association', 3]]),
    'Libellé;Code;Initiatives\r\nAssociation;association;3\r\n');
  assert.equal(Csv(['a'], [['un; deux'], ['dit "oui"'], ['=1+1']]), 'a\r\n"un; deux"\r\n"dit ""oui"""\r\n\'=1+1\r\n');
  assert.equal(Csv(['a', 'b'], [[1, 2]], ','), 'a,b\r\n1,2\r\n');
});

test('a long label wraps at spaces, every word kept', () => {
  assert.deepEqual(WrapLabel('Réemploi, réparation et recyclage'), ['Réemploi, réparation et', 'recyclage']);
  assert.deepEqual(WrapLabel('Entreprise solidaire d\'utilité sociale (ESUS)'), ['Entreprise solidaire', 'd\'utilité sociale (ESUS)']);
  assert.deepEqual(WrapLabel('Court'), ['Court']);
  assert.deepEqual(WrapLabel('Anticonstitutionnellementissime-et-plus-encore'), ['Anticonstitutionnellementissime-et-plus-encore']);
  assert.deepEqual(WrapLabel(''), ['']);
});
