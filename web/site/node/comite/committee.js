// What the committee's two pages share: the names of votes, decisions and review reasons,
// and the decision rule's state in words ("3 votes sur 5, 2 collèges, quorum atteint").
import { AddMessages, FormatNumber, T } from '/common/i18n.js';

AddMessages({
  'committee.page': { fr: 'Comité d\'éthique', en: 'Ethics committee' },
  'reason.submission': { fr: 'Nouvelle inscription', en: 'New registration' },
  'reason.import': { fr: 'Import', en: 'Import' },
  'reason.changes_made': { fr: 'Modifiée après demande', en: 'Changed on request' },
  'reason.reports': { fr: 'Signalée', en: 'Reported' },
  'reason.chair': { fr: 'Remise à l\'examen', en: 'Reopened' },
  'reason.readhesion_due': { fr: 'Réadhésion à la charte due', en: 'Charter re-adherence due' },
  'reason.edit_proposed': { fr: 'Modification proposée', en: 'Proposed change' },
  'vote.admit': { fr: 'Admettre', en: 'Admit' },
  'vote.reject': { fr: 'Refuser', en: 'Reject' },
  'vote.request_changes': { fr: 'Demander des modifications', en: 'Request changes' },
  'vote.abstain': { fr: 'S\'abstenir', en: 'Abstain' },
  'vote.admit.admitted': { fr: 'Maintenir sur la carte', en: 'Keep on the map' },
  'vote.reject.admitted': { fr: 'Suspendre (manquement à la charte)', en: 'Suspend (charter breach)' },
  'vote.admit.suspended': { fr: 'Rétablir', en: 'Reinstate' },
  'vote.admit.edit_proposed': { fr: 'Admettre la modification', en: 'Admit the change' },
  'vote.reject.edit_proposed': { fr: 'Refuser la modification (la fiche publiée reste)', en: 'Reject the change (the published record stays)' },
  'vote.request_changes.edit_proposed': { fr: 'Renvoyer la proposition au porteur', en: 'Send the proposal back to the owner' },
  'decision.admit': { fr: 'Admise', en: 'Admitted' },
  'decision.reject': { fr: 'Refusée', en: 'Rejected' },
  'decision.request_changes': { fr: 'Modifications demandées', en: 'Changes requested' },
  'decision.suspend': { fr: 'Suspendue', en: 'Suspended' },
  'decision.reinstate': { fr: 'Rétablie', en: 'Reinstated' },
  'decision.proposal.admit': { fr: 'Modification admise', en: 'Change admitted' },
  'decision.proposal.reject': { fr: 'Modification refusée', en: 'Change rejected' },
  'decision.proposal.request_changes': { fr: 'Proposition renvoyée au porteur', en: 'Proposal sent back to the owner' },
  'rule.summary': {
    fr: 'Règle de décision : au moins {quorum} votes (abstentions comprises) venant d\'au moins {colleges} collèges ; une option l\'emporte au-delà de {majority} % des voix exprimées.',
    en: 'Decision rule: at least {quorum} votes (abstentions included) from at least {colleges} colleges; an option wins beyond {majority}% of the votes expressed.',
  },
  'rule.state': { fr: '{votes} vote(s) sur {members} membre(s), {colleges} collège(s) sur {min} requis', en: '{votes} vote(s) out of {members} member(s), {colleges} college(s) of {min} required' },
  'rule.quorum.reached': { fr: 'quorum atteint', en: 'quorum reached' },
  'rule.quorum.missing': { fr: 'quorum non atteint ({quorum} votes requis)', en: 'quorum not reached ({quorum} votes required)' },
  'rule.tally': { fr: 'Décompte : {tally}', en: 'Tally: {tally}' },
});

// What a decision is called: on the initiative itself, or on an edit proposal of it.
export function DecisionLabel(decision, subject) {
  return T(subject === 'edit_proposal' ? `decision.proposal.${decision}` : `decision.${decision}`);
}

// `status`: the initiative's status, or 'edit_proposed' when the vote is on an edit proposal.
export function VoteLabel(vote, status) {
  const specific = `vote.${vote}.${status}`;
  return T(specific) !== specific ? T(specific) : T(`vote.${vote}`);
}

// votes: [{member, college, vote}], rule: {quorum, majority, min_colleges}, members: count.
export function RuleState(votes, rule, members) {
  const colleges = new Set(votes.map((v) => v.college)).size;
  const reached = votes.length >= rule.quorum;
  const parts = [
    T('rule.state', { votes: votes.length, members, colleges, min: rule.min_colleges }),
    reached ? T('rule.quorum.reached') : T('rule.quorum.missing', { quorum: rule.quorum }),
  ];
  return parts.join(', ');
}

export function Tally(votes, status) {
  const counts = new Map();
  for (const v of votes) counts.set(v.vote, (counts.get(v.vote) ?? 0) + 1);
  return [...counts].map(([vote, n]) => `${VoteLabel(vote, status)} ${FormatNumber(n)}`).join(' · ');
}

export function RuleSummary(rule) {
  return T('rule.summary', { quorum: rule.quorum, colleges: rule.min_colleges, majority: Math.round(rule.majority * 100) });
}
