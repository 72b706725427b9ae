// web/common/labels.js in Node (no browser): the words of colleges, votes, decisions and
// statuses in French and English, an unknown college shown as typed, shares and distances
// written as each language writes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';

// i18n.js reads the language from ?lang= and the saved choice.
const saved = new Map();
globalThis.localStorage = { getItem: (k) => saved.get(k) ?? null, setItem: (k, v) => saved.set(k, String(v)) };
globalThis.location = { search: '' };
const SetLanguage = (lang) => { globalThis.location = { search: `?lang=${lang}` }; };

const { CollegeLabel, VoteLabel, DecisionLabel, StatusLabel, PercentLabel, DistanceLabel } =
  await import('../common/labels.js');

test('French words', () => {
  SetLanguage('fr');
  assert.equal(CollegeLabel('pouvoirs_publics'), 'Pouvoirs publics');
  assert.equal(CollegeLabel('recherche_conseil'), 'Recherche et conseil');
  assert.equal(CollegeLabel('salaries'), 'Salariés');
  assert.equal(CollegeLabel('Usagers du réseau'), 'Usagers du réseau');
  assert.equal(VoteLabel('request_changes'), 'Demander des modifications');
  assert.equal(VoteLabel('abstain'), 'S\'abstenir');
  assert.equal(DecisionLabel('suspend'), 'Suspendue');
  assert.equal(DecisionLabel('admit', 'edit_proposal'), 'Modification admise');
  assert.equal(DecisionLabel('reinstate', 'edit_proposal'), 'Rétablie');
  assert.equal(StatusLabel('changes_requested'), 'Modifications demandées');
  assert.equal(StatusLabel('pending'), 'En attente du comité');
  assert.equal(PercentLabel(0.5), '50\u00a0%');
  assert.equal(PercentLabel(0.666), '66,6\u00a0%');
  assert.equal(DistanceLabel(342885), '342,9\u00a0km');
  assert.equal(DistanceLabel(850.4), '850\u00a0m');
  assert.equal(DistanceLabel(999.6), '1\u00a0km');
  assert.equal(DistanceLabel(2000), '2\u00a0km');
  assert.equal(DistanceLabel(1234567), '1\u202f234,6\u00a0km');
});

test('English words', () => {
  SetLanguage('en');
  assert.equal(CollegeLabel('pouvoirs_publics'), 'Public authorities');
  assert.equal(CollegeLabel('ong'), 'Associations and NGOs');
  assert.equal(CollegeLabel('Usagers du réseau'), 'Usagers du réseau');
  assert.equal(VoteLabel('admit'), 'Admit');
  assert.equal(DecisionLabel('request_changes'), 'Changes requested');
  assert.equal(DecisionLabel('reject', 'edit_proposal'), 'Change rejected');
  assert.equal(StatusLabel('withdrawn'), 'Withdrawn');
  assert.equal(PercentLabel(0.5), '50%');
  assert.equal(DistanceLabel(342885), '342.9\u00a0km');
  assert.equal(DistanceLabel(850), '850\u00a0m');
});

test('an unknown code is shown as it came', () => {
  SetLanguage('fr');
  assert.equal(VoteLabel('maybe'), 'maybe');
  assert.equal(StatusLabel(''), '');
  assert.equal(CollegeLabel(undefined), '');
});
