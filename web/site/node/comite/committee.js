// What the committee's two pages share: the names of votes, decisions and review reasons
// (common/labels.js for the codes, here what a vote means in its context), and the decision
// rule's state in words ("3 votes sur 5 membres votants, 2 collèges sur 2 requis, quorum
// atteint"; "2 voix pour l'admission sur 3 exprimées : majorité de plus de 50 % atteinte").
import { AddMessages, FormatNumber, Language, T } from '/common/i18n.js';
import { DecisionLabel as DecisionWords, PercentLabel, VoteLabel as VoteWords } from '/common/labels.js';
import { ApplyRule } from '/comite/outcome.js';

AddMessages({
  'committee.page': { fr: 'Comité d\'éthique', en: 'Ethics committee' },
  'reason.submission': { fr: 'Nouvelle inscription', en: 'New registration' },
  'reason.import': { fr: 'Import', en: 'Import' },
  'reason.changes_made': { fr: 'Modifiée après demande', en: 'Changed on request' },
  'reason.reports': { fr: 'Signalée', en: 'Reported' },
  'reason.chair': { fr: 'Remise à l\'examen', en: 'Reopened' },
  'reason.readhesion_due': { fr: 'Réadhésion à la charte due', en: 'Charter re-adherence due' },
  'reason.edit_proposed': { fr: 'Modification proposée', en: 'Proposed change' },
  'vote.admit.admitted': { fr: 'Maintenir sur la carte', en: 'Keep on the map' },
  'vote.reject.admitted': { fr: 'Suspendre (manquement à la charte)', en: 'Suspend (charter breach)' },
  'vote.admit.suspended': { fr: 'Rétablir', en: 'Reinstate' },
  'vote.admit.edit_proposed': { fr: 'Admettre la modification', en: 'Admit the change' },
  'vote.reject.edit_proposed': { fr: 'Refuser la modification (la fiche publiée reste)', en: 'Reject the change (the published record stays)' },
  'vote.request_changes.edit_proposed': { fr: 'Renvoyer la proposition au porteur', en: 'Send the proposal back to the owner' },
  'rule.summary': {
    fr: 'Règle de décision : au moins {quorum} votes (abstentions comprises) venant d\'au moins {colleges} collèges ; une option l\'emporte avec plus de {majority} des voix exprimées.',
    en: 'Decision rule: at least {quorum} votes (abstentions included) from at least {colleges} colleges; an option wins with more than {majority} of the votes expressed.',
  },
  'rule.state': { fr: '{votes} sur {voters}, {colleges} sur {min} requis', en: '{votes} out of {voters}, {colleges} of {min} required' },
  'rule.votes.one': { fr: '{n} vote', en: '{n} vote' },
  'rule.votes.many': { fr: '{n} votes', en: '{n} votes' },
  'rule.voters.one': { fr: '{n} membre votant', en: '{n} voting member' },
  'rule.voters.many': { fr: '{n} membres votants', en: '{n} voting members' },
  'rule.voters.conflicts': { fr: '{voters} ({n} en conflit d\'intérêts)', en: '{voters} ({n} with a conflict of interest)' },
  'rule.colleges.one': { fr: '{n} collège', en: '{n} college' },
  'rule.colleges.many': { fr: '{n} collèges', en: '{n} colleges' },
  'rule.quorum.reached': { fr: 'quorum atteint', en: 'quorum reached' },
  'rule.quorum.missing': { fr: 'quorum non atteint ({quorum} votes requis)', en: 'quorum not reached ({quorum} votes required)' },
  'rule.tally': { fr: 'Décompte : {tally}', en: 'Tally: {tally}' },
  'outcome.for.admit': { fr: 'pour l\'admission', en: 'to admit' },
  'outcome.for.reject': { fr: 'pour le refus', en: 'to reject' },
  'outcome.for.request_changes': { fr: 'pour une demande de modifications', en: 'to request changes' },
  'outcome.expressed.one': { fr: '{n} exprimée', en: '{n} expressed' },
  'outcome.expressed.many': { fr: '{n} exprimées', en: '{n} expressed' },
  'outcome.count.one': { fr: '{n} voix', en: '{n} vote' },
  'outcome.count.many': { fr: '{n} voix', en: '{n} votes' },
  'outcome.decided': {
    fr: '{count} {for} sur {expressed} : majorité de plus de {majority} atteinte.',
    en: '{count} {for} out of {expressed}: majority of more than {majority} reached.',
  },
  'outcome.no_majority': {
    fr: 'Pas de majorité de plus de {majority} parmi {expressed} voix exprimée(s).',
    en: 'No majority of more than {majority} among {expressed} vote(s) expressed.',
  },
  'outcome.quorum_missing': { fr: 'Quorum non atteint : {cast} sur {quorum} requis.', en: 'Quorum not reached: {cast} of {quorum} required.' },
  'outcome.colleges_missing': { fr: 'Collèges insuffisants : {colleges} sur {min} requis.', en: 'Not enough colleges: {colleges} of {min} required.' },
});

// French puts 0 and 1 in the singular, English only 1.
const Plural = (key, n) => T(`${key}.${(Language() === 'en' ? n !== 1 : n > 1) ? 'many' : 'one'}`, { n: FormatNumber(n) });

// What a decision is called: on the initiative itself, or on an edit proposal of it.
export function DecisionLabel(decision, subject) {
  return DecisionWords(decision, subject);
}

// `status`: the initiative's status, or 'edit_proposed' when the vote is on an edit proposal.
export function VoteLabel(vote, status) {
  const specific = `vote.${vote}.${status}`;
  return T(specific) !== specific ? T(specific) : VoteWords(vote);
}

// votes: [{member, college, vote}], rule: {quorum, majority, min_colleges}; voters: the
// active members who may vote (those in conflict left out), conflicted: how many are.
export function RuleState(votes, rule, voters, conflicted = 0) {
  const colleges = new Set(votes.map((v) => v.college)).size;
  const reached = votes.length >= rule.quorum;
  const voterWords = conflicted
    ? T('rule.voters.conflicts', { voters: Plural('rule.voters', voters), n: FormatNumber(conflicted) })
    : Plural('rule.voters', voters);
  const parts = [
    T('rule.state', { votes: Plural('rule.votes', votes.length), voters: voterWords, colleges: Plural('rule.colleges', colleges), min: FormatNumber(rule.min_colleges) }),
    reached ? T('rule.quorum.reached') : T('rule.quorum.missing', { quorum: rule.quorum }),
  ];
  return parts.join(', ');
}

// The rule's outcome (the node's RuleOutcomeJson, or ApplyRule of the votes) in words.
export function OutcomeText(outcome, rule) {
  const majority = PercentLabel(rule.majority);
  switch (outcome.state) {
    case 'quorum_missing': return T('outcome.quorum_missing', { cast: Plural('rule.votes', outcome.cast), quorum: FormatNumber(rule.quorum) });
    case 'colleges_missing': return T('outcome.colleges_missing', { colleges: Plural('rule.colleges', outcome.colleges), min: FormatNumber(rule.min_colleges) });
    case 'no_majority': return T('outcome.no_majority', { majority, expressed: FormatNumber(outcome.expressed) });
    default: return T('outcome.decided', {
      count: Plural('outcome.count', outcome.winner_votes), for: T(`outcome.for.${outcome.winner}`),
      expressed: Plural('outcome.expressed', outcome.expressed), majority,
    });
  }
}

// A past decision's outcome from its journalled votes and rule.
export function DecisionOutcomeText(votes, rule) {
  return OutcomeText(ApplyRule(votes, rule), rule);
}

export function Tally(votes, status) {
  const counts = new Map();
  for (const v of votes) counts.set(v.vote, (counts.get(v.vote) ?? 0) + 1);
  return [...counts].map(([vote, n]) => `${VoteLabel(vote, status)} ${FormatNumber(n)}`).join(' · ');
}

export function RuleSummary(rule) {
  return T('rule.summary', { quorum: rule.quorum, colleges: rule.min_colleges, majority: PercentLabel(rule.majority) });
}
