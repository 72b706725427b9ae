// Words for the codes the node and the hub send (issue 15): colleges, votes, decisions,
// record statuses, shares and distances, in the page's language (French first, English).
// A code the dictionary does not know is shown as it came (a region's own college keeps the
// name its admin typed). Numbers follow the language: "50 %" and "342,9 km" in French (a
// no-break space, U+00A0, before the unit; Intl's U+202F between thousands), "50%" and
// "342.9 km" in English.
import { AddMessages, Language, T } from './i18n.js';

AddMessages({
  'label.college.consommateurs': { fr: 'Consommateurs', en: 'Consumers' },
  'label.college.entreprises': { fr: 'Entreprises', en: 'Businesses' },
  'label.college.pouvoirs_publics': { fr: 'Pouvoirs publics', en: 'Public authorities' },
  'label.college.salaries': { fr: 'Salariés', en: 'Employees' },
  'label.college.ong': { fr: 'Associations et ONG', en: 'Associations and NGOs' },
  'label.college.recherche_conseil': { fr: 'Recherche et conseil', en: 'Research and advice' },

  'label.vote.admit': { fr: 'Admettre', en: 'Admit' },
  'label.vote.reject': { fr: 'Refuser', en: 'Reject' },
  'label.vote.request_changes': { fr: 'Demander des modifications', en: 'Request changes' },
  'label.vote.abstain': { fr: 'S\'abstenir', en: 'Abstain' },

  'label.decision.admit': { fr: 'Admise', en: 'Admitted' },
  'label.decision.reject': { fr: 'Refusée', en: 'Rejected' },
  'label.decision.request_changes': { fr: 'Modifications demandées', en: 'Changes requested' },
  'label.decision.suspend': { fr: 'Suspendue', en: 'Suspended' },
  'label.decision.reinstate': { fr: 'Rétablie', en: 'Reinstated' },
  'label.decision.proposal.admit': { fr: 'Modification admise', en: 'Change admitted' },
  'label.decision.proposal.reject': { fr: 'Modification refusée', en: 'Change rejected' },
  'label.decision.proposal.request_changes': { fr: 'Proposition renvoyée au porteur', en: 'Proposal sent back to the owner' },

  'label.status.pending': { fr: 'En attente du comité', en: 'Awaiting the committee' },
  'label.status.changes_requested': { fr: 'Modifications demandées', en: 'Changes requested' },
  'label.status.admitted': { fr: 'Admise', en: 'Admitted' },
  'label.status.rejected': { fr: 'Refusée', en: 'Rejected' },
  'label.status.suspended': { fr: 'Suspendue', en: 'Suspended' },
  'label.status.withdrawn': { fr: 'Retirée', en: 'Withdrawn' },
  'label.status.erased': { fr: 'Effacée', en: 'Erased' },
});

function Known(key, fallback) {
  const text = T(key);
  return text === key ? String(fallback ?? '') : text;
}

function Locale() {
  return Language() === 'en' ? 'en-GB' : 'fr-FR';
}

// One of the six default colleges in words; any other college as its admin typed it.
export function CollegeLabel(code) {
  return Known(`label.college.${code}`, code);
}

// admit, reject, request_changes, abstain.
export function VoteLabel(choice) {
  return Known(`label.vote.${choice}`, choice);
}

// A committee decision (admit, reject, request_changes, suspend, reinstate); with subject
// 'edit_proposal', the decision on a proposed change of an admitted record.
export function DecisionLabel(outcome, subject) {
  if (subject === 'edit_proposal') {
    const text = T(`label.decision.proposal.${outcome}`);
    if (text !== `label.decision.proposal.${outcome}`) return text;
  }
  return Known(`label.decision.${outcome}`, outcome);
}

// A record's status: pending, changes_requested, admitted, rejected, suspended, withdrawn, erased.
export function StatusLabel(status) {
  return Known(`label.status.${status}`, status);
}

// A share as a percentage: 0.5 -> "50 %", 0.666 -> "66,6 %" (one decimal at most).
export function PercentLabel(share) {
  const n = new Intl.NumberFormat(Locale(), { maximumFractionDigits: 1 }).format(Number(share) * 100);
  return Language() === 'en' ? `${n}%` : `${n}\u00a0%`;
}

// A distance in metres: under a kilometre in whole metres ("850 m"), beyond in kilometres
// with one decimal at most ("342,9 km", "2 km").
export function DistanceLabel(metres) {
  const m = Math.max(0, Number(metres));
  if (Math.round(m) < 1000) return `${new Intl.NumberFormat(Locale()).format(Math.round(m))}\u00a0m`;
  const km = new Intl.NumberFormat(Locale(), { maximumFractionDigits: 1 }).format(m / 1000);
  return `${km}\u00a0km`;
}
