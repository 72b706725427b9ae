// The committee pages' pure logic, without the page (tested in Node, web/tests/
// committee_outcome.test.mjs): the decision rule applied to votes as the node applies it
// (node/domain/decision_rule.cpp: quorum counts abstentions, colleges, an option wins beyond
// `majority` of the votes expressed), the members who can vote, and the queue's order.

// votes: [{college, vote}], rule: {quorum, majority, min_colleges}. Returns the node's
// RuleOutcomeJson: {state: quorum_missing | colleges_missing | no_majority | decided, cast,
// expressed, colleges, winner (a vote name or null), winner_votes}.
export function ApplyRule(votes, rule) {
  const cast = votes.length;
  const colleges = new Set(votes.map((v) => v.college)).size;
  const counts = new Map();
  let expressed = 0;
  for (const v of votes) {
    if (v.vote === 'abstain') continue;
    counts.set(v.vote, (counts.get(v.vote) ?? 0) + 1);
    expressed += 1;
  }
  const out = { state: 'decided', cast, expressed, colleges, winner: null, winner_votes: 0 };
  if (cast < rule.quorum) return { ...out, state: 'quorum_missing' };
  if (colleges < rule.min_colleges) return { ...out, state: 'colleges_missing' };
  for (const [vote, n] of counts) {
    if (n > rule.majority * expressed) return { ...out, winner: vote, winner_votes: n };
  }
  return { ...out, state: 'no_majority' };
}

// Active members who may vote on an initiative: those who declared no conflict on it.
// members: [{id, active}], conflicts: [{member}]. Returns {voters, conflicted}.
export function Voters(members, conflicts) {
  const conflicted = new Set(conflicts.map((c) => c.member));
  const active = members.filter((m) => m.active);
  const inConflict = active.filter((m) => conflicted.has(m.id)).length;
  return { voters: active.length - inConflict, conflicted: inConflict };
}

// The queue in the order asked: key 'submitted' (oldest first), 'name' (alphabetical, the
// language's collation) or 'status' (the workflow's order, then oldest first); `descending`
// reverses it. Returns a new array.
const kStatusOrder = ['pending', 'changes_requested', 'admitted', 'suspended', 'rejected', 'withdrawn'];
export function SortQueue(items, key, descending = false, locale = 'fr') {
  const collator = new Intl.Collator(locale, { sensitivity: 'base' });
  const bySubmitted = (a, b) => String(a.submitted_at).localeCompare(String(b.submitted_at));
  const compare = {
    submitted: bySubmitted,
    name: (a, b) => collator.compare(a.name, b.name) || bySubmitted(a, b),
    status: (a, b) => (kStatusOrder.indexOf(a.status) - kStatusOrder.indexOf(b.status)) || bySubmitted(a, b),
  }[key] ?? bySubmitted;
  const sorted = [...items].sort(compare);
  return descending ? sorted.reverse() : sorted;
}
