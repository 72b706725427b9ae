// web/common/word_diff.js (issue 15, point 3): word-level parts, whitespace kept, both texts
// given back by the parts, the bound on long texts, and the DocumentFragment's <del>/<ins>
// (with a minimal stand-in for the browser's document: the module only creates nodes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WordDiff, WordDiffParts } from '../common/word_diff.js';

const Join = (parts, ...ops) => parts.filter((p) => ops.includes(p.op)).map((p) => p.text).join('');
const Check = (before, after) => {
  const parts = WordDiffParts(before, after);
  assert.equal(Join(parts, 'same', 'del'), before ?? '');
  assert.equal(Join(parts, 'same', 'ins'), after ?? '');
  for (let k = 1; k < parts.length; k++) assert.notEqual(parts[k].op, parts[k - 1].op, JSON.stringify(parts));
  return parts;
};

test('an added sentence is the only insertion', () => {
  const before = 'Épicerie solidaire du quartier.';
  const after = 'Épicerie solidaire du quartier. Ouverte aux étudiants le mardi.';
  assert.deepEqual(Check(before, after), [
    { op: 'same', text: before },
    { op: 'ins', text: ' Ouverte aux étudiants le mardi.' },
  ]);
});

test('a changed word is struck then added, the rest kept with its spacing', () => {
  assert.deepEqual(Check('Ouvert le  lundi\net le mardi', 'Ouvert le  jeudi\net le mardi'), [
    { op: 'same', text: 'Ouvert le  ' },
    { op: 'del', text: 'lundi' },
    { op: 'ins', text: 'jeudi' },
    { op: 'same', text: '\net le mardi' },
  ]);
});

test('two neighbouring changed words make one change, not four pieces', () => {
  assert.deepEqual(Check('la petite maison bleue', 'la grande cabane bleue'), [
    { op: 'same', text: 'la ' },
    { op: 'del', text: 'petite maison' },
    { op: 'ins', text: 'grande cabane' },
    { op: 'same', text: ' bleue' },
  ]);
});

test('punctuation and apostrophes are tokens of their own', () => {
  assert.deepEqual(Check("l'association", "l'entreprise"), [
    { op: 'same', text: "l'" },
    { op: 'del', text: 'association' },
    { op: 'ins', text: 'entreprise' },
  ]);
  assert.deepEqual(Check('fin.', 'fin !'), [
    { op: 'same', text: 'fin' },
    { op: 'del', text: '.' },
    { op: 'ins', text: ' !' },
  ]);
});

test('empty, null and equal texts', () => {
  assert.deepEqual(Check('', ''), []);
  assert.deepEqual(Check(null, 'nouveau'), [{ op: 'ins', text: 'nouveau' }]);
  assert.deepEqual(Check('ancien', undefined), [{ op: 'del', text: 'ancien' }]);
  assert.deepEqual(Check('même texte', 'même texte'), [{ op: 'same', text: 'même texte' }]);
});

test('long texts stay bounded: paragraphs first, words within a changed paragraph', () => {
  const Paragraph = (k, word) => Array.from({ length: 300 }, (_, i) => `${word}${(i * 7 + k) % 50}`).join(' ');
  const before = Array.from({ length: 12 }, (_, k) => Paragraph(k, 'mot')).join('\n\n');
  const paragraphs = before.split('\n\n');
  // Changes in the first and the last paragraph: 7,000 tokens between them on each side.
  paragraphs[0] = paragraphs[0].replace('mot7 ', 'mot7 ajouté ');
  paragraphs[11] = paragraphs[11].replace(' mot18', ' mot18 retiré').replace(' mot25 ', ' ');
  const after = paragraphs.join('\n\n');
  const started = performance.now();
  const parts = Check(before, after);
  assert.ok(performance.now() - started < 2000);
  const Words = (op) => parts.filter((p) => p.op === op).map((p) => p.text.trim()).join(' ');
  assert.equal(Words('ins'), 'ajouté retiré');
  assert.equal(Words('del'), 'mot25');

  // One paragraph over the bound on its own, wholly rewritten: replaced whole.
  const a = Array.from({ length: 1200 }, (_, i) => `a${i}`).join(' ');
  const b = Array.from({ length: 1200 }, (_, i) => `b${i}`).join(' ');
  const started_whole = performance.now();
  assert.deepEqual(Check(a, b), [{ op: 'del', text: a }, { op: 'ins', text: b }]);
  assert.ok(performance.now() - started_whole < 2000);
});

test('WordDiff builds text nodes, <del> and <ins>', () => {
  const Node = (tag) => ({ tag, children: [], textContent: '', className: '', appendChild(c) { this.children.push(c); } });
  globalThis.document = {
    createDocumentFragment: () => Node('#fragment'),
    createElement: (tag) => Node(tag),
    createTextNode: (text) => ({ tag: '#text', textContent: text }),
  };
  try {
    const fragment = WordDiff('<b>gras</b> ici', '<b>gras</b> là');
    assert.deepEqual(fragment.children.map((c) => [c.tag, c.textContent]), [
      ['#text', '<b>gras</b> '],
      ['del', 'ici'],
      ['ins', 'là'],
    ]);
    // With words for screen readers: a visually hidden span first in each change.
    const said = WordDiff('ici', 'là', { deleted: 'supprimé :', inserted: 'ajouté :' });
    assert.deepEqual(said.children.map((c) => [c.tag, c.children.map((k) => [k.tag, k.className ?? '', k.textContent])]), [
      ['del', [['span', 'visually-hidden', 'supprimé : '], ['#text', '', 'ici']]],
      ['ins', [['span', 'visually-hidden', 'ajouté : '], ['#text', '', 'là']]],
    ]);
  } finally {
    delete globalThis.document;
  }
});
