// web/common/search_count.js in Node (no browser): a search's count as the sites write it,
// exact or « Plus de 10 000 » when the hub capped it (total_capped), the pager's words, and the
// results the visible-area limit hides, which a capped count cannot tell.
import { test } from 'node:test';
import assert from 'node:assert/strict';

const saved = new Map();
globalThis.localStorage = { getItem: (k) => saved.get(k) ?? null, setItem: (k, v) => saved.set(k, String(v)) };
globalThis.location = { search: '' };
const SetLanguage = (lang) => { globalThis.location = { search: `?lang=${lang}` }; };

await import('../common/messages.js');
const { CountText, HiddenText, PagerText } = await import('../common/search_count.js');
const nbsp = (text) => text.replace(/[\u00a0\u202f]/g, ' ');

test('an exact count, and a capped one as « Plus de 10 000 »', () => {
  SetLanguage('fr');
  assert.equal(nbsp(CountText({ total: 1234, total_capped: false })), '1 234 initiative(s)');
  assert.equal(CountText({ total: 12 }), '12 initiative(s)');  // a node's answer has no flag
  assert.equal(nbsp(CountText({ total: 10000, total_capped: true })), 'Plus de 10 000 initiatives');
  SetLanguage('en');
  assert.equal(CountText({ total: 10000, total_capped: true }), 'More than 10,000 initiatives');
});

test('the pager: pages of an exact count, "more than" for a capped one', () => {
  SetLanguage('fr');
  assert.deepEqual(PagerText({ total: 45 }, 2, 20), { pages: 3, text: 'Page 2 sur 3' });
  assert.deepEqual(PagerText({ total: 0 }, 1, 20), { pages: 1, text: 'Page 1 sur 1' });
  assert.deepEqual(PagerText({ total: 10000, total_capped: true }, 1, 20),
    { pages: 500, text: 'Page 1 sur plus de 500' });
});

test('what the visible area hides, only when the area\'s count is exact', () => {
  SetLanguage('fr');
  assert.equal(HiddenText({ total: 5 }, { total: 8 }), '3 résultat(s) hors de la zone visible de la carte.');
  assert.equal(HiddenText({ total: 5 }, { total: 5 }), null);
  assert.equal(HiddenText({ total: 5 }, null), null);
  assert.equal(nbsp(HiddenText({ total: 40, total_capped: false }, { total: 10000, total_capped: true })),
    'Plus de 9 960 résultat(s) hors de la zone visible de la carte.');
  assert.equal(HiddenText({ total: 10000, total_capped: true }, { total: 10000, total_capped: true }), null);
});
