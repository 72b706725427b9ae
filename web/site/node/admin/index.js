// The admin's overview: replication to the national hub, the region's rules (decision rule,
// colleges, validity period, thresholds) in force with the form that changes them and the
// history of their changes, and the exports.
import { AddMessages, FormatDate, FormatNumber, T } from '/common/i18n.js';
import { h, MarkReady, Replace } from '/common/dom.js';
import { Get, Put } from '/common/api.js';
import { ClearErrors, ShowApiError, ShowFieldError } from '/common/forms.js';
import { CollegeLabel, PercentLabel } from '/common/labels.js';
import { StartAdmin } from '/admin/admin.js';
import { CollegesDescription } from '/admin/colleges.js';

AddMessages({
  'admin.title.overview': { fr: 'Administration du nœud régional', en: 'Regional node administration' },
  'replication.title': { fr: 'Synchronisation avec le hub national', en: 'Replication to the national hub' },
  'replication.none': { fr: 'Pas encore de contact avec le hub (ou synchronisation non configurée).', en: 'No contact with the hub yet (or replication not configured).' },
  'replication.log_size': { fr: 'Entrées du journal régional', en: 'Entries in the regional log' },
  'replication.hub_size': { fr: 'Entrées reçues par le hub', en: 'Entries the hub holds' },
  'replication.lag': { fr: 'Retard', en: 'Lag' },
  'replication.lag.value': { fr: '{count} entrée(s)', en: '{count} entry(ies)' },
  'replication.uptodate': { fr: 'à jour', en: 'up to date' },
  'replication.last_contact': { fr: 'Dernier contact', en: 'Last contact' },
  'replication.receipt': { fr: 'Dernier reçu contresigné', en: 'Latest countersigned receipt' },
  'replication.receipt.value': { fr: 'taille {size}', en: 'size {size}' },
  'replication.hub_status': { fr: 'État de la région au hub', en: 'Region status at the hub' },
  'replication.error': { fr: 'Dernière erreur', en: 'Last error' },
  'replication.state': { fr: 'État de l\'envoi', en: 'Sending' },
  'replication.state.failing': {
    fr: 'interrompu : nouvelle tentative automatique ; le nœud accepte toujours les dépôts, ils partiront au retour du hub',
    en: 'interrupted: retried automatically; the node still accepts submissions, they will leave when the hub is back',
  },
  'replication.state.sending': { fr: 'envoi en cours', en: 'sending' },
  'replication.blocked': {
    fr: 'Journal bloqué : {reason}. Aucune modification n\'est enregistrée tant que le hub et le nœud ne sont pas d\'accord ; rien n\'est perdu. Voir le guide d\'administration (docs/admin-guide.md, « Une sauvegarde plus ancienne que ce que détient le hub »).',
    en: 'Log blocked: {reason}. No change is recorded until the hub and the node agree; nothing is lost. See the admin guide (docs/admin-guide.md, "A backup older than what the hub holds").',
  },
  'rules.title': { fr: 'Règles de la région', en: 'The region\'s rules' },
  'rules.lead': {
    fr: 'Règles en vigueur (version {revision}, du {date}). Le fichier de configuration du nœud n\'en donne que les valeurs initiales : changez-les ici. Un changement s\'applique aux décisions et confirmations qui suivent, sans redémarrage ; les dates déjà fixées des fiches restent.',
    en: 'Rules in force (version {revision}, of {date}). The node\'s configuration file only gives their initial values: change them here. A change applies to the decisions and confirmations that follow, without a restart; dates already set on records stay.',
  },
  'rules.edit': { fr: 'Changer les règles', en: 'Change the rules' },
  'rules.quorum': { fr: 'Quorum : votes nécessaires pour décider (abstentions comprises)', en: 'Quorum: votes needed to decide (abstentions included)' },
  'rules.majority': { fr: 'Majorité : pourcentage des voix exprimées à dépasser (%)', en: 'Majority: percentage of the votes expressed to exceed (%)' },
  'rules.majority.hint': { fr: 'Une option l\'emporte avec plus de ce pourcentage : 50 pour la majorité absolue (plus de 50 %), 66 pour les deux tiers ; moins de 100.', en: 'An option wins with more than this percentage: 50 for an absolute majority (more than 50%), 66 for two thirds; less than 100.' },
  'rules.majority.invalid': { fr: 'La majorité est un pourcentage de 50 à moins de 100 (par exemple 50 ou 66).', en: 'The majority is a percentage from 50 to less than 100 (for example 50 or 66).' },
  'rules.min_colleges': { fr: 'Collèges distincts au moins parmi les votes', en: 'Distinct colleges at least among the votes' },
  'rules.colleges.edit': { fr: 'Collèges de parties prenantes (un par ligne)', en: 'Stakeholder colleges (one per line)' },
  'rules.colleges.hint': { fr: 'Un nom par ligne (consommateurs, entreprises, pouvoirs_publics, salaries, ong, recherche_conseil s\'affichent en toutes lettres). Un collège qui compte des membres actifs ne peut être retiré.', en: 'One name per line (consommateurs, entreprises, pouvoirs_publics, salaries, ong, recherche_conseil are shown in words). A college with active members cannot be removed.' },
  'rules.freshness': { fr: 'Fraîcheur des fiches', en: 'Freshness of records' },
  'rules.validity_days': { fr: 'Durée de validité d\'une fiche confirmée (jours)', en: 'Validity of a confirmed record (days)' },
  'rules.grace_days': { fr: 'Délai de grâce avant de quitter la carte (jours)', en: 'Grace period before leaving the map (days)' },
  'rules.reminder_days': { fr: 'Rappel au porteur avant la fin de validité (jours)', en: 'Reminder to the owner before the end of validity (days)' },
  'rules.participation': { fr: 'Participation du public', en: 'Public participation' },
  'rules.report_threshold': { fr: 'Signalements qui remettent une initiative à l\'examen', en: 'Reports that reopen a review' },
  'rules.endorsement_threshold': { fr: 'Soutiens à partir desquels le comité voit « soutenue »', en: 'Endorsements from which the committee sees "endorsed"' },
  'rules.contact': { fr: 'Coordonnées publiées sans vote', en: 'Contact details published without a vote' },
  'rules.contact.label': {
    fr: 'Publier sans vote du comité une modification des seules coordonnées d\'une fiche admise (courriel, téléphone, site web, contact privé)',
    en: 'Publish without a committee vote a change of an admitted record\'s contact details only (email, phone, website, private contact)',
  },
  'rules.contact.hint': {
    fr: 'La modification reste journalisée et visible dans l\'historique de la fiche ; toute autre modification passe par le comité.',
    en: 'The change is still journalled and shown in the record\'s history; any other change goes to the committee.',
  },
  'rules.field.contact_edits_without_vote': { fr: 'coordonnées sans vote', en: 'contact details without a vote' },
  'rules.save': { fr: 'Enregistrer les règles', en: 'Save the rules' },
  'rules.saved': { fr: 'Règles enregistrées (version {revision}) : elles s\'appliquent dès maintenant.', en: 'Rules saved (version {revision}): they apply from now on.' },
  'rules.unchanged': { fr: 'Aucun changement.', en: 'Nothing changed.' },
  'rules.history': { fr: 'Historique des règles', en: 'History of the rules' },
  'rules.history.when': { fr: 'Date', en: 'Date' },
  'rules.history.who': { fr: 'Par', en: 'By' },
  'rules.history.what': { fr: 'Changement', en: 'Change' },
  'rules.history.seed': { fr: 'valeurs initiales du fichier de configuration', en: 'initial values from the configuration file' },
  'rules.history.configuration': { fr: 'configuration', en: 'configuration' },
  'rules.field.decision_rule.quorum': { fr: 'quorum', en: 'quorum' },
  'rules.field.decision_rule.majority': { fr: 'majorité', en: 'majority' },
  'rules.field.decision_rule.min_colleges': { fr: 'collèges distincts au moins', en: 'distinct colleges at least' },
  'rules.field.colleges': { fr: 'collèges', en: 'colleges' },
  'rules.field.freshness.validity_days': { fr: 'validité (jours)', en: 'validity (days)' },
  'rules.field.freshness.grace_days': { fr: 'grâce (jours)', en: 'grace (days)' },
  'rules.field.freshness.reminder_days': { fr: 'rappel (jours avant)', en: 'reminder (days before)' },
  'rules.field.report_threshold': { fr: 'seuil de signalements', en: 'report threshold' },
  'rules.field.endorsement_threshold': { fr: 'seuil de soutiens', en: 'endorsement threshold' },
  'rules.decision': { fr: 'Règle de décision du comité', en: 'Committee decision rule' },
  'rules.decision.value': {
    fr: 'quorum {quorum} votes, au moins {colleges} collèges, majorité de plus de {majority} des voix exprimées',
    en: 'quorum {quorum} votes, at least {colleges} colleges, majority of more than {majority} of the votes expressed',
  },
  'rules.colleges': { fr: 'Collèges', en: 'Colleges' },
  'rules.validity': { fr: 'Durée de validité d\'une fiche', en: 'Validity period of a record' },
  'rules.validity.value': {
    fr: '{validity} jours, puis {grace} jours de grâce avant de quitter la carte ; rappel {reminder} jours avant',
    en: '{validity} days, then {grace} days of grace before leaving the map; reminder {reminder} days before',
  },
  'rules.reports': { fr: 'Signalements remettant à l\'examen', en: 'Reports reopening a review' },
  'rules.endorsements': { fr: 'Soutiens signalés au comité', en: 'Endorsements shown to the committee' },
  'rules.edit_link': { fr: 'Durée d\'un lien de modification', en: 'Lifetime of an edit link' },
  'rules.days': { fr: '{days} jours', en: '{days} days' },
  'exports.title': { fr: 'Exports de la carte publique', en: 'Exports of the public map' },
  'exports.csv': { fr: 'Initiatives admises (CSV)', en: 'Admitted initiatives (CSV)' },
  'exports.geojson': { fr: 'Initiatives admises (GeoJSON)', en: 'Admitted initiatives (GeoJSON)' },
});

const { content } = await StartAdmin('admin.title.overview', 'overview');
const [sync, loaded, loadedHistory] = await Promise.all([
  Get('/api/admin/replication'), Get('/api/admin/settings'), Get('/api/admin/settings/history')]);
let rules = loaded;
let history = loadedHistory.changes;

const row = (key, value) => [h('dt', { text: T(key) }), h('dd', {}, value)];
const hub = sync.hub;
const lag = hub?.tree_size !== null && hub?.tree_size !== undefined ? sync.log_size - hub.tree_size : null;
// The uploader's state as its record tells it: an error stays until the hub acknowledges a
// batch again or the node is caught up.
const sending = !hub ? null : hub.last_error ? h('span', { class: 'badge danger', text: T('replication.state.failing') })
  : lag !== null && lag <= 0 ? h('span', { class: 'badge', text: T('replication.uptodate') })
    : h('span', { class: 'badge warning', text: T('replication.state.sending') });

// The rules in force, in words.
const rulesSummary = h('div', {});
// The colleges in force described as on the committee's page.
const collegesBox = h('div', {});
function RenderSummary() {
  Replace(collegesBox, CollegesDescription(rules.colleges, { id: 'rules-colleges-list' }));
  Replace(rulesSummary,
    h('p', { class: 'hint', text: T('rules.lead', { revision: rules.revision, date: FormatDate(rules.updated_at) }) }),
    h('dl', { class: 'record' },
      row('rules.decision', T('rules.decision.value', {
        quorum: rules.decision_rule.quorum, colleges: rules.decision_rule.min_colleges,
        majority: PercentLabel(rules.decision_rule.majority),
      })),
      row('rules.colleges', rules.colleges.map(CollegeLabel).join(', ')),
      row('rules.validity', T('rules.validity.value', {
        validity: rules.freshness.validity_days, grace: rules.freshness.grace_days, reminder: rules.freshness.reminder_days,
      })),
      row('rules.reports', FormatNumber(rules.report_threshold)),
      row('rules.endorsements', FormatNumber(rules.endorsement_threshold)),
      row('rules.contact', T(rules.contact_edits_without_vote ? 'yes' : 'no')),
      row('rules.edit_link', T('rules.days', { days: rules.edit_link_days }))));
}

// The form: every field named as the API names it, so its errors show beside the field.
function NumberField(field, labelKey, { step = '1', hint } = {}) {
  const id = `rule-${field.replace(/[^a-z_]/g, '-')}`;
  const hintId = hint ? `${id}-hint` : null;
  return h('div', { class: 'field' },
    h('label', { for: id, text: T(labelKey) }),
    h('input', { id, type: 'text', inputmode: step === '1' ? 'numeric' : 'decimal', 'data-field': field, name: field,
      'aria-describedby': hintId }),
    hint ? h('span', { id: hintId, class: 'hint', text: T(hint) }) : null);
}
const rulesNotice = h('p', { class: 'notice', role: 'status', id: 'rules-notice', tabindex: '-1' });
const rulesForm = h('form', { id: 'rules-form', novalidate: true },
  h('p', { class: 'form-alert', role: 'alert', tabindex: '-1' }),
  h('fieldset', {}, h('legend', { text: T('rules.decision') }),
    h('div', { class: 'grid-2' },
      NumberField('decision_rule.quorum', 'rules.quorum'),
      NumberField('decision_rule.min_colleges', 'rules.min_colleges'),
      NumberField('decision_rule.majority', 'rules.majority', { step: '0.01', hint: 'rules.majority.hint' }))),
  h('div', { class: 'field' },
    h('label', { for: 'rule-colleges', text: T('rules.colleges.edit') }),
    h('textarea', { id: 'rule-colleges', name: 'colleges', 'data-field': 'colleges', rows: '6', 'aria-describedby': 'rule-colleges-hint' }),
    h('span', { id: 'rule-colleges-hint', class: 'hint', text: T('rules.colleges.hint') })),
  h('fieldset', {}, h('legend', { text: T('rules.freshness') }),
    h('div', { class: 'grid-2' },
      NumberField('freshness.validity_days', 'rules.validity_days'),
      NumberField('freshness.grace_days', 'rules.grace_days'),
      NumberField('freshness.reminder_days', 'rules.reminder_days'))),
  h('fieldset', {}, h('legend', { text: T('rules.participation') }),
    h('div', { class: 'grid-2' },
      NumberField('report_threshold', 'rules.report_threshold'),
      NumberField('endorsement_threshold', 'rules.endorsement_threshold'))),
  h('fieldset', {}, h('legend', { text: T('rules.contact') }),
    h('div', { class: 'checkbox field' },
      h('input', { type: 'checkbox', id: 'rule-contact', name: 'contact_edits_without_vote',
        'data-field': 'contact_edits_without_vote', 'aria-describedby': 'rule-contact-hint' }),
      h('label', { for: 'rule-contact', text: T('rules.contact.label') })),
    h('p', { id: 'rule-contact-hint', class: 'hint', text: T('rules.contact.hint') })),
  h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'rules-save', text: T('rules.save') })));

const input = (field) => rulesForm.querySelector(`[data-field="${field}"]`);
function FillForm() {
  input('decision_rule.quorum').value = rules.decision_rule.quorum;
  // Shown as a percentage, stored as a share (0.5).
  input('decision_rule.majority').value = String(Math.round(rules.decision_rule.majority * 10000) / 100)
    .replace('.', document.documentElement.lang === 'en' ? '.' : ',');
  input('decision_rule.min_colleges').value = rules.decision_rule.min_colleges;
  input('colleges').value = rules.colleges.join('\n');
  input('freshness.validity_days').value = rules.freshness.validity_days;
  input('freshness.grace_days').value = rules.freshness.grace_days;
  input('freshness.reminder_days').value = rules.freshness.reminder_days;
  input('report_threshold').value = rules.report_threshold;
  input('endorsement_threshold').value = rules.endorsement_threshold;
  input('contact_edits_without_vote').checked = rules.contact_edits_without_vote;
}

// A number when the text is one ("0,66" too), the text otherwise (the node then says what is
// wrong), null when empty.
function NumberOf(field) {
  const text = input(field).value.trim().replace(',', '.');
  if (text === '') return null;
  return Number.isFinite(Number(text)) ? Number(text) : text;
}

rulesForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  ClearErrors(rulesForm);
  rulesNotice.className = 'notice';
  rulesNotice.textContent = '';
  const percent = NumberOf('decision_rule.majority');
  if (typeof percent !== 'number' || !(percent >= 50 && percent < 100)) {
    ShowFieldError(rulesForm, 'decision_rule.majority', T('rules.majority.invalid'));
    return;
  }
  const body = {
    revision: rules.revision,
    decision_rule: { quorum: NumberOf('decision_rule.quorum'), majority: Math.round(percent * 100) / 10000,
      min_colleges: NumberOf('decision_rule.min_colleges') },
    colleges: input('colleges').value.split('\n').map((c) => c.trim()).filter(Boolean),
    freshness: { validity_days: NumberOf('freshness.validity_days'), grace_days: NumberOf('freshness.grace_days'),
      reminder_days: NumberOf('freshness.reminder_days') },
    report_threshold: NumberOf('report_threshold'),
    endorsement_threshold: NumberOf('endorsement_threshold'),
    contact_edits_without_vote: input('contact_edits_without_vote').checked,
  };
  try {
    const saved = await Put('/api/admin/settings', body);
    const changed = saved.revision !== rules.revision;
    rules = saved;
    history = (await Get('/api/admin/settings/history')).changes;
    RenderSummary();
    RenderHistory();
    FillForm();
    rulesNotice.className = 'notice success';
    rulesNotice.textContent = changed ? T('rules.saved', { revision: rules.revision }) : T('rules.unchanged');
    rulesNotice.focus();
  } catch (error) { ShowApiError(rulesForm, error); }
});

// Who changed what, newest first.
const historyBox = h('div', {});
const Value = (v) => (v === null || v === undefined ? '—' : Array.isArray(v) ? v.join(', ')
  : typeof v === 'boolean' ? T(v ? 'yes' : 'no') : String(v));
function RenderHistory() {
  // Scrollable on a phone: reachable from the keyboard, named for screen readers.
  Replace(historyBox, h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': T('rules.history') },
    h('table', { id: 'rules-history' },
    h('thead', {}, h('tr', {}, ['rules.history.when', 'rules.history.who', 'rules.history.what'].map((k) => h('th', { scope: 'col', text: T(k) })))),
    h('tbody', {}, history.map((c) => h('tr', {},
      h('td', { text: new Date(c.changed_at).toLocaleString(document.documentElement.lang === 'en' ? 'en-GB' : 'fr-FR') }),
      h('td', { text: c.changed_by === 'configuration' ? T('rules.history.configuration') : c.changed_by }),
      h('td', {}, c.changed_by === 'configuration' ? T('rules.history.seed')
        : h('ul', {}, c.changes.map((d) => h('li', { text: `${T(`rules.field.${d.field}`)} : ${Value(d.before)} → ${Value(d.after)}` }))))))))));
}

Replace(content,
  h('section', { class: 'card', 'aria-labelledby': 'sync-title', id: 'sync' },
    h('h2', { id: 'sync-title', text: T('replication.title') }),
    hub?.append_blocked ? h('p', { class: 'notice error', text: T('replication.blocked', { reason: hub.append_blocked_reason ?? '' }) }) : null,
    h('dl', { class: 'record' },
      row('replication.log_size', FormatNumber(sync.log_size)),
      hub ? [
        row('replication.state', sending),
        row('replication.hub_size', hub.tree_size === null ? T('none') : FormatNumber(hub.tree_size)),
        row('replication.lag', lag === null ? T('none') : lag <= 0 ? h('span', { class: 'badge', text: T('replication.uptodate') })
          : h('span', { class: 'badge warning', text: T('replication.lag.value', { count: FormatNumber(lag) }) })),
        row('replication.hub_status', hub.region_status ?? T('none')),
        row('replication.last_contact', hub.last_contact_at ? new Date(hub.last_contact_at).toLocaleString() : T('none')),
        row('replication.receipt', hub.last_receipt_size === null ? T('none') : T('replication.receipt.value', { size: FormatNumber(hub.last_receipt_size) })),
        hub.last_error ? row('replication.error', h('span', { class: 'error', text: `${hub.last_error} (${FormatDate(hub.last_error_at)})` })) : null,
      ] : null),
    hub ? null : h('p', { class: 'hint', text: T('replication.none') })),
  h('section', { class: 'card', 'aria-labelledby': 'rules-title', id: 'rules' },
    h('h2', { id: 'rules-title', text: T('rules.title') }),
    rulesSummary,
    h('h3', { text: T('rules.edit') }),
    rulesNotice,
    rulesForm,
    collegesBox,
    h('h3', { text: T('rules.history') }),
    historyBox),
  h('section', { class: 'card', 'aria-labelledby': 'exports-title' },
    h('h2', { id: 'exports-title', text: T('exports.title') }),
    h('ul', {},
      h('li', {}, h('a', { href: '/api/export/initiatives.csv', download: 'initiatives.csv', text: T('exports.csv') })),
      h('li', {}, h('a', { href: '/api/export/initiatives.geojson', download: 'initiatives.geojson', text: T('exports.geojson') })))));
RenderSummary();
RenderHistory();
FillForm();
MarkReady();
