// web/site/node/comite/outcome.js in Node: the decision rule as the node applies it
// (node/domain/decision_rule.cpp), the members who may vote without those in conflict, and
// the queue's sorting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApplyRule, SortQueue, Voters } from '../site/node/comite/outcome.js';

const rule = { quorum: 3, majority: 0.5, min_colleges: 2 };
const v = (college, vote) => ({ college, vote });

test('the rule: quorum with abstentions, colleges, majority of the votes expressed', () => {
  assert.deepEqual(ApplyRule([v('a', 'admit'), v('b', 'admit')], rule),
    { state: 'quorum_missing', cast: 2, expressed: 2, colleges: 2, winner: null, winner_votes: 0 });
  assert.equal(ApplyRule([v('a', 'admit'), v('a', 'admit'), v('a', 'admit')], rule).state, 'colleges_missing');
  assert.deepEqual(ApplyRule([v('a', 'admit'), v('a', 'admit'), v('b', 'reject')], rule),
    { state: 'decided', cast: 3, expressed: 3, colleges: 2, winner: 'admit', winner_votes: 2 });
  // 1 of 2 expressed is not more than half; the abstention counts for the quorum only.
  assert.equal(ApplyRule([v('a', 'admit'), v('b', 'reject'), v('b', 'abstain')], rule).state, 'no_majority');
  assert.equal(ApplyRule([v('a', 'admit'), v('a', 'admit'), v('b', 'reject')], { ...rule, majority: 0.66 }).winner, 'admit');
  assert.equal(ApplyRule([v('a', 'admit'), v('a', 'admit'), v('b', 'reject')], { ...rule, majority: 0.75 }).state, 'no_majority');
});

test('voters: active members less those in conflict', () => {
  const members = [{ id: 'm1', active: true }, { id: 'm2', active: true }, { id: 'm3', active: false }, { id: 'm4', active: true }];
  assert.deepEqual(Voters(members, []), { voters: 3, conflicted: 0 });
  assert.deepEqual(Voters(members, [{ member: 'm2' }, { member: 'm3' }]), { voters: 2, conflicted: 1 });
});

test('the queue sorted by submission date, name or status', () => {
  const items = [
    { name: 'Épicerie', status: 'admitted', submitted_at: '2026-03-01T00:00:00Z' },
    { name: 'atelier', status: 'pending', submitted_at: '2026-05-01T00:00:00Z' },
    { name: 'Boutique', status: 'pending', submitted_at: '2026-01-01T00:00:00Z' },
  ];
  const names = (list) => list.map((i) => i.name);
  assert.deepEqual(names(SortQueue(items, 'submitted')), ['Boutique', 'Épicerie', 'atelier']);
  assert.deepEqual(names(SortQueue(items, 'submitted', true)), ['atelier', 'Épicerie', 'Boutique']);
  assert.deepEqual(names(SortQueue(items, 'name')), ['atelier', 'Boutique', 'Épicerie']);
  assert.deepEqual(names(SortQueue(items, 'status')), ['Boutique', 'atelier', 'Épicerie']);
  assert.equal(items[0].name, 'Épicerie');  // a new array; the queue keeps its order
});
