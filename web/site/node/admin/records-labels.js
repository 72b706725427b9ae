// Words for the records back office's codes (fiches.js, fiche.js), French and English:
// freshness as the list filters it, a record's source, a reminder's delivery state, the
// history's actions and actors. Statuses come from common/labels.js.
import { AddMessages, T } from '/common/i18n.js';

AddMessages({
  'records.freshness.fresh': { fr: 'À jour', en: 'Up to date' },
  'records.freshness.reminder_due': { fr: 'Rappel à envoyer', en: 'Reminder due' },
  'records.freshness.to_confirm': { fr: 'À confirmer (périmée)', en: 'To be confirmed (stale)' },
  'records.freshness.hidden': { fr: 'Masquée (hors carte)', en: 'Hidden (off the map)' },
  'records.source.form': { fr: 'Formulaire', en: 'Form' },
  'records.source.import': { fr: 'Import', en: 'Import' },
  'records.reminder.queued': { fr: 'En attente d\'envoi', en: 'Waiting to be sent' },
  'records.reminder.sent': { fr: 'Envoyé', en: 'Sent' },
  'records.reminder.failed': { fr: 'Échec', en: 'Failed' },
  'records.action.submitted': { fr: 'Inscrite par le formulaire', en: 'Registered through the form' },
  'records.action.imported': { fr: 'Importée', en: 'Imported' },
  'records.action.edited': { fr: 'Modifiée', en: 'Edited' },
  'records.action.edit_proposed': { fr: 'Modification proposée au comité', en: 'Change proposed to the committee' },
  'records.action.edit_proposal_discarded': { fr: 'Proposition abandonnée', en: 'Proposal discarded' },
  'records.action.confirmed': { fr: 'Confirmée à jour', en: 'Confirmed up to date' },
  'records.action.adhered': { fr: 'Adhésion à la charte', en: 'Charter adhesion' },
  'records.action.readhesion_asked': { fr: 'Nouvelle adhésion demandée', en: 'New adhesion asked' },
  'records.action.withdrawn': { fr: 'Retirée', en: 'Withdrawn' },
  'records.action.reported': { fr: 'Signalée', en: 'Reported' },
  'records.action.review_opened': { fr: 'Examen ouvert', en: 'Review opened' },
  'records.action.voted': { fr: 'Vote', en: 'Vote' },
  'records.action.decided': { fr: 'Décision du comité', en: 'Committee decision' },
  'records.action.proposal_decided': { fr: 'Décision sur la proposition', en: 'Decision on the proposal' },
  'records.action.conflict_declared': { fr: 'Conflit d\'intérêts déclaré', en: 'Conflict of interest declared' },
  'records.action.edit_link_issued': { fr: 'Nouveau lien privé', en: 'New private link' },
  'records.action.edit_links_revoked': { fr: 'Liens privés révoqués', en: 'Private links revoked' },
  'records.action.reminder_queued': { fr: 'Rappel de mise à jour', en: 'Update reminder' },
  'records.actor.owner': { fr: 'le porteur', en: 'the owner' },
  'records.actor.public': { fr: 'un visiteur', en: 'a visitor' },
  'records.actor.node': { fr: 'le nœud (automatique)', en: 'the node (automatic)' },
  'records.actor.committee': { fr: 'le comité', en: 'the committee' },
  'records.actor.import': { fr: 'l\'import', en: 'the import' },
  'records.actor.admin': { fr: 'l\'administration ({email})', en: 'the administration ({email})' },
  'records.actor.member': { fr: 'un membre du comité', en: 'a committee member' },
});

function Known(key, fallback) {
  const text = T(key);
  return text === key ? fallback : text;
}

export const FreshnessLabel = (code) => Known(`records.freshness.${code}`, code);
export const SourceLabel = (code) => Known(`records.source.${code}`, code);
export const ReminderStateLabel = (code) => Known(`records.reminder.${code}`, code ?? '');
export const ActionLabel = (code) => Known(`records.action.${code}`, code);

// "admin:<email>" -> l'administration (<email>); "member:<id>" -> un membre du comité.
export function ActorLabel(actor) {
  const [kind, ...rest] = String(actor ?? '').split(':');
  if (kind === 'admin') return T('records.actor.admin', { email: rest.join(':') });
  return Known(`records.actor.${kind}`, actor);
}
